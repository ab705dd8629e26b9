import request from 'supertest';

import { ResourceProvider, allocate, defaultRegion, placementOf, setInventory } from '../servers/openstack-data';
import { PREFIX, eventually, onboardRegion, waitForJob } from '../support/regions';
import { BASE_REDIS_URL, withRedis } from '../support/redis';
import { Doubles, TestApp, serveSuite } from '../support/start-app';

type Json = Record<string, any>;

const INTERVAL = 300;
const itWithRedis = BASE_REDIS_URL ? it : it.skip;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * The double's default region (quota 20 cores / 51200 MB, volume 1000 GB; see
 * capacity-check.e2e-spec.ts) with Placement: zone nova = fake-mini (2 vCPUs, 8192 MB,
 * 1028 GB, nothing used); zone az2 = compute-1.example.com (16 vCPUs at ratio 4.0 and
 * 4 used, 65536 MB with 2048 reserved and 16384 used, 500 GB with 100 used) and
 * compute-2 (32 vCPUs at 16.0 and 8 used, 131072 MB with 32768 used, 1000 GB with 100 used).
 * Memory at ratio 1.0 so the figures read plainly.
 */
function placementRegion(): { region: ReturnType<typeof defaultRegion>; providers: ResourceProvider[] } {
  const region = defaultRegion();
  const providers = placementOf(region, { VCPU: 16, MEMORY_MB: 1, DISK_GB: 1 });
  const compute1 = providers.find((p) => p.name === 'compute-1.example.com')!;
  compute1.inventories.VCPU.allocation_ratio = 4;
  compute1.inventories.MEMORY_MB.reserved = 2048;
  region.placement = providers;
  return { region, providers };
}

const nova = {
  'availability-zone-name': 'nova',
  vCPUAvail: 32,
  vCPUTotal: 32,
  MemoryAvail: 7.5,
  MemoryTotal: 8,
  StorageAvail: 1028,
  StorageTotal: 1028,
  pCPUAvail: 0,
  pCPUTotal: 0,
};
// vCPU: 16 x 4 + 32 x 16 = 576 in all, 60 + 504 free; memory: (63488 + 131072) / 1024 = 190 GB, (47104 + 98304) / 1024 = 142 free.
const az2 = {
  'availability-zone-name': 'az2',
  vCPUAvail: 564,
  vCPUTotal: 576,
  MemoryAvail: 142,
  MemoryTotal: 190,
  StorageAvail: 1300,
  StorageTotal: 1500,
  pCPUAvail: 0,
  pCPUTotal: 0,
};

/** A whole fresh capacity_check body of such a region. */
const freshBody = (result: boolean, fitsNova: boolean, fitsAz2: boolean) => ({
  result,
  AZs: [
    { ...nova, asOf: expect.stringMatching(ISO), stale: false, fits: fitsNova },
    { ...az2, asOf: expect.stringMatching(ISO), stale: false, fits: fitsAz2 },
  ],
  azCapacity: 'fresh',
});

describe('capacity from Placement, per-host fit, freshness (SPEC 9)', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started), { env: { AZCAP_AUDIT_INTERVAL_MS: String(INTERVAL) } });

  const providers: Record<string, ResourceProvider[]> = {};

  async function register(version: 'v0' | 'v1', region: string): Promise<void> {
    const built = placementRegion();
    providers[region] = built.providers;
    doubles.openstack.cloud.regionIds.push(region);
    doubles.openstack.cloud.regions[region] = built.region;
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'Owner', region, extraInfo: { 'openstack-region-id': region } });
    const path = version === 'v1' ? `${PREFIX}/v1/Owner/${region}/registry` : `${PREFIX}/v0/Owner_${region}/registry`;
    await request(service.http).post(path).expect(202);
    expect(await waitForJob(service.http, path)).toMatchObject({ code: 0 });
  }

  const check = async (region: string, demand: Json, version: 'v0' | 'v1' = 'v1'): Promise<Json> => {
    const path = version === 'v1' ? `${PREFIX}/v1/Owner/${region}/capacity_check` : `${PREFIX}/v0/Owner_${region}/capacity_check`;
    return (await request(service.http).post(path).send(demand).expect(200)).body;
  };

  const provider = (region: string, name: string) => providers[region].find((p) => p.name === name)!;
  const partReads = (region: string, uuid: string) => doubles.openstack.count('GET', new RegExp(`^/${region}/placement/resource_providers/${uuid}/(inventories|usages)$`));
  const listReads = (region: string) => doubles.openstack.count('GET', new RegExp(`^/${region}/placement/resource_providers$`));

  /** Waits until the audits have seen the latest change of the double (two more provider lists). */
  async function twoMoreAudits(region: string): Promise<void> {
    const before = listReads(region);
    await eventually(() => listReads(region) >= before + 2, 5_000);
  }

  beforeAll(() => register('v1', 'Pl'));

  it('sums (total - reserved) x allocation_ratio - used per host: a 4.0 host next to a 16.0 host, reserved memory', async () => {
    expect(await check('Pl', { vCPU: 4, Memory: 4096, Storage: 10 })).toEqual(freshBody(true, false, true));
  });

  itWithRedis("keeps the plugin's cap_* keys with the six figures, and the per-host record beside them", async () => {
    const [list, az2Figures, record] = await withRedis((redis) =>
      Promise.all([redis.get('cap_azlist_Owner_Pl'), redis.get('cap_Owner_Pl_az2'), redis.get('mcstx:azcap_hosts:Owner_Pl')]),
    );
    expect(list).toBe('["nova","az2"]');
    expect(JSON.parse(az2Figures!)).toEqual({ vcpus: 576, vcpus_used: 12, memory_mb: 194560, free_ram_mb: 145408, local_gb: 1500, free_disk_gb: 1300 });
    const hosts = JSON.parse(record!);
    expect(hosts).toMatchObject({ source: 'placement', intervalMs: INTERVAL, asOf: expect.any(Number) });
    expect(hosts.zones[1]).toEqual({
      zone: 'az2',
      hosts: [
        {
          host: 'compute-1.example.com',
          vcpu: { capacity: 64, free: 60, maxUnit: 16 },
          memoryMb: { capacity: 63488, free: 47104, maxUnit: 65536 },
          diskGb: { capacity: 500, free: 400, maxUnit: 500 },
          pcpu: { capacity: 0, free: 0, maxUnit: 0 },
        },
        {
          host: 'compute-2',
          vcpu: { capacity: 512, free: 504, maxUnit: 32 },
          memoryMb: { capacity: 131072, free: 98304, maxUnit: 131072 },
          diskGb: { capacity: 1000, free: 900, maxUnit: 1000 },
          pcpu: { capacity: 0, free: 0, maxUnit: 0 },
        },
      ],
    });
  });

  it('a zone whose total is enough but no single host is: fits false, result false', async () => {
    // az2 has 1300 GB free in all, but 400 + 900 on two hosts; nova's host has 2 vCPUs (max_unit).
    expect(await check('Pl', { vCPU: 16, Memory: 1024, Storage: 950 })).toEqual(freshBody(false, false, false));
  });

  it("an allocation change bumps one provider's generation, and only that provider is read again", async () => {
    const compute1 = provider('Pl', 'compute-1.example.com');
    const others = providers.Pl.filter((p) => p !== compute1);
    await twoMoreAudits('Pl');
    const before = { changed: partReads('Pl', compute1.uuid), others: others.map((p) => partReads('Pl', p.uuid)) };
    allocate(compute1, { VCPU: 10 });
    await twoMoreAudits('Pl');
    expect(partReads('Pl', compute1.uuid)).toBe(before.changed + 2);
    expect(others.map((p) => partReads('Pl', p.uuid))).toEqual(before.others);
    const body = await check('Pl', { vCPU: 0, Memory: 0, Storage: 0 });
    expect(body.AZs[1]).toEqual({ ...az2, vCPUAvail: 558, asOf: expect.stringMatching(ISO), stale: false, fits: true });
  });

  it('a max_unit smaller than the demand: the host does not fit however much is free', async () => {
    // 17 vCPUs: compute-1's max_unit is 16; compute-2 has 504 free and max_unit 32, until it is 8.
    const demand = { vCPU: 17, Memory: 1024, Storage: 10 };
    expect((await check('Pl', demand)).AZs[1].fits).toBe(true);
    setInventory(provider('Pl', 'compute-2'), 'VCPU', { max_unit: 8 });
    await twoMoreAudits('Pl');
    const body = await check('Pl', demand);
    expect(body.AZs[1]).toEqual({ ...az2, vCPUAvail: 558, asOf: expect.stringMatching(ISO), stale: false, fits: false });
    expect(body.result).toBe(false);
  });

  /** The cloud calls of the whole audits of `region` in the next six intervals, each audit's paths sorted. */
  async function auditCalls(region: string): Promise<string[][]> {
    await twoMoreAudits(region);
    const from = Date.now();
    const lists = listReads(region);
    await eventually(() => listReads(region) >= lists + 6, 5_000);
    // One audit's calls go out together; audits are an interval (300 ms) apart.
    const calls = doubles.openstack.requests.filter((r) => r.path.startsWith(`/${region}/`) && r.at >= from);
    const audits: string[][] = [];
    for (const call of calls) {
      const last = audits[audits.length - 1];
      const previous = calls[calls.indexOf(call) - 1];
      if (last && call.at - previous.at < INTERVAL / 3) last.push(call.path.replace(/\/v2\.1\/[^/]+/, ''));
      else audits.push([call.path.replace(/\/v2\.1\/[^/]+/, '')]);
    }
    const whole = audits.slice(1, -1); // the first and last may be cut by the window
    expect(whole.length).toBeGreaterThanOrEqual(4);
    return whole.map((audit) => audit.sort());
  }

  it('an audit of an unchanged region whose nodes are named apart from their hosts costs 3 cloud calls (compute services, hypervisors, provider list)', async () => {
    const tokens = doubles.openstack.tokenRequests();
    (await auditCalls('Pl')).forEach((audit) => expect(audit).toEqual(['/Pl/compute/os-hypervisors/detail', '/Pl/compute/os-services', '/Pl/placement/resource_providers']));
    expect(doubles.openstack.tokenRequests()).toBe(tokens);
  });

  it('where every host is a provider of its own name (StarlingX), an unchanged audit costs 2 calls, no hypervisor listing, and answers the same', async () => {
    const built = placementRegion();
    // compute -> fake-mini, compute-1 -> compute-1.example.com and svc-compute-2 -> compute-2 become each host's own name.
    const hosts: Record<string, string> = { 'fake-mini': 'compute', 'compute-1.example.com': 'compute-1', 'compute-2': 'compute-2' };
    for (const hypervisor of built.region.hypervisors) {
      hypervisor.hypervisor_hostname = hosts[hypervisor.hypervisor_hostname];
      hypervisor.service.host = hypervisor.hypervisor_hostname;
    }
    for (const provider of built.providers) provider.name = hosts[provider.name];
    providers.Named = built.providers;
    doubles.openstack.cloud.regionIds.push('Named');
    doubles.openstack.cloud.regions.Named = built.region;
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'Owner', region: 'Named', extraInfo: { 'openstack-region-id': 'Named' } });
    await request(service.http).post(`${PREFIX}/v1/Owner/Named/registry`).expect(202);
    expect(await waitForJob(service.http, `${PREFIX}/v1/Owner/Named/registry`)).toMatchObject({ code: 0 });
    const hypervisorReads = doubles.openstack.count('GET', /^\/Named\/compute\/.*\/os-hypervisors\/detail$/);
    (await auditCalls('Named')).forEach((audit) => expect(audit).toEqual(['/Named/compute/os-services', '/Named/placement/resource_providers']));
    expect(doubles.openstack.count('GET', /^\/Named\/compute\/.*\/os-hypervisors\/detail$/)).toBe(hypervisorReads);
    // The Pl region's figures before any change: the same providers, only named after their hosts.
    expect(await check('Named', { vCPU: 4, Memory: 4096, Storage: 10 })).toEqual(freshBody(true, false, true));
  });

  it('audits an unchanged StarlingX region from its mark (asOf moves on, nothing recomputed); a host going down and up again is computed each time', async () => {
    const demand = { vCPU: 4, Memory: 4096, Storage: 10 };
    const asOf = (body: Json) => body.AZs.map((zone: Json) => zone.asOf);
    const withoutAsOf = (body: Json) => ({ ...body, AZs: body.AZs.map(({ asOf: _asOf, ...zone }: Json) => zone) });
    const first = await check('Named', demand);
    await twoMoreAudits('Named');
    const later = await check('Named', demand);
    expect(withoutAsOf(later)).toEqual(withoutAsOf(first));
    expect(asOf(later).every((at: string, i: number) => at > asOf(first)[i])).toBe(true);

    doubles.openstack.downHost('Named', 'compute-1');
    await twoMoreAudits('Named');
    const down = await check('Named', demand);
    // compute-1 (64 vCPUs) no longer counts in az2.
    expect(down.AZs[1]).toMatchObject({ 'availability-zone-name': 'az2', vCPUAvail: 504, stale: false });

    delete doubles.openstack.cloud.regions.Named.hostStates;
    await twoMoreAudits('Named');
    expect(withoutAsOf(await check('Named', demand))).toEqual(withoutAsOf(first));
  });

  it('where the hypervisor listing maps hosts to nodes, a node moving to another host is a change: the next audit is whole', async () => {
    await register('v1', 'Moved');
    const demand = { vCPU: 4, Memory: 4096, Storage: 10 };
    const before = await check('Moved', demand);
    expect(before.AZs[1]).toEqual({ ...az2, asOf: expect.stringMatching(ISO), stale: false, fits: true });
    await twoMoreAudits('Moved');
    // compute-1's node (compute-1.example.com) now reports another host: nothing else moved.
    doubles.openstack.cloud.regions.Moved.hypervisors[1].service.host = 'compute-9';
    await twoMoreAudits('Moved');
    // az2 is compute-2 alone now (compute-1 matches no node or provider).
    expect((await check('Moved', demand)).AZs[1]).toMatchObject({ 'availability-zone-name': 'az2', vCPUAvail: 504, vCPUTotal: 512, stale: false });
  });

  itWithRedis('an unchanged audit writes only the mark: the record keeps the asOf of its last whole audit', async () => {
    const read = () => withRedis((redis) => Promise.all([redis.get('mcstx:azcap_hosts:Owner_Named'), redis.get('mcstx:azcap_mark:Owner_Named')]));
    await twoMoreAudits('Named');
    const [record, mark] = await read();
    await twoMoreAudits('Named');
    const [sameRecord, laterMark] = await read();
    expect(sameRecord).toBe(record);
    const [before, after] = [JSON.parse(mark!), JSON.parse(laterMark!)];
    expect(after).toEqual({ asOf: expect.any(Number), inputs: before.inputs, savedAt: JSON.parse(record!).asOf });
    expect(after.asOf).toBeGreaterThan(before.asOf);
  });

  it('asks Placement for 1.14 for the provider list (parents), 1.0 for inventories and usages', () => {
    const calls = doubles.openstack.callsTo('placement', 'Pl');
    expect(calls.length).toBeGreaterThan(3);
    calls.forEach((call) => expect(call.headers['openstack-api-version']).toBe(call.path.endsWith('/resource_providers') ? 'placement 1.14' : 'placement 1.0'));
  });

  it('Nova answering 500 for three intervals turns the zone stale, keeping its figures; then fresh again', async () => {
    await register('v1', 'Down');
    const demand = { vCPU: 16, Memory: 1024, Storage: 950 }; // the limits let it through; no host fits
    const fresh = await check('Down', demand);
    expect(fresh).toMatchObject({ result: false, azCapacity: 'fresh' });
    doubles.openstack.failNext(
      'GET',
      /^\/Down\/compute\/v2\.1\/[^/]+\/(os-services|os-hypervisors\/detail)$/,
      { status: 500, body: { computeFault: { code: 500, message: 'boom' } } },
      100_000,
    );
    try {
      const stale = await eventually(async () => {
        const body = await check('Down', demand);
        return body.azCapacity === 'stale' ? body : undefined;
      }, 5_000);
      // Three more failed audits (each reads the compute services first).
      const failing = doubles.openstack.count('GET', /^\/Down\/compute\/.*\/os-services$/);
      await eventually(() => doubles.openstack.count('GET', /^\/Down\/compute\/.*\/os-services$/) >= failing + 3, 5_000);
      await new Promise((resolve) => setTimeout(resolve, INTERVAL * 3));
      const asOf = stale.AZs[0].asOf;
      // The figures of the last good audit, never zeros; stale, and no stale zone fits: false, as
      // the fresh answer was (stale figures never answer more than fresh ones would).
      expect(await check('Down', demand)).toEqual({
        result: false,
        AZs: [
          { ...nova, asOf, stale: true, fits: false },
          { ...az2, asOf, stale: true, fits: false },
        ],
        azCapacity: 'stale',
      });
      expect(Date.now() - Date.parse(asOf)).toBeGreaterThan(INTERVAL * 3);
      expect(service.logs.lines.some((line) => line.includes('capacity audit of Owner_Down failed'))).toBe(true);
    } finally {
      doubles.openstack.clearFaults();
    }
    const back = await eventually(async () => {
      const body = await check('Down', demand);
      return body.azCapacity === 'fresh' ? body : undefined;
    }, 5_000);
    expect(back).toMatchObject({ result: false, AZs: [{ stale: false }, { stale: false }] });
  });

  it('a malformed Placement answer keeps the figures, marked stale, never zeros', async () => {
    const demand = { vCPU: 4, Memory: 4096, Storage: 10 };
    await eventually(async () => (await check('Down', demand)).azCapacity === 'fresh', 5_000);
    doubles.openstack.failNext('GET', /^\/Down\/placement\/resource_providers$/, { status: 200, body: { providers: 'none' } }, 100_000);
    try {
      const stale = await eventually(async () => {
        const body = await check('Down', demand);
        return body.azCapacity === 'stale' ? body : undefined;
      }, 5_000);
      expect(stale).toEqual({
        result: true,
        AZs: [
          { ...nova, asOf: expect.stringMatching(ISO), stale: true, fits: false },
          { ...az2, asOf: expect.stringMatching(ISO), stale: true, fits: true },
        ],
        azCapacity: 'stale',
      });
      expect(service.logs.lines.some((line) => line.includes('malformed answer: no resource_providers list'))).toBe(true);
    } finally {
      doubles.openstack.clearFaults();
    }
  });

  it('answers the same on v0', async () => {
    await register('v0', 'PlV0');
    const demand = { vCPU: 4, Memory: 4096, Storage: 10 };
    expect(await check('PlV0', demand, 'v0')).toEqual(freshBody(true, false, true));
    expect(await check('PlV0', demand, 'v1')).toEqual(freshBody(true, false, true));
  });
});
