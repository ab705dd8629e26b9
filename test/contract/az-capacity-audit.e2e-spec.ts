import { readFileSync } from 'node:fs';

import request from 'supertest';

import { defaultRegion, hypervisor } from '../servers/openstack-data';
import { Json } from '../support/aai-json';
import { PREFIX, registered, unregistered, eventually, onboardRegion, waitForJob } from '../support/regions';
import { BASE_REDIS_URL, describeWithRedis, withRedis } from '../support/redis';
import { Doubles, TestApp, serveReplicas, serveSuite } from '../support/start-app';

const INTERVAL = 300;

/** Each A&AI test region gets an openstack region of its own, so calls can be told apart. */
function addOpenStackRegion(doubles: Doubles, id: string): void {
  doubles.openstack.cloud.regionIds.push(id);
  doubles.openstack.cloud.regions[id] = defaultRegion();
}

function hypervisorCalls(doubles: Doubles, region: string): number {
  return doubles.openstack.count('GET', new RegExp(`^/${region}/compute/v2\\.1/[^/]+/os-hypervisors/detail$`));
}

async function registerRegion(service: TestApp, doubles: Doubles, region: string, extraInfo: Json = {}): Promise<string> {
  addOpenStackRegion(doubles, region);
  onboardRegion(doubles.aai, doubles.openstack, { owner: 'Owner', region, extraInfo: { 'openstack-region-id': region, ...extraInfo } });
  const path = `${PREFIX}/v1/Owner/${region}/registry`;
  await request(service.http).post(path).expect(202);
  expect(await waitForJob(service.http, path)).toEqual(registered(`Owner_${region}`));
  return path;
}

/** The six figures of each zone (the freshness fields and the dedicated cores, none without Placement, are checked here, and dropped). */
async function zones(service: TestApp, region: string): Promise<Json[]> {
  const response = await request(service.http).post(`${PREFIX}/v1/Owner/${region}/capacity_check`).send({ vCPU: 0, Memory: 0, Storage: 0 }).expect(200);
  expect(response.body.azCapacity).toBe(response.body.AZs.length ? 'fresh' : 'unknown');
  return response.body.AZs.map(({ asOf, stale, fits, pCPUAvail, pCPUTotal, ...figures }: Json) => {
    expect([typeof asOf, stale, typeof fits, pCPUAvail, pCPUTotal]).toEqual(['string', false, 'boolean', 0, 0]);
    return figures;
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('AZ capacity audit (SPEC 5), on its @Interval', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started), { env: { AZCAP_AUDIT_INTERVAL_MS: String(INTERVAL) } });

  describe('exact per-zone sums, recomputed every audit', () => {
    const REGION = 'Exact';

    /** Waits for the zones to read `expected`, then for three more audits: they must not drift. */
    async function expectZones(expected: Json[]): Promise<void> {
      await eventually(async () => JSON.stringify(await zones(service, REGION)) === JSON.stringify(expected));
      const audits = hypervisorCalls(doubles, REGION);
      await eventually(() => hypervisorCalls(doubles, REGION) >= audits + 3, 5_000);
      expect(await zones(service, REGION)).toEqual(expected);
    }

    const nova = { 'availability-zone-name': 'nova', vCPUAvail: 32, vCPUTotal: 32, MemoryAvail: 7.5, MemoryTotal: 8, StorageAvail: 1028, StorageTotal: 1028 };

    beforeAll(() => registerRegion(service, doubles, REGION));

    it("starts from the registration's first audit", async () => {
      expect(await zones(service, REGION)).toEqual([
        nova,
        { 'availability-zone-name': 'az2', vCPUAvail: 576, vCPUTotal: 768, MemoryAvail: 144, MemoryTotal: 192, StorageAvail: 1300, StorageTotal: 1500 },
      ]);
    });

    it('follows a host whose figures change', async () => {
      const compute1 = doubles.openstack.region(REGION).hypervisors.find((h) => h.service.host === 'compute-1')!;
      Object.assign(compute1, { vcpus_used: 10, free_ram_mb: 32768, free_disk_gb: 300 });
      await expectZones([nova, { 'availability-zone-name': 'az2', vCPUAvail: 480, vCPUTotal: 768, MemoryAvail: 128, MemoryTotal: 192, StorageAvail: 1200, StorageTotal: 1500 }]);
    });

    it('adds a host that joins a zone', async () => {
      const region = doubles.openstack.region(REGION);
      region.hypervisors.push(
        hypervisor(4, 'compute-3', 'compute-3.example.com', { vcpus: 8, vcpus_used: 2, memory_mb: 16384, free_ram_mb: 8192, local_gb: 200, free_disk_gb: 150 }),
      );
      region.zones.find((z) => z.zoneName === 'nova')!.hosts['compute-3'] = { 'nova-compute': { active: true, available: true } };
      await expectZones([
        { 'availability-zone-name': 'nova', vCPUAvail: 128, vCPUTotal: 160, MemoryAvail: 15.5, MemoryTotal: 24, StorageAvail: 1178, StorageTotal: 1228 },
        { 'availability-zone-name': 'az2', vCPUAvail: 480, vCPUTotal: 768, MemoryAvail: 128, MemoryTotal: 192, StorageAvail: 1200, StorageTotal: 1500 },
      ]);
    });

    it('moves a host from one zone to another', async () => {
      const region = doubles.openstack.region(REGION);
      const az2 = region.zones.find((z) => z.zoneName === 'az2')!;
      region.zones.find((z) => z.zoneName === 'nova')!.hosts['compute-2'] = az2.hosts['compute-2'];
      delete az2.hosts['compute-2'];
      await expectZones([
        { 'availability-zone-name': 'nova', vCPUAvail: 512, vCPUTotal: 672, MemoryAvail: 111.5, MemoryTotal: 152, StorageAvail: 2078, StorageTotal: 2228 },
        { 'availability-zone-name': 'az2', vCPUAvail: 96, vCPUTotal: 256, MemoryAvail: 32, MemoryTotal: 64, StorageAvail: 300, StorageTotal: 500 },
      ]);
    });

    it('drops a host that leaves', async () => {
      const region = doubles.openstack.region(REGION);
      delete region.zones.find((z) => z.zoneName === 'az2')!.hosts['compute-1'];
      region.hypervisors = region.hypervisors.filter((h) => h.service.host !== 'compute-1');
      await expectZones([
        // az2 has no compute service left: Nova's services (what the audit reads) no longer name it.
        { 'availability-zone-name': 'nova', vCPUAvail: 512, vCPUTotal: 672, MemoryAvail: 111.5, MemoryTotal: 152, StorageAvail: 2078, StorageTotal: 2228 },
      ]);
    });

    it('drops a zone that is gone', async () => {
      const region = doubles.openstack.region(REGION);
      region.zones = region.zones.filter((z) => z.zoneName !== 'az2');
      await expectZones([{ 'availability-zone-name': 'nova', vCPUAvail: 512, vCPUTotal: 672, MemoryAvail: 111.5, MemoryTotal: 152, StorageAvail: 2078, StorageTotal: 2228 }]);
      if (BASE_REDIS_URL) {
        expect(await withRedis((redis) => redis.keys('cap_Owner_Exact_*'))).toEqual(['cap_Owner_Exact_nova']);
        expect(await withRedis((redis) => redis.get('cap_azlist_Owner_Exact'))).toBe('["nova"]');
      }
    });

    it('asks Nova for microversion 2.1', () => {
      const calls = doubles.openstack.requests.filter((r) => r.path.endsWith('/os-hypervisors/detail'));
      expect(calls.length).toBeGreaterThan(10);
      calls.forEach((call) => expect(call.headers['x-openstack-nova-api-version']).toBe('2.1'));
    });
  });

  it('leaves out a region whose cloud-extra-info says capacity_auditor_enabled: false', async () => {
    await registerRegion(service, doubles, 'OptOut', { capacity_auditor_enabled: false });
    await sleep(INTERVAL * 3 + 200);
    expect(hypervisorCalls(doubles, 'OptOut')).toBe(0);
    expect(await zones(service, 'OptOut')).toEqual([]);
  });

  it('drops from the audit, logged, a region A&AI answers 404 for 3 audits in a row (deleted by other means)', async () => {
    await registerRegion(service, doubles, 'Forgotten');
    const regionRead = /\/cloud-region\/Owner\/Forgotten$/;
    const notFound = JSON.parse(readFileSync('test/fixtures/aai-schema/examples/aai-error-404-node-not-found.json', 'utf8'));
    doubles.aai.failNext('GET', regionRead, { status: 404, body: notFound }, 1_000);
    try {
      const line = await eventually(() => service.logs.lines.find((l) => l.includes('Owner_Forgotten dropped from the capacity audit')), 10_000);
      expect(line).toContain('Owner_Forgotten dropped from the capacity audit: A&AI answered 3 audits in a row that it has no such region');
      const reads = doubles.aai.count('GET', regionRead);
      await sleep(INTERVAL * 3);
      expect(doubles.aai.count('GET', regionRead)).toBe(reads);
      if (BASE_REDIS_URL) {
        expect(await withRedis((redis) => redis.hExists('mcstx:azcap_regions', 'Owner_Forgotten'))).toBe(0);
        expect(await withRedis((redis) => redis.keys('cap_*Owner_Forgotten*'))).toEqual([]);
      }
    } finally {
      doubles.aai.clearFaults();
    }
  });

  it('stops auditing a region once it is de-registered, and drops its capacity', async () => {
    const path = await registerRegion(service, doubles, 'Leaving');
    await eventually(() => hypervisorCalls(doubles, 'Leaving') >= 3, 5_000);
    await request(service.http).delete(path).expect(204);
    expect(await waitForJob(service.http, path)).toEqual(unregistered('Owner_Leaving'));
    const after = hypervisorCalls(doubles, 'Leaving');
    await sleep(INTERVAL * 3 + 200);
    expect(hypervisorCalls(doubles, 'Leaving')).toBe(after);
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'Owner', region: 'Leaving', extraInfo: { 'openstack-region-id': 'Leaving' } });
    expect(await zones(service, 'Leaving')).toEqual([]);
  });

  it('keeps auditing other regions on time while one region is slow, never overlapping it', async () => {
    doubles.openstack.slowDown(/^\/Slow\/compute\/.*\/os-hypervisors\/detail$/, INTERVAL * 2);
    try {
      addOpenStackRegion(doubles, 'Slow');
      onboardRegion(doubles.aai, doubles.openstack, { owner: 'Owner', region: 'Slow', extraInfo: { 'openstack-region-id': 'Slow' } });
      await request(service.http).post(`${PREFIX}/v1/Owner/Slow/registry`).expect(202);
      await registerRegion(service, doubles, 'Fast');
      const [slowBefore, fastBefore] = [hypervisorCalls(doubles, 'Slow'), hypervisorCalls(doubles, 'Fast')];
      const window = INTERVAL * 8;
      await sleep(window);
      const fast = hypervisorCalls(doubles, 'Fast') - fastBefore;
      const slow = hypervisorCalls(doubles, 'Slow') - slowBefore;
      // Every due interval (300 ms) audits Fast; Slow is audited no more often.
      expect(fast).toBeGreaterThanOrEqual(Math.floor(window / (INTERVAL + 200)) - 1);
      expect(fast).toBeLessThanOrEqual(Math.floor(window / INTERVAL) + 1);
      expect(slow).toBeLessThanOrEqual(fast + 1);
      const starts = doubles.openstack.requests.filter((r) => /^\/Slow\/compute\/.*\/os-hypervisors\/detail$/.test(r.path)).map((r) => r.at);
      // A region is due an interval after it was due, and never sooner than 0.9 of an interval after it was taken.
      for (let i = 1; i < starts.length; i += 1) expect(starts[i] - starts[i - 1]).toBeGreaterThanOrEqual(0.9 * INTERVAL - 20);
      expect(service.logs.lines.some((line) => line.includes('capacity audit of Owner_Slow failed: timed out after 240 ms'))).toBe(true);
    } finally {
      doubles.openstack.clearFaults();
    }
  });
});

describeWithRedis('AZ capacity audit across restarts and replicas, on one Redis', () => {
  let doubles: Doubles;
  const replica = serveReplicas((started) => (doubles = started), { AZCAP_AUDIT_INTERVAL_MS: String(INTERVAL) });

  it('stores cap_azlist_{vimid} and cap_{vimid}_{zone} as plain JSON with a 24 h TTL', async () => {
    const a = await replica();
    await registerRegion(a, doubles, 'Keys');
    const [list, nova, ttl] = await withRedis((redis) => Promise.all([redis.get('cap_azlist_Owner_Keys'), redis.get('cap_Owner_Keys_nova'), redis.pTTL('cap_Owner_Keys_nova')]));
    expect(list).toBe('["nova","az2"]');
    expect(JSON.parse(nova!)).toEqual({ vcpus: 2, vcpus_used: 0, memory_mb: 8192, free_ram_mb: 7680, local_gb: 1028, free_disk_gb: 1028 });
    expect(ttl).toBeGreaterThan(86_000_000);
    expect(ttl).toBeLessThanOrEqual(86_400_000);
    expect(await withRedis((redis) => redis.keys('keyv:*'))).toEqual([]);
  });

  it("resumes every registered region's audit after a restart, with no new POST", async () => {
    const a = await replica();
    await registerRegion(a, doubles, 'Resume');
    await a.close();
    const before = hypervisorCalls(doubles, 'Resume');
    await replica();
    await eventually(() => hypervisorCalls(doubles, 'Resume') >= before + 3, 5_000);
  });

  it('two replicas audit each region once per interval in total, and the survivor takes over', async () => {
    const a = await replica();
    await replica();
    await registerRegion(a, doubles, 'Shared');
    const before = hypervisorCalls(doubles, 'Shared');
    const window = INTERVAL * 10;
    await sleep(window);
    const audits = hypervisorCalls(doubles, 'Shared') - before;
    expect(audits).toBeLessThanOrEqual(Math.floor(window / INTERVAL) + 1);
    expect(audits).toBeGreaterThanOrEqual(Math.floor(window / (INTERVAL + 200)) - 1);

    await a.close();
    const afterDeath = hypervisorCalls(doubles, 'Shared');
    await eventually(() => hypervisorCalls(doubles, 'Shared') >= afterDeath + 2, INTERVAL * 4);
  });

  it("schedules each region's next audit its own interval on, in the shared sorted set: 5 s on v1, 10 s on v0", async () => {
    const app = await replica({ AZCAP_AUDIT_INTERVAL_MS: '' });
    for (const [version, region] of [
      ['v1', 'LeaseV1'],
      ['v0', 'LeaseV0'],
    ]) {
      addOpenStackRegion(doubles, region);
      onboardRegion(doubles.aai, doubles.openstack, { owner: 'Owner', region, extraInfo: { 'openstack-region-id': region } });
      const path = version === 'v1' ? `${PREFIX}/v1/Owner/${region}/registry` : `${PREFIX}/v0/Owner_${region}/registry`;
      await request(app.http).post(path).expect(202);
      expect(await waitForJob(app.http, path)).toEqual(registered(`Owner_${region}`));
    }
    const now = Date.now();
    const [v1, v0] = (await withRedis((redis) => Promise.all([redis.zScore('mcstx:azcap_due', 'Owner_LeaseV1'), redis.zScore('mcstx:azcap_due', 'Owner_LeaseV0')]))).map(
      (dueAt) => Number(dueAt) - now,
    );
    expect(v1).toBeGreaterThan(4_000);
    expect(v1).toBeLessThanOrEqual(5_000);
    expect(v0).toBeGreaterThan(9_000);
    expect(v0).toBeLessThanOrEqual(10_000);
  });
});
