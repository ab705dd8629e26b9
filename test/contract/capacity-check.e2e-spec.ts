import request from 'supertest';

import { Json } from '../support/aai-json';
import { PREFIX, registered, onboardRegion, waitForJob } from '../support/regions';
import { Doubles, TestApp, serveSuite } from '../support/start-app';

const V1 = `${PREFIX}/v1/CloudOwner/RegionOne/capacity_check`;
const V0 = `${PREFIX}/v0/CloudOwner_RegionOne/capacity_check`;

/** RegionOne's audited zones (no Placement: hypervisors x 16); `fits` for the demand. */
const azs = (fitsNova: boolean, fitsAz2: boolean) => [
  {
    'availability-zone-name': 'nova',
    vCPUAvail: 32,
    vCPUTotal: 32,
    MemoryAvail: 7.5,
    MemoryTotal: 8,
    StorageAvail: 1028,
    StorageTotal: 1028,
    pCPUAvail: 0,
    pCPUTotal: 0,
    asOf: ISO,
    stale: false,
    fits: fitsNova,
  },
  {
    'availability-zone-name': 'az2',
    vCPUAvail: 576,
    vCPUTotal: 768,
    MemoryAvail: 144,
    MemoryTotal: 192,
    StorageAvail: 1300,
    StorageTotal: 1500,
    pCPUAvail: 0,
    pCPUTotal: 0,
    asOf: ISO,
    stale: false,
    fits: fitsAz2,
  },
];
const ISO = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
/** The same openstack region, registered with its audit off: no AZ data, the limits rule alone. */
const LIMITS_ONLY = `${PREFIX}/v1/CloudOwner/LimitsOnly/capacity_check`;

/**
 * The double's RegionOne: quota 20 cores / 51200 MB (none used), volume 1000 GB;
 * hypervisors 50 vCPUs with 12 used, 155136 MB and 2328 GB free. So what the limits let
 * through is vCPU ≤ 20, Memory ≤ 51200, Storage ≤ 1000. Per host (vCPUs, MB, GB free; a
 * host's vCPU max_unit is its physical count): fake-mini 2 of 2, 7680, 1028 (zone nova);
 * compute-1 16 of 12, 49152, 400 and compute-2 32 of 24, 98304, 900 (zone az2).
 */
describe('POST capacity_check (v0 and v1)', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started));

  beforeAll(async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'RegionOne' });
    const registry = `${PREFIX}/v1/CloudOwner/RegionOne/registry`;
    await request(service.http).post(registry).expect(202);
    expect(await waitForJob(service.http, registry)).toEqual(registered('CloudOwner_RegionOne'));
    onboardRegion(doubles.aai, doubles.openstack, {
      owner: 'CloudOwner',
      region: 'LimitsOnly',
      extraInfo: { 'openstack-region-id': 'RegionOne', capacity_auditor_enabled: false },
    });
    await request(service.http).post(`${PREFIX}/v1/CloudOwner/LimitsOnly/registry`).expect(202);
    await waitForJob(service.http, `${PREFIX}/v1/CloudOwner/LimitsOnly/registry`);
  });

  afterEach(() => {
    doubles.openstack.behaviour.forbidHypervisorStatistics = false;
    doubles.openstack.clearFaults();
    const region = doubles.openstack.region('RegionOne');
    region.computeLimits = { ...region.computeLimits, maxTotalCores: 20, maxTotalRAMSize: 51200 };
  });

  const check = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    request(service.http)
      .post(path)
      .set(headers)
      .send(body as object);

  it.each([
    ['v1', V1, { vCPU: 20, Memory: 51200, Storage: 900 }, true, azs(false, true)],
    ['v0', V0, { vCPU: 20, Memory: 51200, Storage: 900 }, true, azs(false, true)],
    ['v1', V1, { vCPU: 2, Memory: 2048, Storage: 1000 }, true, azs(true, false)],
    // The limits let it through, but no single host has 1000 GB and 20 vCPUs.
    ['v1', V1, { vCPU: 20, Memory: 51200, Storage: 1000 }, false, azs(false, false)],
    ['v1', V1, { vCPU: 21, Memory: 1, Storage: 1 }, false, azs(false, true)],
    ['v0', V0, { vCPU: 1, Memory: 51201, Storage: 1 }, false, azs(false, true)],
    ['v1', V1, { vCPU: 1, Memory: 1, Storage: 1001 }, false, azs(true, false)],
  ])('%s %j → result %s, with the audited AZs', async (_v, path, demand, result, AZs) => {
    const response = await check(path, demand).expect(200);
    expect(response.body).toEqual({ result, AZs, azCapacity: 'fresh' });
  });

  it('answers by the limits rule alone, azCapacity unknown, for a region without audit data', async () => {
    expect((await check(LIMITS_ONLY, { vCPU: 20, Memory: 51200, Storage: 1000 }).expect(200)).body).toEqual({
      result: true,
      AZs: [],
      azCapacity: 'unknown',
    });
  });

  it('is capped by the hypervisors where the quota is larger, their vCPUs x the CPU allocation ratio as the zones count them', async () => {
    const region = doubles.openstack.region('RegionOne');
    region.computeLimits = { ...region.computeLimits, maxTotalCores: -1, maxTotalRAMSize: -1 };
    // 38 vCPUs free x 16 = 608 (the rule used to cap at 38, without the ratio).
    expect((await check(LIMITS_ONLY, { vCPU: 608, Memory: 155136, Storage: 1 }).expect(200)).body.result).toBe(true);
    expect((await check(LIMITS_ONLY, { vCPU: 609, Memory: 1, Storage: 1 }).expect(200)).body.result).toBe(false);
    expect((await check(LIMITS_ONLY, { vCPU: 1, Memory: 155137, Storage: 1 }).expect(200)).body.result).toBe(false);
  });

  it('is not limited by the hypervisors when they may not be read (403)', async () => {
    const region = doubles.openstack.region('RegionOne');
    region.computeLimits = { ...region.computeLimits, maxTotalCores: 100 };
    doubles.openstack.behaviour.forbidHypervisorStatistics = true;
    expect((await check(LIMITS_ONLY, { vCPU: 60, Memory: 1, Storage: 1 }).expect(200)).body).toEqual({ result: true, AZs: [], azCapacity: 'unknown' });
    expect((await check(LIMITS_ONLY, { vCPU: 101, Memory: 1, Storage: 1 }).expect(200)).body.result).toBe(false);
  });

  it('scopes the Keystone session to the Project header', async () => {
    const demo = doubles.openstack.cloud.projects.find((p) => p.name === 'demo')!;
    await check(V1, { vCPU: 1, Memory: 1, Storage: 1 }, { Project: 'demo' }).expect(200);
    const scopes = doubles.openstack.requests.filter((r) => r.path.endsWith('/auth/tokens')).map((r) => (r.body as Json).auth.scope.project);
    expect(scopes.slice(-2)).toEqual([{ id: 'demo' }, { name: 'demo', domain: { name: 'Default' } }]);
    const limits = doubles.openstack.requests.filter((r) => r.path.endsWith('/limits')).slice(-2);
    expect(limits.map((r) => r.path).sort()).toEqual([`/RegionOne/compute/v2.1/${demo.id}/limits`, `/RegionOne/volume/v3/${demo.id}/limits`].sort());
  });

  it.each([
    // 900 GB: compute-2 takes the demand whole (see the hosts above).
    ['numeric strings', { vCPU: '20', Memory: '51200', Storage: '900' }, true],
    ['fractions, truncated toward zero', { vCPU: 20.99, Memory: 51200.5, Storage: '900.9' }, true],
    ['numbers in exponent form and with spaces', { vCPU: ' 2e1 ', Memory: 5.12e4, Storage: '+900' }, true],
    ['a numeric string over the quota', { vCPU: '21', Memory: 1, Storage: 1 }, false],
  ])('takes %s: %j → result %s', async (_name, demand, result) => {
    const response = await check(V1, { ...demand, VIMs: ['ignored'] }).expect(200);
    expect(response.body).toEqual({ result, AZs: azs(false, true), azCapacity: 'fresh' });
  });

  it.each<[string, unknown, string]>([
    ['a missing field', { vCPU: 1, Memory: 1 }, 'Storage is required'],
    ['a non-numeric string', { vCPU: 'four', Memory: 1, Storage: 1 }, 'vCPU must be a number or a numeric string, not the string "four"'],
    ['an empty string', { vCPU: 1, Memory: '', Storage: 1 }, 'Memory must be a number or a numeric string, not the string ""'],
    ['a hexadecimal string', { vCPU: '0x10', Memory: 1, Storage: 1 }, 'vCPU must be a number or a numeric string, not the string "0x10"'],
    ['a negative size', { vCPU: 1, Memory: -1, Storage: 1 }, 'Memory must not be negative'],
    ['a negative fraction', { vCPU: 1, Memory: 1, Storage: '-0.5' }, 'Storage must not be negative'],
    ['a non-finite string', { vCPU: 'Infinity', Memory: 1, Storage: 1 }, 'vCPU must be a number or a numeric string, not the string "Infinity"'],
    ['a number too large to be finite', { vCPU: '1e999', Memory: 1, Storage: 1 }, 'vCPU must be finite'],
    ['null', { vCPU: null, Memory: 1, Storage: 1 }, 'vCPU must be a number or a numeric string, not null'],
    ['an array', { vCPU: [4], Memory: 1, Storage: 1 }, 'vCPU must be a number or a numeric string, not an array'],
    ['an object', { vCPU: 1, Memory: { mb: 1 }, Storage: 1 }, 'Memory must be a number or a numeric string, not an object'],
    ['a boolean', { vCPU: true, Memory: 1, Storage: 1 }, 'vCPU must be a number or a numeric string, not a boolean'],
    ['a JSON array body', [1, 2, 3], 'the body must be a JSON object with vCPU, Memory and Storage'],
    ['no body', undefined, 'the body must be a JSON object with vCPU, Memory and Storage'],
  ])('answers 400 naming the bad field for %s', async (_name, body, error) => {
    const before = doubles.openstack.requests.length;
    const response = await check(V1, body).expect(400);
    expect(response.body).toEqual({ result: false, error });
    expect(doubles.openstack.requests.length).toBe(before);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const response = await request(service.http).post(V1).set('Content-Type', 'application/json').send('{"vCPU": 1,').expect(400);
    expect(response.body).toEqual({ result: false, error: 'the body is not valid JSON' });
  });

  it('answers 413 {"result": false, "error"} for a body over 1 MB, and keeps serving', async () => {
    const response = await request(service.http)
      .post(V1)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ vCPU: 1, Memory: 1, Storage: 1, pad: 'x'.repeat(1_100_000) }))
      .expect(413);
    expect(response.body).toEqual({ result: false, error: 'the body could not be read: request entity too large' });
    await check(V1, { vCPU: 1, Memory: 1, Storage: 1 }).expect(200);
  });

  it('takes a trailing slash', async () => {
    for (const path of [`${V1}/`, `${V0}/`]) {
      expect((await check(path, { vCPU: 1, Memory: 1, Storage: 1 }).expect(200)).body).toEqual({ result: true, AZs: azs(true, true), azCapacity: 'fresh' });
    }
  });

  it('answers 500 {"result": false, "error"} when the cloud fails', async () => {
    doubles.openstack.failNext('GET', /\/compute\/v2\.1\/[^/]+\/limits$/, { status: 500, body: { computeFault: { message: 'boom' } } }, 3);
    const response = await check(V0, { vCPU: 1, Memory: 1, Storage: 1 }).expect(500);
    const admin = doubles.openstack.cloud.projects.find((p) => p.name === 'admin')!;
    expect(response.body).toEqual({
      result: false,
      error: `Nova GET ${doubles.openstack.url}/RegionOne/compute/v2.1/${admin.id}/limits answered 500: boom`,
    });
  });

  it('answers 404 {"result": false, "error"} for a region A&AI does not have', async () => {
    const response = await check(`${PREFIX}/v1/CloudOwner/Unknown/capacity_check`, { vCPU: 1, Memory: 1, Storage: 1 }).expect(404);
    expect(response.body).toEqual({ result: false, error: 'Cloud Region not found in AAI: CloudOwner_Unknown' });
  });
});
