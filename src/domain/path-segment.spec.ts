import { withoutTrailingSlashes } from './path-segment';

describe('withoutTrailingSlashes', () => {
  it.each([
    ['http://h/identity/v3/', 'http://h/identity/v3'],
    ['http://h/identity/v3///', 'http://h/identity/v3'],
    ['v3/projects', 'v3/projects'],
    ['///', ''],
    ['', ''],
  ])('%j → %j', (text, expected) => {
    expect(withoutTrailingSlashes(text)).toBe(expected);
  });

  it('reads a million slashes followed by a letter in one pass', () => {
    const text = `${'/'.repeat(1_000_000)}x`;
    const started = performance.now();
    expect(withoutTrailingSlashes(text)).toBe(text);
    expect(performance.now() - started).toBeLessThan(100);
  });
});
