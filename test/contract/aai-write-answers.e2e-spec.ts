import request from 'supertest';

import { Json } from '../support/aai-json';
import {
  PREFIX,
  REGIONS,
  SAMPLE_COUNTS,
  endedJob,
  firstChanges,
  noChanges,
  onboardRegion,
  registerCloudOwnerRegion,
  registered,
  unregistered,
  waitForJob,
} from '../support/regions';
import { Doubles, TestApp, serveSuite } from '../support/start-app';
import { WriteGarbage } from '../servers/aai-garbage';

const NOTHING_WRITTEN = { tenants: 0, flavors: 0, hpaCapabilities: 0, images: 0, availabilityZones: 0, pservers: 0 };
/** Every object of the sample cloud, as a first registration's failed writes list them (hpa-capabilities with their flavor). */
const FIRST_WRITES = { tenant: 8, flavor: 8, 'hpa-capability': 14, image: 3, 'availability-zone': 2, pserver: 3 };

function tally(failed: Json[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of failed) counts[entry.kind] = (counts[entry.kind] ?? 0) + 1;
  return counts;
}

/** What the A&AI double holds of a region: its objects by kind, and the pservers it relates to. */
function held(doubles: Doubles, region: string): Record<string, number> {
  const body = doubles.aai.region('CloudOwner', region)!;
  const flavors: Json[] = body.flavors?.flavor ?? [];
  return {
    tenants: body.tenants?.tenant?.length ?? 0,
    flavors: flavors.length,
    hpaCapabilities: flavors.reduce((n, f) => n + (f['hpa-capabilities']?.['hpa-capability']?.length ?? 0), 0),
    images: body.images?.image?.length ?? 0,
    availabilityZones: body['availability-zones']?.['availability-zone']?.length ?? 0,
    pservers: doubles.aai.pserverNames().filter((name) => name.startsWith(`CloudOwner_${region}_`)).length,
  };
}

/**
 * SPEC 11 for A&AI writes: a bulk/single-transaction answer of 200/201 that is not
 * `{"operation-responses": [...]}` with one numeric status per operation, or a single
 * PUT/DELETE success whose body is an HTML page or JSON cut short, is an error naming
 * the call. The job ends failed with every write it concerned listed (never read as
 * success); the next registration writes what is missing.
 */
describe('A&AI bulk answers of the wrong shape (schema v16)', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started), { aai: { version: 'v16' }, env: { HTTP_RETRIES: '0' } });
  const bulkCall = () => `A&AI POST ${doubles.aai.serviceUrl}/v16/bulk/single-transaction failed: malformed answer`;

  afterEach(() => {
    doubles.aai.garbleWrites = undefined;
  });

  // `what`: the first batch's (8 tenants); `each`: any batch's.
  it.each<[WriteGarbage, string, RegExp, boolean]>([
    ['html', 'not JSON', /^not JSON$/, false],
    ['bad-json', 'not JSON', /^not JSON$/, true],
    ['no-operation-responses', 'no "operation-responses" list', /^no "operation-responses" list$/, true],
    ['fewer-responses', '7 operation responses for 8 operations', /^(\d+) operation responses for (\d+) operations$/, true],
    ['no-status-code', 'operation response 0 has no numeric "response-status-code"', /^operation response 0 has no numeric "response-status-code"$/, true],
  ])('a 2xx answer with %s fails the registration naming the call; the next one completes A&AI', async (answer, what, each, committed) => {
    const region = `Bulk${answer.replace(/-/g, '')}`;
    const vimId = `CloudOwner_${region}`;
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region });
    doubles.aai.garbleWrites = { answer, to: 'bulk' };
    const message = `${bulkCall()}: ${what}`;

    const status = await registerCloudOwnerRegion(service.http, region);
    expect(status).toEqual(
      endedJob('register', 11, `Registration failed for Cloud Region: ${vimId}: tenants (38 failed): ${message}`, {
        regions: [vimId],
        counts: NOTHING_WRITTEN,
        changes: { [vimId]: { created: {}, updated: { 'cloud-region': 1 }, deleted: {}, unchanged: {}, kept: [], failed: expect.any(Array) } },
      }),
    );
    const failed: Json[] = status.changes[vimId].failed;
    expect(tally(failed)).toEqual(FIRST_WRITES);
    for (const entry of failed) {
      expect(entry).toEqual({ kind: entry.kind, id: expect.any(String), action: 'create', message: expect.stringMatching(/: malformed answer: /) });
      const [call, detail] = entry.message.split(': malformed answer: ');
      expect(`${call}: malformed answer`).toBe(bulkCall());
      const count = each.exec(detail);
      expect(count).not.toBeNull();
      // A wrong count is one short, whatever the batch.
      if (count && count.length === 3) expect(Number(count[1])).toBe(Number(count[2]) - 1);
    }
    // An HTML page came instead of A&AI (nothing written); the other answers came after A&AI committed.
    expect(held(doubles, region)).toEqual(committed ? SAMPLE_COUNTS : NOTHING_WRITTEN);

    doubles.aai.garbleWrites = undefined;
    const again = await registerCloudOwnerRegion(service.http, region);
    const changes = committed ? noChanges() : { ...firstChanges(), updated: {}, unchanged: { 'cloud-region': 1 } };
    expect(again).toEqual(registered(vimId, SAMPLE_COUNTS, [vimId], { [vimId]: changes }));
    expect(held(doubles, region)).toEqual(SAMPLE_COUNTS);
  });

  it('a de-registration whose transaction answers the wrong count ends failed naming the call, and keeps the region', async () => {
    const region = 'BulkDelete';
    const vimId = `CloudOwner_${region}`;
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region });
    expect(await registerCloudOwnerRegion(service.http, region)).toEqual(registered(vimId));
    doubles.aai.garbleWrites = { answer: 'fewer-responses', to: 'bulk' };
    const path = `${PREFIX}/v1/CloudOwner/${region}/registry`;
    await request(service.http).delete(path).expect(204);
    const wrong = (sent: number) => `${bulkCall()}: ${sent - 1} operation responses for ${sent} operations`;
    expect(await waitForJob(service.http, path)).toEqual(
      endedJob(
        'unregister',
        11,
        `De-registration failed for Cloud Region: ${vimId}: ` +
          [
            `flavors (14 of 14 not deleted): ${wrong(17)}`,
            `images (3 of 3 not deleted): ${wrong(17)}`,
            `flavors (8 of 8 not deleted): ${wrong(8)}`,
            `tenants (8 of 8 not deleted): ${wrong(8)}`,
            `pservers (3 of 3 not deleted): ${wrong(3)}`,
            `availability zones (2 of 2 not deleted): ${wrong(1)}`,
          ].join('; '),
      ),
    );
    // A&AI committed every transaction; the job, unable to tell, did not go on to delete the region.
    expect(held(doubles, region)).toEqual(NOTHING_WRITTEN);
    expect(doubles.aai.region('CloudOwner', region)).toBeDefined();

    doubles.aai.garbleWrites = undefined;
    await request(service.http).delete(path).expect(204);
    expect(await waitForJob(service.http, path)).toEqual(unregistered(vimId));
    expect(doubles.aai.region('CloudOwner', region)).toBeUndefined();
  });
});

describe('A&AI single-write answers of the wrong shape (schema v13)', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started), { aai: { version: 'v13' }, env: { HTTP_RETRIES: '0' } });
  const regionPut = (region: string) => `A&AI PUT ${doubles.aai.serviceUrl}/v13${REGIONS}/CloudOwner/${region} failed: malformed answer`;

  afterEach(() => {
    doubles.aai.garbleWrites = undefined;
  });

  it.each<[WriteGarbage, string, boolean]>([
    ['html', 'an HTML page', false],
    ['bad-json', 'not JSON', true],
  ])('a 2xx PUT answer with %s fails the registration naming the call', async (answer, what, written) => {
    const region = `Single${answer.replace(/-/g, '')}`;
    const vimId = `CloudOwner_${region}`;
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region });
    doubles.aai.garbleWrites = { answer, to: 'single' };
    expect(await registerCloudOwnerRegion(service.http, region)).toEqual(
      endedJob('register', 11, `Registration failed for Cloud Region: ${vimId}: cloud region ${vimId}: ${regionPut(region)}: ${what}`, {
        regions: [vimId],
        counts: {},
        changes: {},
      }),
    );
    // The cloud region's PUT went through A&AI only when its answer was A&AI's, cut short.
    expect(doubles.aai.region('CloudOwner', region)!['cloud-epa-caps'] !== undefined).toBe(written);
    expect(held(doubles, region)).toEqual(NOTHING_WRITTEN);

    doubles.aai.garbleWrites = undefined;
    const again = await registerCloudOwnerRegion(service.http, region);
    const changes = written ? { ...firstChanges(), updated: {}, unchanged: { 'cloud-region': 1 } } : firstChanges();
    expect(again).toEqual(registered(vimId, SAMPLE_COUNTS, [vimId], { [vimId]: changes }));
    expect(held(doubles, region)).toEqual(SAMPLE_COUNTS);
  });
});
