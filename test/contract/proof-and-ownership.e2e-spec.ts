import request from 'supertest';

import { AaiDouble } from '../servers/aai.server';
import { AaiVersion } from '../servers/aai-schema';
import { K8sPluginDouble } from '../servers/k8s-plugin.server';
import { OpenStackDouble } from '../servers/openstack.server';
import { Json, dcmanagerSubclouds, distributedCloud } from '../servers/openstack-data';
import { resetStore } from '../support/redis';
import { PREFIX, REGIONS, onboardRegion, waitForJob } from '../support/regions';
import { TestApp, startApp } from '../support/start-app';

/**
 * SPEC 7, "A&AI loses nothing real": a kind is pruned only when its listing proves it
 * gone; only what the registration wrote is deleted and its edges are its own, one by
 * one; mass deletes are held until confirmed; in-maint is cleared only where this
 * service set it. Each test: the fault, the registration, the whole A&AI state after
 * it. On v13 (single writes) and v16 (bulk transactions).
 */
const VIM = 'CloudOwner_RegionOne';
const PATH = `${PREFIX}/v1/CloudOwner/RegionOne/registry`;
const PSERVER = (host: string) => `/cloud-infrastructure/pservers/pserver/${host}`;
const nova = (cloud: OpenStackDouble) => cloud.region('RegionOne');

interface World {
  aai: AaiDouble;
  cloud: OpenStackDouble;
  k8s: K8sPluginDouble;
  service: TestApp;
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

/** The related links of an object, versions stripped, sorted. */
function links(object: Json | undefined): string[] {
  return ((object?.['relationship-list']?.relationship ?? []) as Json[]).map((r) => String(r['related-link']).replace(/^\/aai\/v\d+/, '')).sort();
}

describe.each<AaiVersion>(['v13', 'v16'])('A&AI %s loses nothing real (SPEC 7)', (version) => {
  let w: World;

  beforeEach(async () => {
    await resetStore();
    const cloud = new OpenStackDouble();
    const k8s = new K8sPluginDouble();
    const aai = new AaiDouble({ version });
    await Promise.all([cloud.start(), k8s.start(), aai.start()]);
    w = { aai, cloud, k8s, service: await startApp({ aai, openstack: cloud, k8s }) };
    onboardRegion(w.aai, w.cloud, { owner: 'CloudOwner', region: 'RegionOne' });
  });

  afterEach(async () => {
    await w.service.close();
    await Promise.all([w.aai.close(), w.cloud.close(), w.k8s.close()]);
  });

  const register = async (query = '', headers: Record<string, string> = {}, path = PATH): Promise<Json> => {
    let call = request(w.service.http).post(`${path}${query}`);
    for (const [name, value] of Object.entries(headers)) call = call.set(name, value);
    await call.expect(202);
    return waitForJob(w.service.http, path);
  };
  const plan = async (): Promise<Json> => (await request(w.service.http).get(`${PATH}/plan`).expect(200)).body.regions[0];

  it('a 403 on /projects prunes no tenant: the others are kept with the reason, A&AI unchanged', async () => {
    expect(await register()).toMatchObject({ code: 0 });
    const before = snapshot(w.aai);
    const tenants = (w.aai.region('CloudOwner', 'RegionOne')!.tenants.tenant as Json[]).map((t) => String(t['tenant-id']));
    const admin = w.cloud.cloud.projects.find((p) => p.name === 'admin')!.id;
    w.cloud.behaviour.forbidProjects = true;
    const reason = "listing not authoritative: Keystone /projects answered 403, tenants from the token's own project";
    const expected = tenants
      .filter((id) => id !== admin)
      .sort()
      .map((id) => ({ kind: 'tenant', id, reason }));
    expect((await plan()).kept).toEqual(expected);
    expect((await plan()).delete).toBeUndefined();
    const status = await register();
    expect(status).toMatchObject({ code: 0, state: 'succeeded' });
    expect(status.changes[VIM].deleted).toEqual({});
    expect([...status.changes[VIM].kept].sort((a: Json, b: Json) => a.id.localeCompare(b.id))).toEqual(expected);
    expect(snapshot(w.aai)).toEqual(before);
  });

  it('a session that fell back from the requested Project prunes no tenant and no flavor', async () => {
    const demo = w.cloud.cloud.projects.find((p) => p.name === 'demo')!;
    expect(await register('', { Project: 'demo' })).toMatchObject({ code: 0 });
    const before = snapshot(w.aai);
    w.cloud.cloud.projects = w.cloud.cloud.projects.filter((p) => p.name !== 'demo');
    nova(w.cloud).flavors = nova(w.cloud).flavors.filter((f) => f.id !== '1');
    const status = await register('', { Project: 'no-such-project' });
    expect(status).toMatchObject({ code: 0 });
    const reason = 'the session fell back from project no-such-project to admin';
    expect(status.changes[VIM].deleted).toEqual({});
    expect(status.changes[VIM].kept).toEqual(
      expect.arrayContaining([
        { kind: 'tenant', id: demo.id, reason },
        { kind: 'flavor', id: '1', reason },
      ]),
    );
    expect(snapshot(w.aai)).toEqual(before);
  });

  it('pservers another system wrote, related to the region and a zone, are never written or deleted; their zone stays', async () => {
    expect(await register()).toMatchObject({ code: 0 });
    const zoneUri = `${REGIONS}/CloudOwner/RegionOne/availability-zones/availability-zone/az2`;
    w.aai.seed(PSERVER('rack7-host3'), { hostname: 'rack7-host3', 'in-maint': false });
    w.aai.seedRelationship(PSERVER('rack7-host3'), `${REGIONS}/CloudOwner/RegionOne`);
    w.aai.seedRelationship(PSERVER('rack7-host3'), zoneUri);
    const foreign = normal(w.aai.pserver('rack7-host3'));
    nova(w.cloud).zones = nova(w.cloud).zones.filter((z) => z.zoneName !== 'az2');

    const status = await register();
    expect(status).toMatchObject({ code: 0 });
    expect(status.changes[VIM].deleted).toEqual({ pserver: 2 });
    expect(status.changes[VIM].kept).toEqual([{ kind: 'availability-zone', id: 'az2', reason: 'relationship to pserver rack7-host3' }]);
    expect(normal(w.aai.pserver('rack7-host3'))).toEqual(foreign);
    expect(w.aai.pserverNames().sort()).toEqual([`${VIM}_compute`, 'rack7-host3']);
    expect(links(w.aai.get(zoneUri))).toEqual([PSERVER('rack7-host3')]);
  });

  it('an edge added between the plan read and the write stays: an update adds and removes its own edges only', async () => {
    expect(await register()).toMatchObject({ code: 0 });
    onboardRegion(w.aai, w.cloud, { owner: 'OtherOwner', region: 'Elsewhere' });
    const host = `${VIM}_compute-2`;
    const az2 = nova(w.cloud).zones.find((z) => z.zoneName === 'az2')!;
    nova(w.cloud).zones.find((z) => z.zoneName === 'nova')!.hosts['compute-2'] = az2.hosts['compute-2'];
    delete az2.hosts['compute-2'];
    w.aai.readFilter = (uri, body) => {
      if (uri === PSERVER(host)) {
        w.aai.readFilter = undefined;
        w.aai.seedRelationship(PSERVER(host), `${REGIONS}/OtherOwner/Elsewhere`);
      }
      return body;
    };
    const [requestsBefore, bulkBefore] = [w.aai.requests.length, w.aai.bulkLog.length];
    const status = await register();
    expect(status).toMatchObject({ code: 0 });
    expect(status.changes[VIM].updated).toEqual({ pserver: 1 });
    expect(links(w.aai.pserver(host))).toEqual(
      [`${REGIONS}/CloudOwner/RegionOne`, `${REGIONS}/CloudOwner/RegionOne/availability-zones/availability-zone/nova`, `${REGIONS}/OtherOwner/Elsewhere`].sort(),
    );
    // One relationship PUT and one relationship DELETE; never the pserver's whole body.
    const edgeWrites = w.aai.requests.slice(requestsBefore).filter((r) => r.path.includes(`/pservers/pserver/${host}`) && r.method !== 'GET');
    const bulkEdges = w.aai.bulkLog
      .slice(bulkBefore)
      .filter((r) => r.committed)
      .filter((r) => r.uri.includes(`/pservers/pserver/${host}`));
    if (version === 'v13')
      expect(edgeWrites.map((r) => `${r.method} ${r.path.replace(/^\/aai\/v\d+/, '')}`).sort()).toEqual([
        `DELETE ${PSERVER(host)}/relationship-list/relationship`,
        `PUT ${PSERVER(host)}/relationship-list/relationship`,
      ]);
    else
      expect(bulkEdges.map((r) => `${r.action} ${r.uri.replace(/^\/aai\/v\d+/, '')}`).sort()).toEqual([
        `delete ${PSERVER(host)}/relationship-list/relationship`,
        `put ${PSERVER(host)}/relationship-list/relationship`,
      ]);
  });

  it('a delete met by a 412 is planned again: a pserver related meanwhile is kept, with the reason', async () => {
    expect(await register()).toMatchObject({ code: 0 });
    onboardRegion(w.aai, w.cloud, { owner: 'OtherOwner', region: 'Elsewhere' });
    const host = `${VIM}_compute-1`;
    delete nova(w.cloud).zones.find((z) => z.zoneName === 'az2')!.hosts['compute-1'];
    w.aai.readFilter = (uri, body) => {
      if (uri === PSERVER(host)) {
        w.aai.readFilter = undefined;
        w.aai.seedRelationship(PSERVER(host), `${REGIONS}/OtherOwner/Elsewhere`);
      }
      return body;
    };
    const status = await register();
    expect(status).toMatchObject({ code: 0 });
    expect(status.changes[VIM].deleted).toEqual({});
    expect(status.changes[VIM].kept).toEqual([{ kind: 'pserver', id: host, reason: 'relationship to cloud-region Elsewhere' }]);
    expect(w.aai.pserver(host)).toBeDefined();
    expect(links(w.aai.pserver(host))).toEqual(
      [`${REGIONS}/CloudOwner/RegionOne`, `${REGIONS}/CloudOwner/RegionOne/availability-zones/availability-zone/az2`, `${REGIONS}/OtherOwner/Elsewhere`].sort(),
    );
  });

  it('a pserver whose read failed is not written', async () => {
    expect(await register()).toMatchObject({ code: 0 });
    const host = `${VIM}_compute-2`;
    const az2 = nova(w.cloud).zones.find((z) => z.zoneName === 'az2')!;
    nova(w.cloud).zones.find((z) => z.zoneName === 'nova')!.hosts['compute-2'] = az2.hosts['compute-2'];
    delete az2.hosts['compute-2'];
    const before = normal(w.aai.pserver(host));
    w.aai.failNext('GET', new RegExp(`/pservers/pserver/${host}$`), { status: 500, body: { error: 'down' } }, 20);
    const status = await register();
    expect(status).toMatchObject({ state: 'failed' });
    expect(status.changes[VIM].kept).toEqual([{ kind: 'pserver', id: host, reason: 'not read from A&AI: not written' }]);
    expect(normal(w.aai.pserver(host))).toEqual(before);
  });

  it('holds a mass delete of one kind, succeeds with a warning, and applies it on ?confirmDeletes=true (v1 and v0)', async () => {
    const template = nova(w.cloud).flavors.find((f) => f.id === '1')!;
    for (let i = 0; i < 6; i += 1) nova(w.cloud).flavors.push({ ...template, id: `extra-${i}`, name: `m1.extra-${i}`, links: [] });
    expect(await register()).toMatchObject({ code: 0 });
    const all = nova(w.cloud).flavors.map((f) => String(f.id));
    expect(all).toHaveLength(14);
    const gone = all.filter((id) => id.startsWith('extra-') || ['1', '2'].includes(id)).sort();
    nova(w.cloud).flavors = nova(w.cloud).flavors.filter((f) => !gone.includes(String(f.id)));
    const before = snapshot(w.aai);

    const held = { kind: 'flavor', count: 8, of: 14, ids: gone };
    expect((await plan()).held).toEqual([held]);
    const status = await register();
    expect(status).toMatchObject({ code: 0, state: 'succeeded', held: [{ vimid: VIM, ...held }] });
    expect(status.warnings).toContain(
      `deletes held (more than 50% of one kind in one region): 8 of 14 flavor in ${VIM}; POST the registry with ?confirmDeletes=true to apply them`,
    );
    expect(snapshot(w.aai)).toEqual(before);

    // A later job without the flag holds them again; the confirmed one (v0 path) applies them, that job only.
    const confirmed = await register('?confirmDeletes=true', {}, `${PREFIX}/v0/${VIM}/registry`);
    expect(confirmed).toMatchObject({ code: 0 });
    expect(confirmed.held).toBeUndefined();
    expect(confirmed.changes[VIM].deleted).toEqual({ flavor: 8 });
    const flavors = (w.aai.region('CloudOwner', 'RegionOne')!.flavors.flavor as Json[]).map((f) => String(f['flavor-id'])).sort();
    expect(flavors).toEqual(all.filter((id) => !gone.includes(id)).sort());
  });
});

describe.each<AaiVersion>(['v16', 'v13'])('composed subclouds and in-maint on A&AI %s', (version) => {
  const SC = ['a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1', 'b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2'];
  const DC_PATH = `${PREFIX}/v1/CloudOwner/DC/registry`;
  let w: World;

  beforeEach(async () => {
    await resetStore();
    const cloud = new OpenStackDouble();
    const k8s = new K8sPluginDouble();
    const aai = new AaiDouble({ version });
    await Promise.all([cloud.start(), k8s.start(), aai.start()]);
    w = { aai, cloud, k8s, service: await startApp({ aai, openstack: cloud, k8s }) };
    cloud.cloud = distributedCloud(SC);
    cloud.cloud.dcmanager = dcmanagerSubclouds(SC);
    onboardRegion(aai, cloud, { owner: 'CloudOwner', region: 'DC', extraInfo: { 'multi-region-discovery': true, 'openstack-region-id': SC[0] } });
  });

  afterEach(async () => {
    await w.service.close();
    await Promise.all([w.aai.close(), w.cloud.close(), w.k8s.close()]);
  });

  const register = async (): Promise<Json> => {
    await request(w.service.http).post(DC_PATH).expect(202);
    return waitForJob(w.service.http, DC_PATH);
  };

  it('a gone subcloud region holding a snapshot and an edge to another region is kept, with the reason', async () => {
    expect(await register()).toMatchObject({ code: 0 });
    const sub = `${REGIONS}/CloudOwner/DC_${SC[1]}`;
    onboardRegion(w.aai, w.cloud, { owner: 'OtherOwner', region: 'Elsewhere' });
    w.aai.seed(`${sub}/snapshots/snapshot/snap-1`, { 'snapshot-id': 'snap-1', 'snapshot-name': 'backup' });
    w.aai.seedRelationship(sub, `${REGIONS}/OtherOwner/Elsewhere`);
    w.cloud.cloud.regionIds = w.cloud.cloud.regionIds.filter((id) => id !== SC[1]);
    w.cloud.cloud.dcmanager = dcmanagerSubclouds([SC[0]]);

    const status = await register();
    expect(status).toMatchObject({ code: 0 });
    expect(status.changes[`CloudOwner_DC_${SC[1]}`].kept).toEqual([
      { kind: 'cloud-region', id: `CloudOwner_DC_${SC[1]}`, reason: 'relationship to cloud-region Elsewhere; snapshot snap-1' },
    ]);
    expect(w.aai.get(sub)).toBeDefined();
    expect(w.aai.get(`${sub}/snapshots/snapshot/snap-1`)).toBeDefined();
    expect(links(w.aai.get(sub))).toContain(`${REGIONS}/OtherOwner/Elsewhere`);
  });

  if (version === 'v16') {
    it("an operator's in-maint on a healthy subcloud is not reverted; the flag this service set is cleared", async () => {
      expect(await register()).toMatchObject({ code: 0 });
      const regionOf = (sc: string) => w.aai.region('CloudOwner', `DC_${sc}`)!;
      const marked = (sc: string) => JSON.parse(regionOf(sc)['cloud-extra-info'])['in-maint-set-by'];
      // The operator puts a healthy subcloud in maintenance.
      w.aai.seed(`${REGIONS}/CloudOwner/DC_${SC[1]}`, { ...regionOf(SC[1]), 'in-maint': true });
      expect(await register()).toMatchObject({ code: 0 });
      expect(regionOf(SC[1])['in-maint']).toBe(true);
      expect(marked(SC[1])).toBeUndefined();

      // dcmanager: offline, then online again. The operator's flag was there first: it stays.
      const subcloud = (w.cloud.cloud.dcmanager!.subclouds as Json[])[1];
      subcloud['availability-status'] = 'offline';
      expect(await register()).toMatchObject({ code: 0 });
      expect(regionOf(SC[1])['in-maint']).toBe(true);
      subcloud['availability-status'] = 'online';
      expect(await register()).toMatchObject({ code: 0 });
      expect(regionOf(SC[1])['in-maint']).toBe(true);

      // The operator clears it; a transition the service sees is its own to clear.
      w.aai.seed(`${REGIONS}/CloudOwner/DC_${SC[1]}`, { ...regionOf(SC[1]), 'in-maint': false });
      subcloud['management-state'] = 'unmanaged';
      expect(await register()).toMatchObject({ code: 0 });
      expect(regionOf(SC[1])['in-maint']).toBe(true);
      expect(marked(SC[1])).toBe('multicloud-starlingx');
      subcloud['management-state'] = 'managed';
      expect(await register()).toMatchObject({ code: 0 });
      expect(regionOf(SC[1])['in-maint']).toBe(false);
      expect(marked(SC[1])).toBeUndefined();
    });
  }
});
