import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { load } from 'js-yaml';

import { makePki } from './support/tls';

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
    // Node 24: an LTS line still supported (20 reached its end in April 2026).
    expect(dockerfile.match(/^FROM node:\S+/gm)).toEqual(['FROM node:24-alpine', 'FROM node:24-alpine']);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n\s+CMD \["node", "healthcheck.js"\]$/m);
    expect(dockerfile).toMatch(/^EXPOSE 9009$/m);
    expect(dockerfile).toMatch(/^CMD \["node", "--max-semi-space-size=8", "dist\/main.js"\]$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/LOG_FORMAT=json/);
    expect(dockerfile).toMatch(/\/health\/live/);
  });
});

/** healthcheck.js, the image's HEALTHCHECK, against a real server on each protocol. */
describe('healthcheck.js', () => {
  const pki = makePki();
  const answer = (_req: unknown, res: import('node:http').ServerResponse) => res.end('{"status":"active"}');

  async function probe(server: import('node:http').Server, env: Record<string, string>): Promise<number> {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      return await new Promise((resolve) =>
        execFile(process.execPath, [join(ROOT, 'healthcheck.js')], { env: { PATH: process.env.PATH, PORT: String(port), ...env } }, (error) =>
          resolve(error ? Number(error.code ?? 1) : 0),
        ),
      );
    } finally {
      server.close();
    }
  }

  it('probes over HTTPS when SSL_ENABLED is on', async () => {
    expect(await probe(createHttpsServer({ key: pki.key, cert: pki.cert }, answer), { SSL_ENABLED: 'true' })).toBe(0);
  });

  it('probes over HTTP otherwise', async () => {
    expect(await probe(createHttpServer(answer), {})).toBe(0);
  });

  it('fails when the service does not answer on the protocol it should', async () => {
    expect(await probe(createHttpServer(answer), { SSL_ENABLED: 'yes' })).toBe(1);
  });
});
