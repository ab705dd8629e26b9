import request from 'supertest';

import { PREFIX, onboardRegion, waitForJob } from '../support/regions';
import { Doubles, TestApp, serveSuite } from '../support/start-app';

const V1 = `${PREFIX}/v1/CloudOwner/RegionOne/registry`;

/** An id of `.` or `..` is encoded in the A&AI path, so it names an object, never a collection. */
describe('flavors whose ids are "." and ".."', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started));

  it('are written to A&AI as flavors of their own', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'RegionOne' });
    const nova = doubles.openstack.region('RegionOne').flavors;
    for (const id of ['.', '..']) nova.push({ ...nova[0], id, name: `odd${id}`, links: [] });
    await request(service.http).post(V1).expect(202);
    const status = await waitForJob(service.http, V1);
    expect(status).toMatchObject({ code: 0, state: 'succeeded' });
    const flavors: Array<Record<string, any>> = doubles.aai.region('CloudOwner', 'RegionOne')!.flavors.flavor;
    expect(flavors.map((f) => f['flavor-id']).sort()).toEqual(nova.map((f) => String(f.id)).sort());
    expect(flavors.find((f) => f['flavor-id'] === '..')).toMatchObject({ 'flavor-name': 'odd..' });
  });
});
