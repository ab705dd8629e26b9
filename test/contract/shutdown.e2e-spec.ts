import { PREFIX, eventually, onboardRegion } from '../support/regions';
import { BASE_REDIS_URL, resetStore, testRedisUrl, withRedis } from '../support/redis';
import { freePort } from '../support/free-port';
import { ServiceProcess, doublesEnv, jsonLines, killService, startService } from '../support/service-process';
import { Doubles, startDoubles, stopDoubles } from '../support/start-app';

type Json = Record<string, any>;

const VIMID = 'CloudOwner_RegionOne';
const REGISTRY = `${PREFIX}/v1/CloudOwner/RegionOne/registry`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STOPPING = 'the service is stopping: send the request to another replica';

/**
 * SPEC section 10 on a real process (src/main.ts), JSON logs: SIGTERM mid-registration
 * turns readiness false, refuses new POST/DELETE with 503, gives the running job
 * SHUTDOWN_GRACE_MS, then stops it and leaves it for another replica, and exits 0.
 * With Redis (second pass) the test also reads what was left in the store.
 */
describe('SIGTERM on the service process', () => {
  let doubles: Doubles;
  let service: ServiceProcess | undefined;
  let base: string;

  beforeEach(async () => {
    await resetStore();
    doubles = await startDoubles();
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'RegionOne' });
  });

  afterEach(async () => {
    await killService(service);
    service = undefined;
    await stopDoubles(doubles);
  });

  async function start(graceMs: number): Promise<ServiceProcess> {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    service = startService({
      ...doublesEnv(port, doubles, BASE_REDIS_URL ? testRedisUrl() : undefined),
      HTTP_RETRY_BASE_MS: '5',
      AAI_CONFIRM_INTERVAL_MS: '10',
      SHUTDOWN_GRACE_MS: String(graceMs),
    });
    await eventually(() => service!.output().includes('listening on'), 30_000);
    return service;
  }

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { 'X-ONAP-RequestID': 'sigterm-0001', ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Json) : undefined };
  };

  /** Every line the process wrote, each a JSON object (LOG_FORMAT=json). */
  const logLines = (): Json[] => jsonLines(service!);

  it('drains: not ready, 503 to new writes, the job gets its grace, then is left for another replica; exit 0', async () => {
    doubles.aai.slowDown(/\/flavors\/flavor\//, 5_000);
    await start(1_500);
    expect(await call('GET', '/health/ready')).toEqual({
      status: 200,
      body: {
        status: 'ok',
        info: { store: { status: 'up' }, serving: { status: 'up' } },
        error: {},
        details: { store: { status: 'up' }, serving: { status: 'up' } },
      },
    });
    expect((await call('POST', REGISTRY)).status).toBe(202);
    await eventually(() => doubles.aai.count('PUT', /\/flavors\/flavor\//) > 0, 20_000);

    const signalled = Date.now();
    service!.child.kill('SIGTERM');
    // 1. Readiness turns false at once; liveness stays.
    await eventually(() => service!.output().includes('SIGTERM: draining'), 5_000);
    expect(await call('GET', '/health/ready')).toEqual({
      status: 503,
      body: {
        status: 'error',
        info: { store: { status: 'up' } },
        error: { serving: { status: 'down', message: 'draining: the service is stopping' } },
        details: { store: { status: 'up' }, serving: { status: 'down', message: 'draining: the service is stopping' } },
      },
    });
    expect((await call('GET', '/health/live')).status).toBe(200);
    // 2. New POST and DELETE answer 503 {"error"}; reads still answer.
    expect(await call('POST', REGISTRY)).toEqual({ status: 503, body: { error: STOPPING } });
    expect(await call('DELETE', REGISTRY)).toEqual({ status: 503, body: { error: STOPPING } });
    expect(await call('POST', `${PREFIX}/v1/CloudOwner/RegionOne/capacity_check`, { vCPU: 1, Memory: 1, Storage: 1 })).toEqual({
      status: 503,
      body: { result: false, error: STOPPING },
    });
    const running = await call('GET', REGISTRY);
    expect(running.status).toBe(200);
    expect(running.body).toMatchObject({ state: 'in-progress', code: 1 });
    // 3. The job had its grace (1.5 s), then was stopped; 4. the process exits 0.
    expect(await service!.exited).toBe(0);
    const stoppedAfter = Date.now() - signalled;
    expect(stoppedAfter).toBeGreaterThanOrEqual(1_500);
    expect(stoppedAfter).toBeLessThan(1_500 + 5_000);

    const lines = logLines();
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(expect.arrayContaining(['level', 'time', 'message']));
      expect(Number.isNaN(Date.parse(line.time))).toBe(false);
    }
    const left = lines.find((line) => String(line.message).includes(`register job of ${VIMID} interrupted: the service instance running it stopped`));
    expect(left).toMatchObject({ level: 'warn', RequestID: 'sigterm-0001', vimid: VIMID, jobRunId: expect.stringMatching(UUID) });
    // The job's own lines carry the POST's id, the region and the run; so does the POST's request line.
    const jobLines = lines.filter((line) => line.jobRunId === left!.jobRunId);
    expect(jobLines.length).toBeGreaterThanOrEqual(2);
    expect(jobLines.every((line) => line.RequestID === 'sigterm-0001' && line.vimid === VIMID)).toBe(true);
    // The request's own line: these fields and no others (no headers); ONAP's field names.
    expect(lines.find((line) => line.message === `POST ${REGISTRY} 202`)).toEqual({
      level: 'info',
      time: expect.any(String),
      RequestID: 'sigterm-0001',
      InvocationID: expect.stringMatching(UUID),
      PartnerName: 'UNKNOWN',
      ServiceName: 'POST /api/multicloud-starlingx/v1/:owner/:region/registry',
      TargetEntity: 'multicloud-starlingx',
      ResponseCode: 202,
      ElapsedTime: expect.any(Number),
      vimid: VIMID,
      method: 'POST',
      url: REGISTRY,
      message: `POST ${REGISTRY} 202`,
    });
    expect(lines.find((line) => line.message === `POST ${REGISTRY} 503`)).toMatchObject({ level: 'error', RequestID: 'sigterm-0001' });
    // Every call A&AI saw carried the id of the POST that caused it.
    expect(new Set(doubles.aai.requests.map((r) => r.headers['x-onap-requestid']))).toEqual(new Set(['sigterm-0001']));

    if (BASE_REDIS_URL) {
      // 5. Left for another replica: the record still in progress and marked interrupted (the sweep
      //    of a live replica resumes it), nothing else queued, the claim free.
      const [record, pending, claim] = await withRedis((redis) =>
        Promise.all([redis.get(`mcstx:job:${VIMID}`), redis.get(`mcstx:job_next:${VIMID}`), redis.get(`mcstx:job_claim:${VIMID}`)]),
      );
      expect(JSON.parse(record!)).toMatchObject({
        kind: 'register',
        state: 'in-progress',
        code: 1,
        message: 'The registration is on progress',
        interruption: 'the service instance running it stopped',
      });
      expect(pending).toBeNull();
      expect(claim).toBeNull();
    }
  });

  it('lets a job that ends within the grace finish, then exits 0', async () => {
    doubles.aai.slowDown(/\/flavors\/flavor\//, 1_000);
    await start(20_000);
    expect((await call('POST', REGISTRY)).status).toBe(202);
    await eventually(() => doubles.aai.count('PUT', /\/flavors\/flavor\//) > 0, 20_000);
    service!.child.kill('SIGTERM');
    expect(await service!.exited).toBe(0);
    const lines = logLines();
    expect(lines.find((line) => line.message === `Registration finished for Cloud Region: ${VIMID}`)).toMatchObject({
      level: 'info',
      RequestID: 'sigterm-0001',
      vimid: VIMID,
    });
    expect(lines.some((line) => String(line.message).includes('interrupted'))).toBe(false);
  });
});
