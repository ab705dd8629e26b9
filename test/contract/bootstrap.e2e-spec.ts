import { get as httpsGet } from 'node:https';

import { freePort } from '../support/free-port';
import { eventually } from '../support/regions';
import { ServiceProcess, startService as start } from '../support/service-process';
import { TestPki, makePki } from '../support/tls';

describe('the service process (src/main.ts)', () => {
  let pki: TestPki;
  const running: ServiceProcess[] = [];

  beforeAll(() => {
    pki = makePki();
  });

  afterEach(async () => {
    for (const process of running.splice(0)) {
      process.child.kill('SIGKILL');
      await process.exited;
    }
  });

  it('starts on its embedded defaults (in-process store, no Redis), answers, and stops on SIGTERM', async () => {
    const port = await freePort();
    const service = start({ PORT: String(port) });
    running.push(service);
    await eventually(() => service.output().includes('listening on'), 30_000);
    expect(service.output()).toContain(`multicloud-starlingx listening on http://0.0.0.0:${port}`);
    expect(service.output()).toContain('A&AI https://aai.api.simpledemo.openecomp.org:8443/aai/v13, store in-process memory');
    const health = await fetch(`http://127.0.0.1:${port}/samples/`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'active' });
    service.child.kill('SIGTERM');
    // Drains (no job runs here), closes the app (hooks run), exits 0.
    expect(await service.exited).toBe(0);
    running.pop();
    expect(service.output()).toContain('SIGTERM: draining; running jobs get 20000 ms');
    expect(service.output()).toContain('stopping: running jobs are left to another replica to resume');
    expect(service.output()).toMatch(/INFO: stopped$/m);
  });

  it('serves HTTPS with SSL_ENABLED', async () => {
    const port = await freePort();
    const service = start({ PORT: String(port), SSL_ENABLED: 'true', SSL_CERT_FILE: pki.certFile, SSL_KEY_FILE: pki.keyFile });
    running.push(service);
    await eventually(() => service.output().includes('listening on'), 30_000);
    expect(service.output()).toContain(`listening on https://0.0.0.0:${port}`);
    const body = await new Promise<string>((resolve, reject) => {
      httpsGet(`https://127.0.0.1:${port}/samples/`, { ca: pki.caPem }, (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve(`${response.statusCode} ${text}`));
      }).on('error', reject);
    });
    expect(body).toBe('200 {"status":"active"}');
  });

  it('refuses to start with a bad environment, naming every bad variable', async () => {
    const service = start({ PORT: 'eighty', REDIS_URL: 'http://not-redis:6379', SSL_ENABLED: 'true' });
    running.push(service);
    expect(await service.exited).toBe(1);
    running.pop();
    expect(service.output()).toContain('PORT must be an integer from 0 to 65535, got "eighty"');
    expect(service.output()).toContain('REDIS_URL must be a redis: or rediss: URL, got "http://not-redis:6379"');
    expect(service.output()).toContain('SSL_ENABLED needs SSL_CERT_FILE and SSL_KEY_FILE');
  });

  it('stops when Redis cannot be reached at start, naming REDIS_URL, without its credentials', async () => {
    const deadPort = await freePort();
    const service = start({ PORT: String(await freePort()), REDIS_URL: `redis://user:s3cret@127.0.0.1:${deadPort}`, MSB_PROTO: 'http', MSB_ADDR: 'msb-iag' });
    running.push(service);
    expect(await service.exited).toBe(1);
    running.pop();
    expect(service.output()).toContain(
      `REDIS_URL: cannot reach Redis at redis://***@127.0.0.1:${deadPort} (connect ECONNREFUSED 127.0.0.1:${deadPort}); start it or correct REDIS_URL`,
    );
    expect(service.output()).not.toContain('s3cret');
  });

  it('warns at start when the Kubernetes tokens would go to MSB over plain http', async () => {
    const port = await freePort();
    const service = start({ PORT: String(port), MSB_PROTO: 'http', MSB_ADDR: 'msb-iag', LOG_FORMAT: 'json' });
    running.push(service);
    await eventually(() => service.output().includes('listening on'), 30_000);
    const warning = service
      .output()
      .split('\n')
      .filter((line) => line.includes('MSB_PROTO=http'))
      .map((line) => ({ ...JSON.parse(line), time: '<time>' }));
    expect(warning).toEqual([
      {
        level: 'warn',
        time: '<time>',
        context: 'Config',
        message:
          'MSB_PROTO=http: Kubernetes service-account tokens go to multicloud-k8s through MSB (http://msb-iag:80) unencrypted; set MSB_PROTO=https, MSB_PORT=443 and MSB_CA_FILE',
      },
    ]);
  });
});
