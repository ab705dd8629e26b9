import request from 'supertest';

import { ResourceProvider, addPcpu, allocate, defaultRegion, hypervisor, placementOf, providerUuid, setAggregates, sharingProvider } from '../servers/openstack-data';
import { PREFIX, REGIONS, eventually, onboardRegion, waitForJob } from '../support/regions';
import { BASE_REDIS_URL, withRedis } from '../support/redis';
import { Doubles, TestApp, serveSuite } from '../support/start-app';

type Json = Record<string, any>;

const INTERVAL = 300;
const ISO = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
const itWithRedis = BASE_REDIS_URL ? it : it.skip;
const CEPH_AGGREGATE = '42896e0d-205d-4fe3-bd1e-100924931787';

/**
 * A region as Nova's scheduler sees it (Placement, every ratio 16 for VCPU and 1 otherwise;
 * quota 20 cores, 51200 MB, volume 1000 GB):
 * - zone nova: `compute` (fake-mini: 2 vCPUs, 8192 MB with 7680 free, 1028 GB), and two big
 *   hosts the scheduler may not use: compute-3 (service disabled) and compute-4 (down);
 * - zone az2: compute-1 (16 vCPUs, 4 used; 8 dedicated cores (PCPU), 2 used; 500 GB local,
 *   400 free) and compute-2 (32 vCPUs, 30 used; no local disk), both in the aggregate of
 *   `ceph-pool`, a sharing provider (MISC_SHARES_VIA_AGGREGATE) of 10000 GB, 2000 used;
 * - zone az3: host `ghost`, which no hypervisor nor provider matches;
 * - `orphan-node`: a provider that matches no host.
 * Hypervisor statistics (what the limits rule used to read, without ratio): 16 vCPUs free.
 */
function schedulerRegion(): { region: ReturnType<typeof defaultRegion>; providers: ResourceProvider[] } {
  const region = defaultRegion();
  region.hypervisors.find((h) => h.hypervisor_hostname === 'compute-2')!.vcpus_used = 30;
  const big = { vcpus: 64, vcpus_used: 64, memory_mb: 262144, free_ram_mb: 262144, local_gb: 2000, free_disk_gb: 2000 };
  region.hypervisors.push(hypervisor(4, 'compute-3', 'compute-3', big), hypervisor(5, 'compute-4', 'compute-4', big));
  const novaZone = region.zones.find((z) => z.zoneName === 'nova')!;
  novaZone.hosts['compute-3'] = { 'nova-compute': { active: true, available: true, updated_at: null } };
  novaZone.hosts['compute-4'] = { 'nova-compute': { active: true, available: true, updated_at: null } };
  region.zones.push({ zoneName: 'az3', zoneState: { available: true }, hosts: { ghost: { 'nova-compute': { active: true, available: true, updated_at: null } } } });
  region.hostStates = { 'compute-3': { status: 'disabled', disabled_reason: 'hardware check' }, 'compute-4': { state: 'down' } };

  const providers = placementOf(region, { VCPU: 16, MEMORY_MB: 1, DISK_GB: 1 });
  const compute1 = providers.find((p) => p.name === 'compute-1.example.com')!;
  const compute2 = providers.find((p) => p.name === 'compute-2')!;
  addPcpu(compute1, 8, 2);
  delete compute2.inventories.DISK_GB;
  delete compute2.usages.DISK_GB;
  setAggregates(compute1, [CEPH_AGGREGATE]);
  setAggregates(compute2, [CEPH_AGGREGATE]);
  const orphan: ResourceProvider = { ...placementOf(defaultRegion())[0], uuid: providerUuid(11), name: 'orphan-node' };
  providers.push(sharingProvider(10, 'ceph-pool', CEPH_AGGREGATE, { total: 10000, used: 2000 }), orphan);
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
// vCPU: 16 x 16 + 32 x 16 = 768, 252 + 482 free; memory (65536 + 131072) / 1024, (49152 + 98304) / 1024;
// storage: compute-1's 500 GB (400 free) and ceph-pool's 10000 (8000 free) once, not once per host.
const az2 = {
  'availability-zone-name': 'az2',
  vCPUAvail: 734,
  vCPUTotal: 768,
  MemoryAvail: 144,
  MemoryTotal: 192,
  StorageAvail: 8400,
  StorageTotal: 10500,
  pCPUAvail: 6,
  pCPUTotal: 8,
};
const az3 = (stale: boolean) => ({ 'availability-zone-name': 'az3', asOf: ISO, stale, unknown: true, fits: false });

const body = (result: boolean, fitsNova: boolean, fitsAz2: boolean, stale = false, asOf: unknown = ISO) => ({
  result,
  AZs: [
    { ...nova, asOf, stale, fits: fitsNova },
    { ...az2, asOf, stale, fits: fitsAz2 },
    { ...az3(stale), asOf },
  ],
  azCapacity: stale ? 'stale' : 'fresh',
});

describe('capacity_check answers as the scheduler would (SPEC 9)', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started), { env: { AZCAP_AUDIT_INTERVAL_MS: String(INTERVAL), VIM_INFO_CACHE_MS: '100' } });
  let providers: ResourceProvider[];

  beforeAll(async () => {
    const built = schedulerRegion();
    providers = built.providers;
    doubles.openstack.cloud.regionIds.push('Sched');
    doubles.openstack.cloud.regions.Sched = built.region;
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'Owner', region: 'Sched', extraInfo: { 'openstack-region-id': 'Sched' } });
    const path = `${PREFIX}/v1/Owner/Sched/registry`;
    await request(service.http).post(path).expect(202);
    expect(await waitForJob(service.http, path)).toMatchObject({ code: 0 });
  });

  const check = async (demand: Json): Promise<Json> => (await request(service.http).post(`${PREFIX}/v1/Owner/Sched/capacity_check`).send(demand).expect(200)).body;
  const reads = (uuid: string, part: string) => doubles.openstack.count('GET', new RegExp(`^/Sched/placement/resource_providers/${uuid}/${part}$`));
  const listReads = () => doubles.openstack.count('GET', /^\/Sched\/placement\/resource_providers$/);
  const provider = (name: string) => providers.find((p) => p.name === name)!;
  async function twoMoreAudits(): Promise<void> {
    const before = listReads();
    await eventually(() => listReads() >= before + 2, 5_000);
  }

  it("caps the limits with the zones' ratios, and fits Storage on a host without local disk from the sharing provider", async () => {
    // 20 vCPUs: 16 physical cores free (the statistics), 734 at ratio 16; no local disk on
    // compute-2, 950 GB from ceph-pool. The old rule answered false (20 > 16).
    expect(await check({ vCPU: 20, Memory: 8000, Storage: 950 })).toEqual(body(true, false, true));
  });

  it('fits dedicated cores (pCPU) against PCPU, and never more than a host has', async () => {
    expect(await check({ vCPU: 1, pCPU: 6, Memory: 1024, Storage: 10 })).toEqual(body(true, false, true));
    expect(await check({ vCPU: '1', pCPU: '7', Memory: 1024, Storage: 10 })).toEqual(body(false, false, false));
  });

  it("counts no host whose compute service is disabled or down (nova's figures are fake-mini's alone)", async () => {
    // 7681 MB: only compute-3 (disabled) and compute-4 (down) have it in zone nova.
    expect(await check({ vCPU: 1, Memory: 7681, Storage: 1 })).toEqual(body(true, false, true));
    expect(await check({ vCPU: 1, Memory: 7680, Storage: 1 })).toEqual(body(true, true, true));
  });

  it('answers 400 for a bad pCPU, as for the other demands', async () => {
    const response = await request(service.http).post(`${PREFIX}/v1/Owner/Sched/capacity_check`).send({ vCPU: 1, Memory: 1, Storage: 1, pCPU: -1 }).expect(400);
    expect(response.body).toEqual({ result: false, error: 'pCPU must not be negative' });
  });

  itWithRedis('keeps the six figures in the plain keys (shared disk once), pCPU in the audit record, and no key for the unknown zone', async () => {
    const [list, az2Key, az3Key, record] = await withRedis((redis) =>
      Promise.all([redis.get('cap_azlist_Owner_Sched'), redis.get('cap_Owner_Sched_az2'), redis.get('cap_Owner_Sched_az3'), redis.get('mcstx:azcap_hosts:Owner_Sched')]),
    );
    expect(list).toBe('["nova","az2"]');
    expect(JSON.parse(az2Key!)).toEqual({ vcpus: 768, vcpus_used: 34, memory_mb: 196608, free_ram_mb: 147456, local_gb: 10500, free_disk_gb: 8400 });
    expect(az3Key).toBeNull();
    const zones = JSON.parse(record!).zones;
    expect(zones[1].hosts.map((h: Json) => [h.host, h.pcpu, h.sharedDisk])).toEqual([
      ['compute-1.example.com', { capacity: 8, free: 6, maxUnit: 8 }, [providerUuid(10)]],
      ['compute-2', { capacity: 0, free: 0, maxUnit: 0 }, [providerUuid(10)]],
    ]);
    expect(zones[1].shared).toEqual([{ uuid: providerUuid(10), name: 'ceph-pool', diskGb: { capacity: 10000, free: 8000, maxUnit: 10000 } }]);
    expect(zones[2]).toEqual({ zone: 'az3', hosts: [], unknown: true });
  });

  it('reads the new parts once, then an unchanged region costs 3 cloud calls per audit; a change re-reads only that provider', async () => {
    await twoMoreAudits();
    const ceph = provider('ceph-pool');
    // Traits only of the root providers that are no compute node; never of a host down or disabled.
    expect([ceph, provider('orphan-node'), provider('compute-3'), provider('fake-mini')].map((p) => reads(p.uuid, 'traits'))).toEqual([1, 1, 0, 0]);
    expect(['fake-mini', 'compute-1.example.com', 'compute-2', 'ceph-pool', 'compute-3', 'compute-4', 'orphan-node'].map((n) => reads(provider(n).uuid, 'aggregates'))).toEqual([
      1, 1, 1, 1, 0, 0, 0,
    ]);

    const from = Date.now();
    const lists = listReads();
    await eventually(() => listReads() >= lists + 5, 5_000);
    const calls = doubles.openstack.requests.filter((r) => r.at >= from && (r.path.startsWith('/Sched/') || r.path.startsWith('/identity/')));
    const audits: string[][] = [];
    calls.forEach((call, i) => {
      const path = call.path.replace(/\/v2\.1\/[^/]+/, '');
      if (i > 0 && call.at - calls[i - 1].at < INTERVAL / 3) audits[audits.length - 1].push(path);
      else audits.push([path]);
    });
    const whole = audits.slice(1, -1);
    expect(whole.length).toBeGreaterThanOrEqual(3);
    whole.forEach((audit) => expect(audit.sort()).toEqual(['/Sched/compute/os-hypervisors/detail', '/Sched/compute/os-services', '/Sched/placement/resource_providers']));

    const before = ['inventories', 'usages', 'aggregates', 'traits'].map((part) => reads(ceph.uuid, part));
    const compute1 = ['inventories', 'usages', 'aggregates'].map((part) => reads(provider('compute-1.example.com').uuid, part));
    allocate(ceph, { DISK_GB: 3000 });
    await twoMoreAudits();
    expect(['inventories', 'usages', 'aggregates', 'traits'].map((part) => reads(ceph.uuid, part))).toEqual(before.map((n) => n + 1));
    expect(['inventories', 'usages', 'aggregates'].map((part) => reads(provider('compute-1.example.com').uuid, part))).toEqual(compute1);
    expect((await check({ vCPU: 1, Memory: 1, Storage: 1 })).AZs[1]).toEqual({ ...az2, StorageAvail: 7400, asOf: ISO, stale: false, fits: true });
    allocate(ceph, { DISK_GB: 2000 });
    await twoMoreAudits();
  });

  it('a subcloud in maintenance is answered from its last figures, stale, with no call to its site', async () => {
    const fresh = await check({ vCPU: 20, Memory: 8000, Storage: 950 });
    const asOf = fresh.AZs[0].asOf;
    const region = doubles.aai.get(`${REGIONS}/Owner/Sched`)!;
    const subcloud = { name: 'subcloud1', 'management-state': 'unmanaged', 'availability-status': 'online', 'deploy-status': 'complete', 'software-version': '22.12' };
    doubles.aai.seed(`${REGIONS}/Owner/Sched`, { ...region, 'cloud-extra-info': JSON.stringify({ ...JSON.parse(region['cloud-extra-info']), subcloud }) });
    const stale = await eventually(async () => {
      const answer = await check({ vCPU: 20, Memory: 8000, Storage: 950 });
      return answer.azCapacity === 'stale' ? answer : undefined;
    }, 5_000);
    const lastAsOf = stale.AZs[0].asOf;
    expect(Date.parse(lastAsOf)).toBeGreaterThanOrEqual(Date.parse(asOf));

    const calls = doubles.openstack.requests.length;
    // A stale zone fits: true, and the answer says stale; none fits: false (never more than fresh).
    expect(await check({ vCPU: 20, Memory: 8000, Storage: 950 })).toEqual(body(true, false, true, true, lastAsOf));
    // 17 vCPUs and 3 dedicated cores: within every limit, but no host has both (compute-1: max_unit 16).
    expect(await check({ vCPU: 17, pCPU: 3, Memory: 1, Storage: 1 })).toEqual(body(false, false, false, true, lastAsOf));
    await new Promise((resolve) => setTimeout(resolve, INTERVAL * 3));
    // Neither capacity_check (no Keystone, no limits) nor the audit called the cloud.
    expect(doubles.openstack.requests.slice(calls).map((r) => r.path)).toEqual([]);

    doubles.aai.seed(`${REGIONS}/Owner/Sched`, { ...doubles.aai.get(`${REGIONS}/Owner/Sched`)!, 'cloud-extra-info': region['cloud-extra-info'] });
    await eventually(async () => (await check({ vCPU: 1, Memory: 1, Storage: 1 })).azCapacity === 'fresh', 5_000);
  });

  it('with no fresh zone, answers false unless a stale zone fits', async () => {
    doubles.openstack.failNext('GET', /^\/Sched\/compute\/v2\.1\/[^/]+\/os-services$/, { status: 500, body: { computeFault: { code: 500, message: 'boom' } } }, 100_000);
    try {
      const stale = await eventually(async () => {
        const answer = await check({ vCPU: 20, Memory: 8000, Storage: 950 });
        return answer.azCapacity === 'stale' ? answer : undefined;
      }, 5_000);
      expect(stale).toEqual(body(true, false, true, true, stale.AZs[0].asOf));
      expect(await check({ vCPU: 17, pCPU: 3, Memory: 1, Storage: 1 })).toEqual(body(false, false, false, true, stale.AZs[0].asOf));
    } finally {
      doubles.openstack.clearFaults();
    }
  });

  it('reads the provider list at 1.0 from a Placement older than 1.14 (after one 406), and answers the same', async () => {
    const from = doubles.openstack.requests.length;
    doubles.openstack.behaviour.placementMaxMicroversion = '1.13';
    try {
      await twoMoreAudits();
      await twoMoreAudits();
      const lists = doubles.openstack.requests.slice(from).filter((r) => r.path === '/Sched/placement/resource_providers');
      expect(lists.map((r) => r.headers['openstack-api-version']).filter((v) => v === 'placement 1.14')).toHaveLength(1);
      expect(lists.at(-1)!.headers['openstack-api-version']).toBe('placement 1.0');
      expect(await check({ vCPU: 20, Memory: 8000, Storage: 950 })).toEqual(body(true, false, true));
    } finally {
      delete doubles.openstack.behaviour.placementMaxMicroversion;
    }
  });
});
