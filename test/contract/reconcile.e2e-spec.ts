import request from 'supertest';

import { AaiDouble } from '../servers/aai.server';
import { AaiVersion } from '../servers/aai-schema';
import { OpenStackDouble } from '../servers/openstack.server';
import { Json, distributedCloud } from '../servers/openstack-data';
import { PREFIX, REGIONS, onboardRegion, waitForJob } from '../support/regions';
import { Doubles, TestApp, serveSuite, startApp } from '../support/start-app';
import { seedVserver } from '../support/vservers';
import { K8sPluginDouble } from '../servers/k8s-plugin.server';
import { resetStore } from '../support/redis';

/**
 * SPEC 7, proof of convergence: register, change the cloud, register again; A&AI then
 * holds (resource-versions aside) exactly what a fresh registration of the changed
 * cloud writes into an empty A&AI. On v13 (single writes) and v16 (bulk transactions).
 */
const SC = ['a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1', 'b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2', 'c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3'];

type Change = (cloud: OpenStackDouble, aai: AaiDouble) => void;

const nova = (cloud: OpenStackDouble) => cloud.region('RegionOne');

const CHANGES: Array<[string, Change]> = [
  ['a flavor added', (cloud) => nova(cloud).flavors.push({ ...nova(cloud).flavors[0], id: 'f-new', name: 'm1.new', links: [] })],
  ['a flavor removed (an onap flavor, with its capabilities)', (cloud) => (nova(cloud).flavors = nova(cloud).flavors.filter((f) => f.id !== '110'))],
  ['a flavor renamed', (cloud) => (nova(cloud).flavors[0].name = 'm1.renamed')],
  [
    'an extra spec changed (the HPA set changes)',
    (cloud) => {
      const specs = nova(cloud).extraSpecs['110'];
      delete specs['hw:mem_page_size'];
      specs['hw:cpu_sockets'] = '1';
    },
  ],
  ['an image added', (cloud) => nova(cloud).images.push({ ...nova(cloud).images[0], id: 'img-new', name: 'new-image' })],
  ['an image removed', (cloud) => nova(cloud).images.splice(0, 1)],
  ['a project removed', (cloud) => (cloud.cloud.projects = cloud.cloud.projects.filter((p) => p.name !== 'demo'))],
  ['an availability zone removed, with its hosts', (cloud) => (nova(cloud).zones = nova(cloud).zones.filter((z) => z.zoneName !== 'az2'))],
  [
    'a host moved to another zone',
    (cloud) => {
      const az2 = nova(cloud).zones.find((z) => z.zoneName === 'az2')!;
      const novaZone = nova(cloud).zones.find((z) => z.zoneName === 'nova')!;
      novaZone.hosts['compute-2'] = az2.hosts['compute-2'];
      delete az2.hosts['compute-2'];
    },
  ],
  ['a host removed', (cloud) => delete nova(cloud).zones.find((z) => z.zoneName === 'az2')!.hosts['compute-1']],
];

interface World {
  aai: AaiDouble;
  cloud: OpenStackDouble;
  k8s: K8sPluginDouble;
  service: TestApp;
}

/** One A&AI and the service in front of it; the cloud and MSB (the k8s plugin) are shared, so identity-urls match. */
async function world(version: AaiVersion, cloud: OpenStackDouble, k8s: K8sPluginDouble): Promise<World> {
  const aai = new AaiDouble({ version });
  await aai.start();
  const service = await startApp({ aai, openstack: cloud, k8s });
  return { aai, cloud, k8s, service };
}

async function close(w: World | undefined): Promise<void> {
  if (!w) return;
  await w.service.close();
  await w.aai.close();
}

async function register(w: World, region: string, extraInfo?: Json): Promise<Json> {
  if (!w.aai.region('CloudOwner', region)) onboardRegion(w.aai, w.cloud, { owner: 'CloudOwner', region, extraInfo });
  const path = `${PREFIX}/v1/CloudOwner/${region}/registry`;
  await request(w.service.http).post(path).expect(202);
  return waitForJob(w.service.http, path);
}

/** Every region and pserver A&AI holds, without resource-versions, esr ids or list order. */
function snapshot(aai: AaiDouble): Json {
  const regions = Object.fromEntries(aai.regionIds().map((id) => [id, normal(aai.get(`${REGIONS}/${id}`))]));
  const pservers = Object.fromEntries(aai.pserverNames().map((name) => [name, normal(aai.pserver(name))]));
  return { regions, pservers };
}

function normal(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normal).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== 'resource-version' && key !== 'esr-system-info-id')
        .map(([key, item]) => [key, key === 'cloud-extra-info' && typeof item === 'string' ? JSON.parse(item) : normal(item)]),
    );
  }
  return value;
}

describe.each<AaiVersion>(['v13', 'v16'])('reconcile on A&AI %s: A&AI equals a fresh registration of the changed cloud', (version) => {
  let cloud: OpenStackDouble;
  let k8s: K8sPluginDouble;
  let worlds: World[] = [];

  beforeEach(async () => {
    await resetStore();
    cloud = new OpenStackDouble();
    k8s = new K8sPluginDouble();
    await Promise.all([cloud.start(), k8s.start()]);
  });

  afterEach(async () => {
    await Promise.all(worlds.map(close));
    worlds = [];
    await Promise.all([cloud.close(), k8s.close()]);
  });

  it.each(CHANGES)('%s', async (_name, change) => {
    const kept = await world(version, cloud, k8s);
    worlds.push(kept);
    const first = await register(kept, 'RegionOne');
    expect(first).toMatchObject({ code: 0, state: 'succeeded' });

    change(cloud, kept.aai);
    const before = kept.aai.requests.length;
    const again = await register(kept, 'RegionOne');
    expect(again).toMatchObject({ code: 0, state: 'succeeded' });
    const writes = kept.aai.requests.slice(before).filter((r) => r.method !== 'GET');
    expect(writes.length).toBeGreaterThan(0);
    if (version === 'v16') {
      // Every write went in a bulk transaction.
      expect(writes.every((r) => r.method === 'POST' && r.path.endsWith('/bulk/single-transaction'))).toBe(true);
    } else {
      expect(writes.some((r) => r.path.includes('/bulk/'))).toBe(false);
    }

    const fresh = await world(version, cloud, k8s);
    worlds.push(fresh);
    expect(await register(fresh, 'RegionOne')).toMatchObject({ code: 0, state: 'succeeded' });
    expect(snapshot(kept.aai)).toEqual(snapshot(fresh.aai));
  });

  it('de-registers with its writes in bulk where A&AI has the API, leaving A&AI empty', async () => {
    const w = await world(version, cloud, k8s);
    worlds.push(w);
    await register(w, 'RegionOne');
    const before = w.aai.requests.length;
    const path = `${PREFIX}/v1/CloudOwner/RegionOne/registry`;
    await request(w.service.http).delete(path).expect(204);
    expect(await waitForJob(w.service.http, path)).toMatchObject({ code: 0, state: 'succeeded' });
    expect(w.aai.isEmpty()).toBe(true);
    const writes = w.aai.requests.slice(before).filter((r) => r.method !== 'GET');
    const bulk = writes.filter((r) => r.path.endsWith('/bulk/single-transaction'));
    if (version === 'v16') {
      // 8 tenants, 8 flavors with 14 capabilities, 3 images, 3 pservers, 2 zones, the region: 39 deletes.
      expect(writes).toEqual(bulk);
      expect(bulk.flatMap((r) => (r.body as Json).operations.map((o: Json) => o.action))).toEqual(Array(39).fill('delete'));
    } else {
      expect(bulk).toEqual([]);
      expect(writes.filter((r) => r.method === 'DELETE')).toHaveLength(39);
    }
  });

  it('keeps a removed project that holds a vserver, and lists it under kept', async () => {
    const w = await world(version, cloud, k8s);
    worlds.push(w);
    await register(w, 'RegionOne');
    const demo = cloud.cloud.projects.find((p) => p.name === 'demo')!;
    seedVserver(w.aai, 'CloudOwner_RegionOne', demo.id, 'vm-1', { flavor: '1' });
    cloud.cloud.projects = cloud.cloud.projects.filter((p) => p.name !== 'demo');
    nova(cloud).flavors = nova(cloud).flavors.filter((f) => f.id !== '1');

    const path = `${PREFIX}/v1/CloudOwner/RegionOne/registry`;
    const plan = await request(w.service.http).get(`${path}/plan`).expect(200);
    expect(plan.body).toEqual({
      vimid: 'CloudOwner_RegionOne',
      regions: [
        {
          vimid: 'CloudOwner_RegionOne',
          openstackRegionId: 'RegionOne',
          action: 'unchanged',
          unchanged: { tenant: 7, flavor: 7, 'hpa-capability': 14, image: 3, 'availability-zone': 2, pserver: 3 },
          kept: [
            { kind: 'flavor', id: '1', reason: 'vserver vm-1 (tenant demo)' },
            { kind: 'tenant', id: demo.id, reason: 'vserver vm-1 (tenant demo)' },
          ],
        },
      ],
    });
    const status = await register(w, 'RegionOne');
    expect(status.changes).toEqual({
      CloudOwner_RegionOne: {
        created: {},
        updated: {},
        deleted: {},
        unchanged: { 'cloud-region': 1, tenant: 7, flavor: 7, 'hpa-capability': 14, image: 3, 'availability-zone': 2, pserver: 3 },
        kept: [
          { kind: 'tenant', id: demo.id, reason: 'vserver vm-1 (tenant demo)' },
          { kind: 'flavor', id: '1', reason: 'vserver vm-1 (tenant demo)' },
        ],
        failed: [],
      },
    });
    const region = w.aai.region('CloudOwner', 'RegionOne')!;
    expect(region.tenants.tenant.map((t: Json) => t['tenant-id'])).toContain(demo.id);
    expect(region.flavors.flavor.map((f: Json) => f['flavor-id'])).toContain('1');
  });

  it('removes a subcloud region whose subcloud is gone, and registers a new one in full', async () => {
    cloud.cloud = distributedCloud([SC[0], SC[1]]);
    const w = await world(version, cloud, k8s);
    worlds.push(w);
    const extraInfo = { 'multi-region-discovery': true, 'openstack-region-id': SC[0] };
    expect(await register(w, 'DC', extraInfo)).toMatchObject({ code: 0 });
    expect(w.aai.regionIds().sort()).toEqual(['CloudOwner/DC', `CloudOwner/DC_${SC[1]}`]);

    cloud.cloud.regionIds = ['RegionOne', 'SystemController', SC[0], SC[2]];
    cloud.cloud.regions[SC[2]] = cloud.cloud.regions[SC[1]];
    delete cloud.cloud.regions[SC[1]];
    const path = `${PREFIX}/v1/CloudOwner/DC/registry`;
    const plan = await request(w.service.http).get(`${path}/plan`).expect(200);
    expect(plan.body.regions.map((r: Json) => [r.vimid, r.action])).toEqual([
      ['CloudOwner_DC', 'unchanged'],
      [`CloudOwner_DC_${SC[2]}`, 'create'],
      [`CloudOwner_DC_${SC[1]}`, 'delete'],
    ]);
    const status = await register(w, 'DC');
    expect(status).toMatchObject({ code: 0, regions: ['CloudOwner_DC', `CloudOwner_DC_${SC[2]}`] });
    expect(status.changes[`CloudOwner_DC_${SC[1]}`].deleted).toEqual({
      tenant: 8,
      flavor: 3,
      'hpa-capability': 14,
      image: 3,
      'availability-zone': 2,
      pserver: 3,
      'cloud-region': 1,
    });
    expect(w.aai.regionIds().sort()).toEqual(['CloudOwner/DC', `CloudOwner/DC_${SC[2]}`].sort());

    const fresh = await world(version, cloud, k8s);
    worlds.push(fresh);
    expect(await register(fresh, 'DC', extraInfo)).toMatchObject({ code: 0 });
    expect(snapshot(w.aai)).toEqual(snapshot(fresh.aai));
  });
});

describe('GET registry/plan (SPEC 7 dry run)', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started), { aai: { version: 'v16' } });

  const plan = (path: string) => request(service.http).get(path);

  it('answers what a first registration would write, on v0 and v1, and writes nothing', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'Planned' });
    const before = doubles.aai.requests.length;
    const v1 = await plan(`${PREFIX}/v1/CloudOwner/Planned/registry/plan`).expect(200);
    const v0 = await plan(`${PREFIX}/v0/CloudOwner_Planned/registry/plan/`).expect(200);
    expect(v0.body).toEqual(v1.body);
    const projects = doubles.openstack.cloud.projects.map((p) => p.id).sort();
    const nova = doubles.openstack.region('RegionOne');
    expect(v1.body).toEqual({
      vimid: 'CloudOwner_Planned',
      regions: [
        {
          vimid: 'CloudOwner_Planned',
          openstackRegionId: 'RegionOne',
          action: 'update',
          create: {
            tenant: projects,
            flavor: nova.flavors.map((f) => String(f.id)).sort(),
            'hpa-capability': expect.arrayContaining([expect.stringMatching(/^110\//), expect.stringMatching(/^111\//)]),
            image: nova.images.map((i) => String(i.id)).sort(),
            'availability-zone': ['az2', 'nova'],
            pserver: ['CloudOwner_Planned_compute', 'CloudOwner_Planned_compute-1', 'CloudOwner_Planned_compute-2'],
          },
        },
      ],
    });
    expect(v1.body.regions[0].create['hpa-capability']).toHaveLength(14);
    expect(doubles.aai.requests.slice(before).filter((r) => r.method !== 'GET')).toEqual([]);
    expect(doubles.aai.region('CloudOwner', 'Planned')!['identity-url']).toBe('WillBeUpdatedByMultiCloud');
  });

  it('answers 404 for a region A&AI does not hold, 400 for an id that does not decode', async () => {
    expect((await plan(`${PREFIX}/v1/CloudOwner/Nowhere/registry/plan`).expect(404)).body).toEqual({ error: 'Cloud Region not found in AAI: CloudOwner_Nowhere' });
    expect((await plan(`${PREFIX}/v0/no-underscore/registry/plan`).expect(400)).body).toEqual({ error: expect.stringContaining('Invalid vimid "no-underscore"') });
  });

  it('answers 502 naming the remote call that failed, with no credential', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'BadPassword', password: 'wrong-password' });
    const response = await plan(`${PREFIX}/v1/CloudOwner/BadPassword/registry/plan`).expect(502);
    expect(response.body).toEqual({ error: expect.stringMatching(/^Keystone sign-in failed: Keystone POST .*\/auth\/tokens answered 401/) });
    expect(JSON.stringify(response.body)).not.toContain('wrong-password');
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'NovaDown' });
    doubles.openstack.failNext('GET', /\/flavors\/detail$/, { status: 500, body: { computeFault: { message: 'nova is down' } } }, 3);
    const nova = await plan(`${PREFIX}/v1/CloudOwner/NovaDown/registry/plan`).expect(502);
    expect(nova.body).toEqual({ error: expect.stringMatching(/^Nova GET .*\/flavors\/detail answered 500: nova is down$/) });
  });
});
