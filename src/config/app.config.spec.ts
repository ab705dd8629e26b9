import { loadAppConfig } from './app.config';

describe('loadAppConfig', () => {
  it('has the Python plugin defaults', () => {
    const config = loadAppConfig({});
    expect(config.port).toBe(9009);
    expect(config.aai).toMatchObject({
      baseUrl: 'https://aai.api.simpledemo.openecomp.org:8443/aai/v13',
      username: 'AAI',
      password: 'AAI',
      tlsInsecure: false,
    });
    expect(config.msbBaseUrl).toBe('http://127.0.0.1:80');
    expect(config.k8sPluginUrl).toBe('http://127.0.0.1:80/api/multicloud-k8s/v1/v1');
    expect(config.redisUrl).toBeUndefined();
    expect(config.settings.audit).toMatchObject({ v0IntervalMs: 10_000, v1IntervalMs: 5_000, overrideIntervalMs: undefined });
    expect(config.settings.aaiSchema.name).toBe('v13');
    expect(config.settings.cpuAllocationRatio).toBe(16);
    expect(config.http).toMatchObject({
      aaiConcurrency: 16,
      cloudConcurrency: 64,
      cloudHostConcurrency: 16,
      connectTimeoutMs: 5000,
      maxResponseBytes: 64 * 1024 * 1024,
    });
  });

  it('composes A&AI from AAI_ADDR/AAI_PORT, or takes AAI_SERVICE_URL', () => {
    expect(loadAppConfig({ AAI_ADDR: 'aai.onap', AAI_PORT: '30233', AAI_SCHEMA_VERSION: 'v16' }).aai.baseUrl).toBe('https://aai.onap:30233/aai/v16');
    expect(loadAppConfig({ AAI_SERVICE_URL: 'http://127.0.0.1:8080/aai/', AAI_ADDR: 'ignored' }).aai.baseUrl).toBe('http://127.0.0.1:8080/aai/v13');
  });

  it('takes the audit interval override and MSB', () => {
    const config = loadAppConfig({ AZCAP_AUDIT_INTERVAL_MS: '2000', MSB_PROTO: 'https', MSB_ADDR: 'msb.onap', MSB_PORT: '443' });
    expect(config.settings.audit.overrideIntervalMs).toBe(2000);
    expect(config.msbBaseUrl).toBe('https://msb.onap:443');
  });

  it('stops on bad values, naming every bad variable', () => {
    let message = '';
    try {
      loadAppConfig({ PORT: 'eighty', REDIS_URL: 'http://not-redis', AAI_SCHEMA_VERSION: '13', SSL_ENABLED: 'yes', AAI_TLS_INSECURE: 'maybe' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.startsWith('Invalid environment: ')).toBe(true);
    expect(
      message
        .split('; ')
        .map((part) => part.replace('Invalid environment: ', ''))
        .sort(),
    ).toEqual([
      'AAI_SCHEMA_VERSION must be an A&AI schema version such as v13, got "13"',
      'AAI_TLS_INSECURE must be true or false, got "maybe"',
      'PORT must be an integer from 0 to 65535, got "eighty"',
      'REDIS_URL must be a redis: or rediss: URL, got "http://not-redis"',
      'SSL_ENABLED needs SSL_CERT_FILE and SSL_KEY_FILE',
    ]);
  });

  it('reads the log format and level and the shutdown grace (section 10)', () => {
    expect(loadAppConfig({})).toMatchObject({ log: { format: 'text', level: 'info' }, shutdownGraceMs: 20_000 });
    expect(loadAppConfig({ LOG_FORMAT: 'json', LOG_LEVEL: 'debug', SHUTDOWN_GRACE_MS: '500' })).toMatchObject({
      log: { format: 'json', level: 'debug' },
      shutdownGraceMs: 500,
    });
    expect(() => loadAppConfig({ LOG_FORMAT: 'xml', LOG_LEVEL: 'loud' })).toThrow(
      'Invalid environment: LOG_FORMAT must be json or text, got "xml"; LOG_LEVEL must be trace, debug, info, warn, error, fatal or silent, got "loud"',
    );
  });

  it('reads the heap growing percent: 100 by default, 0 for V8 own rule, bounded', () => {
    expect(loadAppConfig({}).heapGrowingPercent).toBe(50);
    expect(loadAppConfig({ HEAP_GROWING_PERCENT: '0' }).heapGrowingPercent).toBe(0);
    expect(() => loadAppConfig({ HEAP_GROWING_PERCENT: '500' })).toThrow(/HEAP_GROWING_PERCENT/);
  });

  it('never repeats the credentials of a rejected URL', () => {
    expect(() => loadAppConfig({ REDIS_URL: 'http://user:s3cret@cache:6379' })).toThrow('REDIS_URL must be a redis: or rediss: URL, got "http://***@cache:6379"');
  });

  const problems = (env: Record<string, string>): string => {
    try {
      loadAppConfig(env);
      return '';
    } catch (error) {
      return (error as Error).message;
    }
  };

  it('refuses an MSB_ADDR or AAI_ADDR with a scheme, port or path (it would give http://http://x)', () => {
    expect(problems({ MSB_ADDR: 'http://x' })).toBe(
      'Invalid environment: MSB_ADDR must be a host name or address without scheme, port or path; the scheme goes in MSB_PROTO, got "http://x"',
    );
    expect(problems({ AAI_ADDR: 'aai.onap:8443' })).toBe('Invalid environment: AAI_ADDR must be a host name or address without scheme, port or path, got "aai.onap:8443"');
    expect(loadAppConfig({ MSB_ADDR: 'msb-iag.onap.svc' }).msbBaseUrl).toBe('http://msb-iag.onap.svc:80');
    expect(loadAppConfig({ MSB_ADDR: '[fd00::1]', MSB_PROTO: 'https', MSB_PORT: '443' }).msbBaseUrl).toBe('https://[fd00::1]:443');
  });

  it('takes AAI_SCHEMA_VERSION from v11 to v30 only', () => {
    expect(problems({ AAI_SCHEMA_VERSION: 'v99' })).toBe('Invalid environment: AAI_SCHEMA_VERSION must be from v11 to v30, got "v99"');
    expect(problems({ AAI_SCHEMA_VERSION: 'v10' })).toBe('Invalid environment: AAI_SCHEMA_VERSION must be from v11 to v30, got "v10"');
    expect(loadAppConfig({ AAI_SCHEMA_VERSION: 'v11' }).aai.baseUrl).toMatch(/\/v11$/);
    expect(loadAppConfig({ AAI_SCHEMA_VERSION: 'v30' }).aai.baseUrl).toMatch(/\/v30$/);
  });

  it('refuses an A&AI login set but empty (it used to become AAI)', () => {
    expect(problems({ AAI_PASSWORD: '' })).toBe('Invalid environment: AAI_PASSWORD is set but empty (unset it for the default, or give a value)');
    expect(problems({ AAI_USERNAME: ' ' })).toBe('Invalid environment: AAI_USERNAME is set but empty (unset it for the default, or give a value)');
  });

  it('with NODE_ENV=production, stops without AAI_SERVICE_URL or with the default A&AI login, in one message', () => {
    expect(problems({ NODE_ENV: 'production' })).toBe(
      'Invalid environment: NODE_ENV=production needs AAI_SERVICE_URL (your A&AI, e.g. https://aai.onap:8443/aai) and ' +
        'AAI_USERNAME and AAI_PASSWORD (not the default AAI/AAI login)',
    );
    expect(problems({ NODE_ENV: 'production', AAI_SERVICE_URL: 'https://aai.onap:8443/aai' })).toBe(
      'Invalid environment: NODE_ENV=production needs AAI_USERNAME and AAI_PASSWORD (not the default AAI/AAI login)',
    );
    expect(problems({ NODE_ENV: 'production', AAI_PASSWORD: 's3cret' })).toBe(
      'Invalid environment: NODE_ENV=production needs AAI_SERVICE_URL (your A&AI, e.g. https://aai.onap:8443/aai)',
    );
    const config = loadAppConfig({ NODE_ENV: 'production', AAI_SERVICE_URL: 'https://aai.onap:8443/aai', AAI_PASSWORD: 's3cret' });
    expect(config.aai).toMatchObject({ baseUrl: 'https://aai.onap:8443/aai/v13', username: 'AAI', password: 's3cret' });
    // Outside production the defaults still start (tests, the demo).
    expect(problems({})).toBe('');
  });

  it('warns when MSB is plain http to another host: the Kubernetes tokens would travel in clear', () => {
    expect(loadAppConfig({ MSB_ADDR: 'msb-iag', MSB_PROTO: 'http' }).warnings).toEqual([
      'MSB_PROTO=http: Kubernetes service-account tokens go to multicloud-k8s through MSB (http://msb-iag:80) unencrypted; ' + 'set MSB_PROTO=https, MSB_PORT=443 and MSB_CA_FILE',
    ]);
    expect(loadAppConfig({ MSB_ADDR: 'msb-iag', MSB_PROTO: 'https', MSB_PORT: '443' }).warnings).toEqual([]);
    expect(loadAppConfig({ MSB_ADDR: '127.0.0.1', MSB_PROTO: 'http' }).warnings).toEqual([]);
  });
});
