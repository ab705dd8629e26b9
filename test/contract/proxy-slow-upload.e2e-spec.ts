import { request as httpRequest, IncomingMessage } from 'node:http';

import { ADMIN_SIGN_IN, startProxyApp } from '../support/proxy';
import { PREFIX, onboardRegion } from '../support/regions';
import { resetStore } from '../support/redis';
import { Doubles, TestApp, startDoubles, stopDoubles } from '../support/start-app';

const V1 = `${PREFIX}/v1/CloudOwner/RegionOne`;
const IDLE_MS = 1000;

/**
 * SPEC 11: an upload through the proxy may take as long as it keeps sending (no
 * whole-request deadline cuts a slow multi-GB image), while a client that stops
 * sending is cut after HTTP_IDLE_TIMEOUT_MS.
 */
describe('slow uploads through the proxy', () => {
  let doubles: Doubles;
  let service: TestApp;
  let base: string;
  let token: string;

  beforeAll(async () => {
    await resetStore();
    doubles = await startDoubles();
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'RegionOne' });
    ({ service, base } = await startProxyApp(doubles, { HTTP_IDLE_TIMEOUT_MS: String(IDLE_MS) }));
    const signedIn = await fetch(`${base}${V1}/identity/v3/auth/tokens`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(ADMIN_SIGN_IN) });
    token = signedIn.headers.get('x-subject-token')!;
  });

  afterAll(async () => {
    await service?.close();
    await stopDoubles(doubles);
  });

  async function newImage(): Promise<string> {
    const created = await fetch(`${base}${V1}/image/v2/images`, {
      method: 'POST',
      headers: { 'X-Auth-Token': token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'slow', disk_format: 'raw', container_format: 'bare' }),
    });
    expect(created.status).toBe(201);
    return ((await created.json()) as { id: string }).id;
  }

  /** A PUT of the image's data, one chunk every `everyMs`; resolves with the answer's status or the error. */
  function trickle(id: string, chunks: number, everyMs: number, stallAfter = Infinity): Promise<number | string> {
    return new Promise((resolve) => {
      const url = new URL(`${base}${V1}/image/v2/images/${id}/file`);
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'PUT',
          agent: false,
          headers: { 'X-Auth-Token': token, 'Content-Type': 'application/octet-stream', 'Content-Length': String(chunks * 1024) },
        },
        (res: IncomingMessage) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      let sent = 0;
      const timer = setInterval(() => {
        if (sent >= stallAfter) return;
        req.write(Buffer.alloc(1024, 7));
        if (++sent === chunks) {
          clearInterval(timer);
          req.end();
        }
      }, everyMs);
      req.on('close', () => clearInterval(timer));
    });
  }

  it("turns off Node's whole-request deadline, keeping the headers, idle and keep-alive ones", () => {
    expect({
      requestTimeout: service.http.requestTimeout,
      headersTimeout: service.http.headersTimeout,
      keepAliveTimeout: service.http.keepAliveTimeout,
      timeout: service.http.timeout,
    }).toEqual({ requestTimeout: 0, headersTimeout: 60_000, keepAliveTimeout: 65_000, timeout: IDLE_MS });
  });

  it('passes on an upload that lasts several idle timeouts while it keeps sending', async () => {
    const id = await newImage();
    expect(await trickle(id, 12, 250)).toBe(204);
    expect(doubles.openstack.imageData.get(id)?.size).toBe(12 * 1024);
  });

  it('cuts an upload whose client stops sending', async () => {
    const id = await newImage();
    const started = Date.now();
    expect(await trickle(id, 12, 100, 2)).toBe('ECONNRESET');
    expect(Date.now() - started).toBeLessThan(IDLE_MS + 1500);
  });
});
