import request from 'supertest';

import { StoreConnection } from '../../src/adapters/store/store-connection';
import { PREFIX, REGIONS, SAMPLE_COUNTS, eventually, onboardRegion, registered, unregistered, waitForJob } from '../support/regions';
import { describeWithRedis, withRedis } from '../support/redis';
import { Doubles, TestApp, logLines, serveReplicas } from '../support/start-app';

/**
 * A registration that follows an interrupted job: what it created or found unchanged
 * depends on how far the interrupted one got; A&AI's resulting state is asserted instead.
 */
const afterInterruption = (vimId: string) => registered(vimId, SAMPLE_COUNTS, [vimId], { [vimId]: expect.any(Object) });

/** Short claims, so a dead replica's work is taken over within seconds. */
const CLAIM = { JOB_CLAIM_TTL_MS: '1500' };

/**
 * A replica that crashed: it stops talking to the store at once and never runs its
 * shutdown hooks (its claim is neither renewed nor released; its job, stuck on a cloud
 * that does not answer, is fenced before its claim expires).
 */
async function crash(replica: TestApp): Promise<void> {
  await replica.app.get(StoreConnection).redis!.destroy();
}

describeWithRedis('no accepted request lost: work of a replica that dies or stops is taken over', () => {
  let doubles: Doubles;
  const replica = serveReplicas((started) => (doubles = started), CLAIM);

  afterEach(() => {
    doubles.openstack.clearFaults();
    doubles.openstack.latencyMs = 0;
    doubles.aai.latencyMs = 0;
  });

  it('runs a DELETE queued on one replica exactly once after the replica holding the region died', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'Crash' });
    const path = `${PREFIX}/v1/CloudOwner/Crash/registry`;
    const a = await replica();
    const b = await replica();
    await request(a.http).post(path).expect(202);
    expect(await waitForJob(a.http, path)).toEqual(registered('CloudOwner_Crash'));

    // A registers again and hangs on the cloud, holding the region's claim; then it dies.
    doubles.openstack.failNext(undefined, /./, 'hang', 1_000);
    const seen = doubles.openstack.requests.length;
    await request(a.http).post(path).expect(202);
    await eventually(() => doubles.openstack.requests.length > seen);
    await crash(a);
    // Each registration reads the region's esr info once (SPEC 3.1).
    const esrReads = /\/cloud-region\/CloudOwner\/Crash\/esr-system-info-list$/;
    const registrations = doubles.aai.count('GET', esrReads);

    await request(b.http).delete(path).expect(204);
    expect(await waitForJob(b.http, path, 15_000)).toEqual(unregistered('CloudOwner_Crash'));
    expect(logLines(a, b)).toContainEqual(expect.stringContaining('the unregister request of CloudOwner_Crash left queued starts now'));
    expect(doubles.aai.region('CloudOwner', 'Crash')).toBeUndefined();
    expect(doubles.aai.count('DELETE', /cloud-region\/CloudOwner\/Crash$/)).toBe(1);
    // The de-registration superseded the dead replica's registration: that never ran again.
    expect(doubles.aai.count('GET', esrReads)).toBe(registrations);
    expect(await withRedis((redis) => redis.hGetAll('mcstx:job_open'))).toEqual({});
  });

  it('leaves the request queued on a replica that shuts down to another replica, which runs it exactly once', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'Quit' });
    const path = `${PREFIX}/v1/CloudOwner/Quit/registry`;
    const a = await replica();
    const b = await replica();
    await request(a.http).post(path).expect(202);
    expect(await waitForJob(a.http, path)).toEqual(registered('CloudOwner_Quit'));

    // A de-registers slowly; a POST comes meanwhile and is queued; then A is stopped.
    doubles.aai.latencyMs = 400;
    await request(a.http).delete(path).expect(204);
    await eventually(() => doubles.aai.count('DELETE') > 0);
    await request(a.http).post(path).expect(202);
    // Each registration reads the region's esr info once (SPEC 3.1).
    const esrReads = /\/cloud-region\/CloudOwner\/Quit\/esr-system-info-list$/;
    const registrations = doubles.aai.count('GET', esrReads);
    await a.close();
    expect(logLines(a, b)).toContainEqual(expect.stringContaining('unregister job of CloudOwner_Quit interrupted: the service instance running it stopped'));
    expect(doubles.aai.count('GET', esrReads)).toBe(registrations);
    doubles.aai.latencyMs = 0;

    expect(await waitForJob(b.http, path, 15_000)).toEqual(afterInterruption('CloudOwner_Quit'));
    expect(logLines(a, b)).toContainEqual(expect.stringContaining('the register request of CloudOwner_Quit left queued starts now'));
    expect(doubles.aai.count('GET', esrReads)).toBe(registrations + 1);
    expect(logLines(a, b).filter((line) => line.includes('Registration finished for Cloud Region: CloudOwner_Quit'))).toHaveLength(2);
    const region = doubles.aai.get(`${REGIONS}/CloudOwner/Quit`)!;
    expect(region['flavors']['flavor']).toHaveLength(SAMPLE_COUNTS.flavors);
    expect(region['tenants']['tenant']).toHaveLength(SAMPLE_COUNTS.tenants);
  });

  it('resumes on another replica a job whose replica shut down', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'Resumed' });
    const path = `${PREFIX}/v1/CloudOwner/Resumed/registry`;
    const a = await replica();
    const b = await replica();
    doubles.openstack.failNext(undefined, /./, 'hang', 1_000);
    await request(a.http).post(path).expect(202);
    await eventually(() => doubles.openstack.requests.length > 0);
    await a.close();
    doubles.openstack.clearFaults();
    expect(await waitForJob(b.http, path, 15_000)).toEqual(registered('CloudOwner_Resumed'));
    expect(logLines(a, b)).toContainEqual(
      expect.stringContaining('the register job of CloudOwner_Resumed was interrupted (the service instance running it stopped); resuming it (1 of 3)'),
    );
    expect(doubles.aai.get(`${REGIONS}/CloudOwner/Resumed`)!['flavors']['flavor']).toHaveLength(SAMPLE_COUNTS.flavors);
  });

  it('resumes a job whose replica vanished (its claim gone from the store)', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'Vanished' });
    const path = `${PREFIX}/v1/CloudOwner/Vanished/registry`;
    const a = await replica();
    await replica();
    doubles.openstack.latencyMs = 50;
    await request(a.http).post(path).expect(202);
    await withRedis((redis) => redis.del('mcstx:job_claim:CloudOwner_Vanished'));
    doubles.openstack.latencyMs = 0;
    expect(await waitForJob(a.http, path, 15_000)).toEqual(afterInterruption('CloudOwner_Vanished'));
    expect(doubles.aai.get(`${REGIONS}/CloudOwner/Vanished`)!['flavors']['flavor']).toHaveLength(SAMPLE_COUNTS.flavors);
  });
});
