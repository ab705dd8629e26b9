import request from 'supertest';

import { distributedCloud } from '../servers/openstack-data';
import { PREFIX, eventually, onboardRegion, registered, unregistered, waitForJob } from '../support/regions';
import { Doubles, TestApp, serveSuite } from '../support/start-app';

const SC1 = 'bbadb3e8e2ab473792c80ef09c5a12a4';
const SC2 = '4f1c7d6a0e9b4a3c8d2e5f6a7b8c9d0e';
/** What the main region and one subcloud region of the distributed-cloud sample write. */
const TWO_REGION_COUNTS = { tenants: 16, flavors: 6, hpaCapabilities: 28, images: 6, availabilityZones: 4, pservers: 6 };

describe("a subcloud region is written under the subcloud's own claim", () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started), { env: { JOB_CLAIM_TTL_MS: '1500' } });

  it("runs a DELETE of the subcloud after the parent's writes to it, never between them", async () => {
    doubles.openstack.cloud = distributedCloud([SC1, SC2]);
    onboardRegion(doubles.aai, doubles.openstack, {
      owner: 'CloudOwner',
      region: 'DC',
      extraInfo: { 'multi-region-discovery': true, 'openstack-region-id': SC1 },
    });
    const subcloudPaths = new RegExp(`/cloud-region/CloudOwner/DC_${SC2}(/|$)`);
    doubles.aai.slowDown(subcloudPaths, 100);
    const path = `${PREFIX}/v1/CloudOwner/DC/registry`;
    const subcloud = `${PREFIX}/v1/CloudOwner/DC_${SC2}/registry`;

    await request(service.http).post(path).expect(202);
    await eventually(() => doubles.aai.count('PUT', subcloudPaths) > 0);
    await request(service.http).delete(subcloud).expect(204);

    expect(await waitForJob(service.http, path)).toEqual(registered('CloudOwner_DC', TWO_REGION_COUNTS, ['CloudOwner_DC', `CloudOwner_DC_${SC2}`]));
    expect(await waitForJob(service.http, subcloud, 15_000)).toEqual(unregistered(`CloudOwner_DC_${SC2}`));
    const writes = doubles.aai.requests.filter((r) => subcloudPaths.test(r.path));
    const lastPut = Math.max(...writes.filter((r) => r.method === 'PUT').map((r) => r.at));
    const firstDelete = Math.min(...writes.filter((r) => r.method === 'DELETE').map((r) => r.at));
    expect(firstDelete).toBeGreaterThan(lastPut);
    expect(doubles.aai.region('CloudOwner', `DC_${SC2}`)).toBeUndefined();
    expect(doubles.aai.region('CloudOwner', 'DC')).toBeDefined();
  });
});
