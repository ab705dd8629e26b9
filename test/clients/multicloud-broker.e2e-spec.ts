import { PREFIX, onboardRegion, registered, waitForJob } from '../support/regions';
import { Doubles, TestApp, serveSuite } from '../support/start-app';
import { replay } from './replay';

/**
 * The MultiCloud broker's `check_vim_capacity` (v0 and v1) builds
 * `{"vCPU", "Memory", "Storage"}` from OOF's request untyped (`body.get(k, 0)`), sends
 * `json.dumps` of it to each VIM's `capacity_check`, and keeps a VIM only on a 200 whose
 * `result` is truthy, copying its `AZs` (v1). OOF's templates carry numbers or numeric
 * strings. The double's RegionOne quota fits vCPU ≤ 20, Memory ≤ 51200 MB, Storage ≤ 1000 GB,
 * and one host must take the demand whole (SPEC 9): zone nova's host has 2 vCPUs, az2's
 * hosts 16 and 32 vCPUs with 400 and 900 GB free.
 */
const BROKER_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

const ISO = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
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

/** Python's json.dumps separators, as the broker writes the body. */
function pythonJson(body: Record<string, unknown>): string {
  return `{${Object.entries(body)
    .map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`)
    .join(', ')}}`;
}

describe('MultiCloud broker check_vim_capacity fan-out', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started));

  beforeAll(async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'RegionOne' });
    const registry = `${PREFIX}/v1/CloudOwner/RegionOne/registry`;
    await replay(service.http, { method: 'POST', path: registry, headers: BROKER_HEADERS }).expect(202);
    expect(await waitForJob(service.http, registry)).toEqual(registered('CloudOwner_RegionOne'));
  });

  const paths = [
    ['v1', `${PREFIX}/v1/CloudOwner/RegionOne/capacity_check`],
    ['v0', `${PREFIX}/v0/CloudOwner_RegionOne/capacity_check`],
  ];

  it.each<[string, Record<string, unknown>, boolean, [boolean, boolean]]>([
    ['numeric strings from an OOF template', { vCPU: '10', Memory: '4096', Storage: '100' }, true, [false, true]],
    ['numbers', { vCPU: 20, Memory: 51200, Storage: 900 }, true, [false, true]],
    ['fractions, truncated like int()', { vCPU: 20.9, Memory: '51200.7', Storage: 900.99 }, true, [false, true]],
    ['a field OOF left out (the broker sends 0)', { vCPU: 2, Memory: 0, Storage: 0 }, true, [true, true]],
    ['a demand over the quota', { vCPU: '21', Memory: '1', Storage: '1' }, false, [false, true]],
    ['a demand the quota allows but no single host takes', { vCPU: 20, Memory: 51200, Storage: 1000 }, false, [false, false]],
  ])('%s', async (_name, demand, result, [fitsNova, fitsAz2]) => {
    for (const [, path] of paths) {
      const response = await replay(service.http, { method: 'POST', path, headers: BROKER_HEADERS, body: pythonJson(demand) });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ result, AZs: azs(fitsNova, fitsAz2), azCapacity: 'fresh' });
    }
  });

  it('keeps garbage a 400 {"result": false, "error"} naming the field', async () => {
    const response = await replay(service.http, {
      method: 'POST',
      path: paths[0][1],
      headers: BROKER_HEADERS,
      body: pythonJson({ vCPU: 'ten', Memory: 1, Storage: 1 }),
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ result: false, error: 'vCPU must be a number or a numeric string, not the string "ten"' });
  });
});
