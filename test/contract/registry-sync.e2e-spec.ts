import request from 'supertest';

import { dcmanagerSubclouds, distributedCloud } from '../servers/openstack-data';
import { Json, items } from '../support/aai-json';
import { PREFIX, SAMPLE_COUNTS, eventually, noChanges, onboardRegion, registered, unregistered, waitForJob } from '../support/regions';
import { describeWithRedis } from '../support/redis';
import { Doubles, TestApp, serveReplicas, serveSuite } from '../support/start-app';

const INTERVAL_MS = 1500;
const SYNC_ENV = { REGISTRY_SYNC_INTERVAL_MS: String(INTERVAL_MS) };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A flavor the cloud gains after the registration (no `onap.` name: no extra specs). */
function newFlavor(id: string): Json {
  return {
    'OS-FLV-DISABLED:disabled': false,
    disk: 20,
    'OS-FLV-EXT-DATA:ephemeral': 0,
    'os-flavor-access:is_public': true,
    id,
    links: [{ href: `http://openstack.example.com/v2.1/flavors/${id}`, rel: 'self' }],
    name: `added.${id}`,
    ram: 2048,
    swap: '',
    vcpus: 2,
    rxtx_factor: 1.0,
  };
}

/** When the cloud double served each flavor listing: one per registration job. */
function flavorListings(doubles: Doubles): number[] {
  return doubles.openstack
    .callsTo('nova')
    .filter((r) => r.path.endsWith('/flavors/detail'))
    .map((r) => r.at);
}

describe('REGISTRY_SYNC_INTERVAL_MS: registered regions registered again', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started), { aai: { version: 'v13' }, env: SYNC_ENV });

  it('brings a flavor added to the cloud into A&AI with no POST, within two intervals, as a sync job', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'RegionOne' });
    const path = `${PREFIX}/v1/CloudOwner/RegionOne/registry`;
    await request(service.http).post(path).set('Project', 'admin').expect(202);
    expect(await waitForJob(service.http, path)).toEqual(registered('CloudOwner_RegionOne'));

    doubles.openstack.region('RegionOne').flavors.push(newFlavor('f-added'));
    const added = Date.now();
    const flavor = await eventually(() => items(doubles.aai.region('CloudOwner', 'RegionOne'), 'flavors', 'flavor').find((f) => f['flavor-id'] === 'f-added'), 2 * INTERVAL_MS);
    expect(Date.now() - added).toBeLessThanOrEqual(2 * INTERVAL_MS);
    expect(flavor).toMatchObject({ 'flavor-name': 'added.f-added', 'flavor-vcpus': 2, 'flavor-ram': 2048, 'flavor-disk': 20 });

    const counts = { ...SAMPLE_COUNTS, flavors: SAMPLE_COUNTS.flavors + 1 };
    const unchanged = noChanges() as { unchanged: Record<string, number> };
    const synced = await waitForJob(service.http, path);
    expect(synced).toEqual({
      ...registered('CloudOwner_RegionOne', counts, undefined, {
        CloudOwner_RegionOne: { ...unchanged, created: { flavor: 1 } },
      }),
      trigger: 'sync',
    });
  });

  it('stops after a DELETE: no sync job runs', async () => {
    const path = `${PREFIX}/v1/CloudOwner/RegionOne/registry`;
    await request(service.http).delete(path).expect(204);
    expect(await waitForJob(service.http, path)).toEqual(unregistered('CloudOwner_RegionOne'));
    const listings = flavorListings(doubles).length;
    await sleep(2.5 * INTERVAL_MS);
    expect(flavorListings(doubles).length).toBe(listings);
    expect((await request(service.http).get(path).expect(200)).body).toEqual(unregistered('CloudOwner_RegionOne'));
  });

  it('keeps the Project scope of the last POST', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'Scoped' });
    const path = `${PREFIX}/v1/CloudOwner/Scoped/registry`;
    const tokens = () => doubles.openstack.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/auth/tokens'));
    const before = tokens().length;
    await request(service.http).post(path).set('Project', 'demo').expect(202);
    await waitForJob(service.http, path);
    await eventually(async () => (await request(service.http).get(path)).body.trigger === 'sync', 2 * INTERVAL_MS);
    const synced = await waitForJob(service.http, path);
    expect(synced).toMatchObject({ kind: 'register', trigger: 'sync', code: 0 });
    const scopes = tokens()
      .slice(before)
      .map((r) => {
        const project = (r.body as Json).auth.scope.project;
        return project.name ?? project.id;
      });
    expect(new Set(scopes)).toEqual(new Set(['demo']));
    await request(service.http).delete(path).expect(204);
    await waitForJob(service.http, path);
  });
});

describe('registry sync of a distributed cloud with dcmanager', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started), { aai: { version: 'v16' }, env: SYNC_ENV });
  const SC1 = 'bbadb3e8e2ab473792c80ef09c5a12a4';
  const SC2 = '4f1c7d6a0e9b4a3c8d2e5f6a7b8c9d0e';

  it('skips an offline subcloud (no call to its site) and writes its state, and takes it up again once online', async () => {
    doubles.openstack.cloud = distributedCloud([SC1, SC2]);
    doubles.openstack.cloud.dcmanager = dcmanagerSubclouds([SC1, SC2]);
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'DC', extraInfo: { 'multi-region-discovery': true, 'openstack-region-id': SC1 } });
    const path = `${PREFIX}/v1/CloudOwner/DC/registry`;
    await request(service.http).post(path).expect(202);
    expect(await waitForJob(service.http, path)).toMatchObject({ code: 0, trigger: 'request' });

    doubles.openstack.subcloud(SC2)['availability-status'] = 'offline';
    const siteCalls = () => (['nova', 'glance', 'sysinv'] as const).reduce((n, kind) => n + doubles.openstack.callsTo(kind, SC2).length, 0);
    const before = siteCalls();
    const synced = await eventually(() => (doubles.aai.region('CloudOwner', `DC_${SC2}`)!['in-maint'] === true ? true : undefined), 2 * INTERVAL_MS);
    expect(synced).toBe(true);
    expect(await waitForJob(service.http, path)).toMatchObject({ code: 0, trigger: 'sync' });
    expect(siteCalls()).toBe(before);
    expect(flavorListings(doubles).length).toBeGreaterThan(0);

    doubles.openstack.subcloud(SC2)['availability-status'] = 'online';
    await eventually(() => (doubles.aai.region('CloudOwner', `DC_${SC2}`)!['in-maint'] === false ? true : undefined), 2 * INTERVAL_MS);
    expect(siteCalls()).toBeGreaterThan(before);
    await request(service.http).delete(path).expect(204);
    await waitForJob(service.http, path);
  });
});

describeWithRedis('registry sync across replicas on one Redis', () => {
  let doubles: Doubles;
  const replica = serveReplicas((started) => (doubles = started), SYNC_ENV);

  it('syncs each region once per interval however many replicas run', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'Twice' });
    const path = `${PREFIX}/v1/CloudOwner/Twice/registry`;
    const a = await replica();
    await replica();
    const before = flavorListings(doubles).length;
    await request(a.http).post(path).expect(202);
    const posted = Date.now();
    await waitForJob(a.http, path);
    await sleep(3.5 * INTERVAL_MS - (Date.now() - posted));
    const runs = flavorListings(doubles).slice(before);
    // The POST's registration, then one sync per interval.
    expect(runs).toHaveLength(4);
    for (let i = 1; i < runs.length; i++) expect(runs[i] - runs[i - 1]).toBeGreaterThan(INTERVAL_MS / 2);
    expect((await request(a.http).get(path).expect(200)).body).toEqual({
      ...registered('CloudOwner_Twice', undefined, undefined, { CloudOwner_Twice: noChanges() }),
      trigger: 'sync',
    });
  });

  it('keeps the synced set across a restart', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'Restarted' });
    const path = `${PREFIX}/v1/CloudOwner/Restarted/registry`;
    const first = await replica();
    await request(first.http).post(path).expect(202);
    await waitForJob(first.http, path);
    await first.close();

    const restarted = await replica();
    doubles.openstack.region('RegionOne').flavors.push(newFlavor('f-after-restart'));
    await eventually(() => items(doubles.aai.region('CloudOwner', 'Restarted'), 'flavors', 'flavor').some((f) => f['flavor-id'] === 'f-after-restart'), 2 * INTERVAL_MS);
    expect((await waitForJob(restarted.http, path)).trigger).toBe('sync');
  });
});

describe('a sync of a region already audited', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started), { env: { ...SYNC_ENV, AZCAP_AUDIT_INTERVAL_MS: '60000' } });

  it('leaves the capacity audit to its schedule: no second audit within the audit interval', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'RegionOne' });
    const path = `${PREFIX}/v1/CloudOwner/RegionOne/registry`;
    await request(service.http).post(path).expect(202);
    await waitForJob(service.http, path);
    const posted = flavorListings(doubles).length;
    await eventually(() => flavorListings(doubles).length >= posted + 2 || undefined, 4 * INTERVAL_MS);
    const audits = doubles.openstack.requests.filter((r) => r.path.endsWith('/os-hypervisors/detail'));
    expect(audits).toHaveLength(1);
  });
});
