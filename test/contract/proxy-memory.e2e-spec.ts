import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';

import { freePort } from '../support/free-port';
import { ServiceProcess, doublesEnv, startListeningService, stopService } from '../support/service-process';
import { ADMIN_SIGN_IN } from '../support/proxy';
import { PREFIX, onboardRegion } from '../support/regions';
import { Doubles, startDoubles, stopDoubles } from '../support/start-app';

const ANSWERS = 6;
/** Each a Nova-like JSON list of 24 MB (many small objects, as a big server list is). */
const ANSWER_BYTES = 24 * 1024 * 1024;
/** Rewrites hold at most 4 x 4 MiB (and their parsed copies); streamed chunks wait for the next collection. Unbounded, it was +440 MB. */
const MAX_GROWTH = 100 * 1024 * 1024;

function rssOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(kb?.[1] ?? 0) * 1024;
}

/** GET through the proxy on a connection of its own; resolves with the status and the bytes counted (not kept). */
function download(url: string, token: string): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    httpRequest(url, { headers: { 'X-Auth-Token': token }, agent: false }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode!, bytes }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

/**
 * SPEC 11: the proxy holds at most PROXY_REWRITE_CONCURRENCY answers of at most
 * PROXY_REWRITE_MAX_BYTES at once to rewrite them; larger JSON answers stream. The
 * service runs as its own process (`src/main.ts`) so that its resident memory is its own.
 */
describe('the proxy under large JSON answers (src/main.ts as a process)', () => {
  let doubles: Doubles;
  let service: ServiceProcess;
  let base: string;
  let bigList: string;

  beforeAll(async () => {
    doubles = await startDoubles();
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'RegionOne' });
    const server = (n: number) =>
      `{"id":"${String(n).padStart(8, '0')}","name":"vm-${n}","status":"ACTIVE","links":[{"rel":"self","href":"${doubles.openstack.url}/RegionOne/image/v2/images/${n}"}]}`;
    const items: string[] = [];
    let size = 20;
    for (let n = 0; size < ANSWER_BYTES; n++) {
      items.push(server(n));
      size += items[items.length - 1].length + 1;
    }
    bigList = `{"servers":[${items.join(',')}]}`;
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // MSB is the service itself: the catalog it rewrites points back at it.
    service = await startListeningService({ ...doublesEnv(port, doubles), MSB_PORT: String(port) });
  });

  afterAll(async () => {
    await stopService(service);
    await stopDoubles(doubles);
  });

  it(`passes ${ANSWERS} JSON answers of 24 MB at once, the service growing by less than 100 MB`, async () => {
    const signedIn = await fetch(`${base}${PREFIX}/v1/CloudOwner/RegionOne/identity/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(ADMIN_SIGN_IN),
    });
    expect(signedIn.status).toBe(201);
    const token = signedIn.headers.get('x-subject-token')!;
    const url = `${base}${PREFIX}/v1/CloudOwner/RegionOne/compute/servers/detail`;
    // Warm-up: a small document, rewritten, so the baseline is the service at work.
    doubles.openstack.failNext('GET', /\/servers\/detail$/, { status: 200, body: { servers: [] } });
    expect((await download(url, token)).status).toBe(200);

    doubles.openstack.failNext('GET', /\/servers\/detail$/, { status: 200, body: bigList }, ANSWERS);
    const pid = service.child.pid!;
    const baseline = rssOf(pid);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 10);
    let answers: Array<{ status: number; bytes: number }>;
    try {
      answers = await Promise.all(Array.from({ length: ANSWERS }, () => download(url, token)));
    } finally {
      clearInterval(sampler);
    }
    process.stdout.write(
      `proxy memory: service RSS ${(baseline / 1048576).toFixed(0)} MB before, peak +${((peak - baseline) / 1048576).toFixed(1)} MB over ${ANSWERS} answers of ${(bigList.length / 1048576).toFixed(0)} MB\n`,
    );
    expect(peak - baseline).toBeLessThan(MAX_GROWTH);
    // Byte for byte: too large to be rewritten, the answers went through as they came.
    expect(answers).toEqual(Array.from({ length: ANSWERS }, () => ({ status: 200, bytes: Buffer.byteLength(bigList) })));
  });
});
