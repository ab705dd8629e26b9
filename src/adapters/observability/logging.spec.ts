import { loadAppConfig } from '../../config/app.config';

/** The stream loggerParams hands pino, for LOG_FORMAT as given. */
function streamFor(format: string): { constructor: { name: string } } {
  // Loaded per test, after any jest.doMock of pino-pretty.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loggerParams } = require('./logging') as typeof import('./logging');
  const params = loggerParams(loadAppConfig({ LOG_FORMAT: format, LOG_LEVEL: 'silent' })) as { pinoHttp: [unknown, { constructor: { name: string } }] };
  return params.pinoHttp[1];
}

describe('loggerParams: pino-pretty only where text lines are asked for', () => {
  afterEach(() => {
    jest.resetModules();
    jest.dontMock('pino-pretty');
  });

  it('writes JSON lines to stdout for LOG_FORMAT=json, without loading pino-pretty', () => {
    const loaded = jest.fn();
    jest.doMock('pino-pretty', () => {
      loaded();
      return () => undefined;
    });
    expect(streamFor('json').constructor.name).toBe('SonicBoom');
    expect(loaded).not.toHaveBeenCalled();
  });

  it('formats text through pino-pretty where it is installed', () => {
    expect(streamFor('text').constructor.name).not.toBe('SonicBoom');
  });

  it('falls back to JSON lines for LOG_FORMAT=text where pino-pretty is not installed (a production install)', () => {
    jest.doMock('pino-pretty', () => {
      throw Object.assign(new Error("Cannot find module 'pino-pretty'"), { code: 'MODULE_NOT_FOUND' });
    });
    expect(streamFor('text').constructor.name).toBe('SonicBoom');
  });
});
