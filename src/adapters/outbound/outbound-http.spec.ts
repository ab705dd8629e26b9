import { createServer, Server, Socket } from 'node:net';

import { HttpDouble } from '../../../test/servers/http-double';
import { runWithSignal } from '../../application/jobs/call-scope';
import { RemoteCallError } from '../../application/ports/remote-call.error';
import { AppConfig, loadAppConfig } from '../../config/app.config';
import { OutboundHttp, errorDetail } from './outbound-http';

describe('OutboundHttp', () => {
  let server: HttpDouble;
  const inFlight = new Map<string, number>();
  const peak = new Map<string, number>();

  beforeAll(async () => {
    server = new HttpDouble(async (request) => {
      const now = (inFlight.get(request.path) ?? 0) + 1;
      inFlight.set(request.path, now);
      peak.set(request.path, Math.max(peak.get(request.path) ?? 0, now));
      await new Promise((resolve) => setTimeout(resolve, Number(request.query.get('wait') ?? 0)));
      inFlight.set(request.path, (inFlight.get(request.path) ?? 1) - 1);
      const size = Number(request.query.get('size') ?? 0);
      return { status: Number(request.query.get('status') ?? 200), body: size ? { pad: 'x'.repeat(size) } : { ok: true } };
    });
    await server.start();
  });

  afterAll(() => server.close());

  function client(env: Record<string, string> = {}): OutboundHttp {
    const config: AppConfig = loadAppConfig({ HTTP_TIMEOUT_MS: '200', HTTP_RETRIES: '2', HTTP_RETRY_BASE_MS: '1', ...env });
    return new OutboundHttp(config);
  }

  const calls = (path: RegExp) => server.count(undefined, path);

  it('returns a 2xx answer', async () => {
    const response = await client().send('cloud', { system: 'Nova', method: 'GET', url: `${server.url}/ok` });
    expect(response).toMatchObject({ status: 200, data: { ok: true } });
  });

  it('retries a 5xx a bounded number of times, then names the call and status', async () => {
    await expect(client().send('cloud', { system: 'Nova', method: 'GET', url: `${server.url}/down?status=503` })).rejects.toThrow(
      new RemoteCallError('Nova', `GET ${server.url}/down`, 503),
    );
    expect(calls(/^\/down$/)).toBe(3);
  });

  it('does not retry a 4xx', async () => {
    // A deadline far from the answer: only the 412 decides whether to retry.
    await expect(client({ HTTP_TIMEOUT_MS: '5000' }).send('aai', { system: 'A&AI', method: 'PUT', url: `${server.url}/conflict?status=412` })).rejects.toMatchObject({
      status: 412,
    });
    expect(calls(/^\/conflict$/)).toBe(1);
  });

  it('hands back a status the caller accepts', async () => {
    const response = await client().send('aai', { system: 'A&AI', method: 'GET', url: `${server.url}/none?status=404`, accept: [200, 404] });
    expect(response.status).toBe(404);
  });

  it('gives up on a remote that does not answer within the timeout, retrying it', async () => {
    const started = Date.now();
    await expect(client().send('cloud', { system: 'Glance', method: 'GET', url: `${server.url}/slow?wait=1000` })).rejects.toThrow(
      `Glance GET ${server.url}/slow failed: no answer within 200 ms`,
    );
    expect(Date.now() - started).toBeLessThan(900);
    expect(calls(/^\/slow$/)).toBe(3);
  });

  it('names the call without credentials or query', async () => {
    const url = new URL(`${server.url}/named?status=404&resource-version=7`);
    url.username = 'user';
    url.password = 'pass';
    await expect(client().send('aai', { system: 'A&AI', method: 'DELETE', url: url.toString() })).rejects.toThrow(`A&AI DELETE ${server.url}/named answered 404`);
  });

  it('gives each attempt the headers of its own', async () => {
    let n = 0;
    await expect(
      client().send('aai', { system: 'A&AI', method: 'GET', url: `${server.url}/fresh?status=503`, headers: () => ({ 'X-TransactionId': `tx-${++n}` }) }),
    ).rejects.toMatchObject({ status: 503 });
    expect(server.requests.filter((r) => r.path === '/fresh').map((r) => r.headers['x-transactionid'])).toEqual(['tx-1', 'tx-2', 'tx-3']);
  });

  it('retries a refused connection', async () => {
    const closed = new HttpDouble(() => ({ status: 200 }));
    const url = await closed.start();
    await closed.close();
    await expect(client().send('aai', { system: 'A&AI', method: 'GET', url: `${url}/x` })).rejects.toThrow(/A&AI GET .* failed: ECONNREFUSED/);
  });

  it('keeps at most N calls of a pool in flight', async () => {
    const outbound = client({ CLOUD_CONCURRENCY: '3' });
    await Promise.all(Array.from({ length: 12 }, () => outbound.send('cloud', { system: 'Nova', method: 'GET', url: `${server.url}/pooled?wait=20` })));
    expect(peak.get('/pooled')).toBe(3);
  });

  it('stops a call when its job is aborted', async () => {
    const controller = new AbortController();
    const call = runWithSignal(controller.signal, () => client().send('cloud', { system: 'Nova', method: 'GET', url: `${server.url}/aborted?wait=150` }));
    // Stopped once the request is on the wire (under load it may take longer than 20 ms to get there).
    while (calls(/^\/aborted$/) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort(new Error('stopped by a de-registration request'));
    await expect(call).rejects.toThrow('stopped by a de-registration request');
    expect(calls(/^\/aborted$/)).toBe(1);
  });

  it('keeps a stuck host to its own slots: another host is still served', async () => {
    const outbound = client({ CLOUD_CONCURRENCY: '3', CLOUD_HOST_CONCURRENCY: '2', HTTP_TIMEOUT_MS: '1000', HTTP_RETRIES: '0' });
    const stuck = Array.from({ length: 6 }, () => outbound.send('cloud', { system: 'Nova', method: 'GET', url: `${server.url}/stuck?wait=300` }).catch(() => undefined));
    const other = server.url.replace('127.0.0.1', 'localhost');
    const started = Date.now();
    await expect(outbound.send('cloud', { system: 'Nova', method: 'GET', url: `${other}/healthy` })).resolves.toMatchObject({ status: 200 });
    expect(Date.now() - started).toBeLessThan(500);
    await Promise.all(stuck);
    expect(peak.get('/stuck')).toBe(2);
  });

  it('forgets idle cloud hosts past 1,024, never one with a call in flight', async () => {
    const http = client({ CLOUD_HOST_CONCURRENCY: '1', HTTP_TIMEOUT_MS: '5000' });
    let release!: () => void;
    const held = http.inCloudSlots('http://busy:1', () => new Promise<void>((resolve) => (release = resolve)));
    for (let i = 0; i < 1_100; i += 1) await http.inCloudSlots(`http://host-${i}:1`, async () => undefined);
    expect(http.hostsTracked).toBeLessThanOrEqual(1_024);
    // The busy host kept its limiter: a second call to it waits for the first.
    let second = false;
    const next = http.inCloudSlots('http://busy:1', async () => {
      second = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(second).toBe(false);
    release();
    await Promise.all([held, next]);
    expect(second).toBe(true);
  });

  it("counts the wait for a slot in the call's deadline", async () => {
    const outbound = client({ CLOUD_CONCURRENCY: '1', HTTP_RETRIES: '0' });
    // The cloud pool's one slot is held for a second, longer than the call's 200 ms deadline.
    const pools = (outbound as unknown as { limiters: Record<string, { run<T>(work: () => Promise<T>): Promise<T> }> }).limiters;
    const first = pools.cloud.run(() => new Promise((resolve) => setTimeout(resolve, 1000)));
    await expect(outbound.send('cloud', { system: 'Nova', method: 'GET', url: `${server.url}/queued` })).rejects.toThrow(
      /^Nova GET .*\/queued failed: no free slot within \d+ ms$/,
    );
    await first;
    expect(calls(/^\/queued$/)).toBe(0);
  });

  it('times a connection out apart from the answer', async () => {
    // A TCP server that never speaks TLS: the handshake never ends.
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as import('node:net').AddressInfo).port;
    try {
      const started = Date.now();
      await expect(
        client({ HTTP_CONNECT_TIMEOUT_MS: '150', HTTP_TIMEOUT_MS: '5000', HTTP_RETRIES: '0' }).send('cloud', {
          system: 'Keystone',
          method: 'GET',
          url: `https://127.0.0.1:${port}/v3`,
        }),
      ).rejects.toThrow(`Keystone GET https://127.0.0.1:${port}/v3 failed: no connection within 150 ms`);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      sockets.forEach((socket) => socket.destroy());
      silent.close();
    }
  });

  it('refuses an answer larger than HTTP_MAX_RESPONSE_BYTES', async () => {
    await expect(
      client({ HTTP_MAX_RESPONSE_BYTES: '2048', HTTP_RETRIES: '0' }).send('cloud', { system: 'Glance', method: 'GET', url: `${server.url}/huge?size=5000` }),
    ).rejects.toThrow(`Glance GET ${server.url}/huge failed: answer larger than 2048 bytes`);
  });

  it('sends a path as written: an encoded dot id is not resolved away', async () => {
    await client().send('aai', { system: 'A&AI', method: 'GET', url: `${server.url}/flavors/flavor/%2E%2E?depth=all` });
    expect(server.requests.map((r) => r.path)).toContain('/flavors/flavor/..');
  });
});

describe('errorDetail', () => {
  it('reads A&AI and OpenStack error bodies', () => {
    expect(errorDetail({ requestError: { serviceException: { messageId: 'SVC3000', variables: ['PUT', 'p', 'Precondition Failed', 'ERR.5.4.6131'] } } })).toBe(
      'SVC3000 Precondition Failed ERR.5.4.6131',
    );
    expect(errorDetail({ itemNotFound: { code: 404, message: 'Flavor 7 could not be found.' } })).toBe('Flavor 7 could not be found.');
    expect(errorDetail('plain text')).toBe('plain text');
    expect(errorDetail(undefined)).toBeUndefined();
  });
});
