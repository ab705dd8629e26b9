import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { load } from 'js-yaml';

const ROOT = join(__dirname, '..');
const SPEC_ENV = [
  'PORT',
  'SSL_ENABLED',
  'SSL_CERT_FILE',
  'SSL_KEY_FILE',
  'MSB_PROTO',
  'MSB_ADDR',
  'MSB_PORT',
  'AAI_SERVICE_URL',
  'AAI_ADDR',
  'AAI_PORT',
  'AAI_SCHEMA_VERSION',
  'AAI_USERNAME',
  'AAI_PASSWORD',
  'REDIS_URL',
  'AZCAP_AUDIT_INTERVAL_MS',
  'LOG_FORMAT',
  'LOG_LEVEL',
  'SHUTDOWN_GRACE_MS',
];

/** Docker does not run here: these checks keep the compose file and the image honest. */
describe('docker-compose.yml and Dockerfile', () => {
  const compose = load(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as any;
  const service = compose.services['multicloud-starlingx'];

  it('runs the service next to a Redis it waits for', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['multicloud-starlingx', 'redis']);
    expect(service.depends_on.redis.condition).toBe('service_healthy');
    expect(new URL(service.environment.REDIS_URL).hostname).toBe('redis');
    expect(service.ports).toEqual(['9009:9009']);
  });

  it('sets every variable of SPEC section 2 this service reads, logs JSON, and gives SIGTERM its grace', () => {
    expect(service.environment.LOG_FORMAT).toBe('json');
    expect(service.stop_grace_period).toBe('30s');
    expect(Object.keys(service.environment).sort()).toEqual([...SPEC_ENV].sort());
  });

  it('builds an image that serves on the port compose maps', () => {
    const dockerfile = readFileSync(join(ROOT, service.build, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20/m);
    expect(dockerfile).toMatch(/^EXPOSE 9009$/m);
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/main.js"\]$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/LOG_FORMAT=json/);
    expect(dockerfile).toMatch(/\/health\/live/);
  });
});
