import { readFileSync } from 'node:fs';
import { IncomingMessage, request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';

import { digestOf, imageBytes } from '../servers/image-bytes';
import { freePort } from '../support/free-port';
import { ServiceProcess, doublesEnv, startListeningService, stopService } from '../support/service-process';
import { ADMIN_SIGN_IN } from '../support/proxy';
import { PREFIX, onboardRegion } from '../support/regions';
import { Doubles, startDoubles, stopDoubles } from '../support/start-app';

const IMAGE_BYTES = 200 * 1024 * 1024;
const MAX_GROWTH = 50 * 1024 * 1024;

/** The resident memory of a process now (Linux /proc). */
function rssOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(kb?.[1] ?? 0) * 1024;
}

function send(url: string, method: string, headers: Record<string, string>, body?: Readable | string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    // A connection of its own per request: no kept-alive socket, idle while this process
    // hashed 200 MB, can be closed by the service just as the next request goes out on it.
    const req = httpRequest(url, { method, headers, agent: false }, resolve).on('error', reject);
    if (body instanceof Readable) body.pipe(req);
    else req.end(body);
  });
}

async function text(response: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of response) body += chunk;
  return body;
}

/**
 * SPEC 8's streaming, on the service as its own process (`src/main.ts`), so that its
 * memory is its own: a 200 MB image goes up and comes back through the proxy while
 * the service's RSS is sampled.
 */
describe('the service proxy streams image data (src/main.ts as a process)', () => {
  let doubles: Doubles;
  let service: ServiceProcess;
  let base: string;

  beforeAll(async () => {
    doubles = await startDoubles();
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'RegionOne' });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // MSB is the service itself: the catalog it rewrites points back at it.
    service = await startListeningService({ ...doublesEnv(port, doubles), MSB_PORT: String(port) });
  });

  afterAll(async () => {
    await stopService(service);
    await stopDoubles(doubles);
  });

  it('uploads and downloads a 200 MB image through the proxy, the service growing by less than 50 MB', async () => {
    const signIn = await send(`${base}${PREFIX}/v1/CloudOwner/RegionOne/identity/v3/auth/tokens`, 'POST', { 'Content-Type': 'application/json' }, JSON.stringify(ADMIN_SIGN_IN));
    expect(signIn.statusCode).toBe(201);
    const token = String(signIn.headers['x-subject-token']);
    const catalog = JSON.parse(await text(signIn)).token.catalog;
    const image = catalog.find((s: { type: string }) => s.type === 'image').endpoints[0].url;
    expect(image).toBe(`${base}${PREFIX}/v1/CloudOwner/RegionOne/image`);
    const auth = { 'X-Auth-Token': token };
    const create = async (name: string) => {
      const created = await send(
        `${image}/v2/images`,
        'POST',
        { ...auth, 'Content-Type': 'application/json' },
        JSON.stringify({ name, disk_format: 'raw', container_format: 'bare' }),
      );
      expect(created.statusCode).toBe(201);
      return JSON.parse(await text(created)).id as string;
    };
    const upload = (id: string, size: number) => send(`${image}/v2/images/${id}/file`, 'PUT', { ...auth, 'Content-Type': 'application/octet-stream' }, imageBytes(size));
    // Hashed first: seconds of CPU on a loaded machine, never between two requests.
    const expected = await digestOf(imageBytes(IMAGE_BYTES));
    // Warm up every code path with a small image first: the baseline is the service at work.
    const small = await create('small');
    await text(await upload(small, 1024 * 1024));
    await digestOf(await send(`${image}/v2/images/${small}/file`, 'GET', auth));

    const pid = service.child.pid!;
    const baseline = rssOf(pid);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 10);
    try {
      const id = await create('big');
      const uploaded = await upload(id, IMAGE_BYTES);
      expect(uploaded.statusCode).toBe(204);
      await text(uploaded);
      expect(doubles.openstack.imageData.get(id)).toEqual(expected);
      const download = await send(`${image}/v2/images/${id}/file`, 'GET', auth);
      expect(download.statusCode).toBe(200);
      expect(download.headers['content-length']).toBe(String(IMAGE_BYTES));
      expect(await digestOf(download)).toEqual(expected);
    } finally {
      clearInterval(sampler);
    }
    process.stdout.write(`proxy streaming: service RSS ${(baseline / 1048576).toFixed(0)} MB before, peak +${((peak - baseline) / 1048576).toFixed(1)} MB\n`);
    expect(peak - baseline).toBeLessThan(MAX_GROWTH);
  });
});
