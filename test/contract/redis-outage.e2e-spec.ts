import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';

import request from 'supertest';

import { PREFIX, SAMPLE_COUNTS, eventually, noChanges, onboardRegion, registered, waitForJob } from '../support/regions';
import { Doubles, TestApp, startApp, startDoubles, stopDoubles } from '../support/start-app';

const hasRedisServer = (() => {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A Redis of the test's own, so it can be stopped under a running service. */
async function startRedis(port: number): Promise<ChildProcess> {
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'pipe' });
  let output = '';
  redis.stdout!.on('data', (chunk) => (output += chunk));
  await eventually(() => output.includes('Ready to accept connections'), 10_000);
  return redis;
}

async function stopRedis(redis: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => redis.once('exit', resolve));
  redis.kill('SIGKILL');
  await exited;
}

(hasRedisServer ? describe : describe.skip)('the service when Redis goes away and comes back', () => {
  let doubles: Doubles;
  let service: TestApp;
  let redis: ChildProcess;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    doubles = await startDoubles();
    service = await startApp(doubles, { REDIS_URL: `redis://127.0.0.1:${port}`, AZCAP_AUDIT_INTERVAL_MS: '300' });
  });

  afterAll(async () => {
    await service?.close();
    if (redis.exitCode === null) await stopRedis(redis);
    await stopDoubles(doubles);
  });

  it('answers errors at once instead of hanging or crashing, and recovers', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'Outage' });
    const path = `${PREFIX}/v1/CloudOwner/Outage/registry`;
    await request(service.http).post(path).expect(202);
    expect(await waitForJob(service.http, path)).toEqual(registered('CloudOwner_Outage'));

    await stopRedis(redis);
    const started = Date.now();
    const status = await request(service.http).get(path);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(status.status).toBe(503);
    expect(status.body).toEqual({ error: "the service's store is unreachable (Redis is not connected)" });
    // POST and DELETE say the same, with no stack trace in the log.
    for (const method of ['post', 'delete'] as const) {
      const answer = await request(service.http)[method](path);
      expect({ status: answer.status, error: answer.body.error }).toEqual({ status: 503, error: expect.stringMatching(/^the service's store is unreachable \(/) });
    }
    expect(service.logs.lines.filter((line) => line.includes('    at '))).toEqual([]);
    await request(service.http).get('/samples/').expect(200);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await eventually(() => service.logs.lines.some((line) => line.includes('connection lost')));
    // The audit schedule's next round fails and says so once (a round that failed sleeps up to 5 s).
    await eventually(() => service.logs.lines.some((line) => line.includes('capacity audits paused')), 10_000);
    expect(service.logs.lines.filter((line) => line.includes('capacity audits paused'))).toHaveLength(1);

    redis = await startRedis(port);
    await eventually(() => service.logs.lines.some((line) => line.includes('connection back')), 15_000);
    // Redis came back empty (it keeps nothing on disk here): register again.
    await request(service.http).post(path).expect(202);
    // A&AI already holds it all from before the outage: nothing to write.
    expect(await waitForJob(service.http, path)).toEqual(registered('CloudOwner_Outage', SAMPLE_COUNTS, undefined, { CloudOwner_Outage: noChanges() }));
    await eventually(() => service.logs.lines.some((line) => line.includes('capacity audits resumed')));
  });

  it('answers 503 naming the store, not "not found" or "no zones", when Redis refuses reads', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'Refusing' });
    const base = `${PREFIX}/v1/CloudOwner/Refusing`;
    await request(service.http).post(`${base}/registry`).expect(202);
    expect(await waitForJob(service.http, `${base}/registry`)).toMatchObject({ code: 0 });
    await request(service.http).post(`${base}/capacity_check`).send({ vCPU: 1, Memory: 1, Storage: 1 }).expect(200);
    // Connected and ready, but every read answers an error (as while Redis loads its data set).
    const admin = execFileSync('redis-cli', ['-p', String(port), 'ACL', 'SETUSER', 'default', '-get', '-mget'])
      .toString()
      .trim();
    expect(admin).toBe('OK');
    try {
      const status = await request(service.http).get(`${base}/registry`);
      expect({ status: status.status, body: status.body }).toEqual({
        status: 503,
        body: { error: expect.stringMatching(/^the service's store is unreachable \(Redis: NOPERM/) },
      });
      const check = await request(service.http).post(`${base}/capacity_check`).send({ vCPU: 1, Memory: 1, Storage: 1 });
      expect({ status: check.status, body: check.body }).toEqual({
        status: 503,
        body: { result: false, error: expect.stringMatching(/^the service's store is unreachable \(Redis: NOPERM/) },
      });
    } finally {
      execFileSync('redis-cli', ['-p', String(port), 'ACL', 'SETUSER', 'default', '+get', '+mget']);
    }
  });
});
