import request from 'supertest';

import { PREFIX, onboardRegion, waitForJob } from '../support/regions';
import { Doubles, TestApp, serveSuite } from '../support/start-app';

const REGISTRY = `${PREFIX}/v1/CloudOwner/RegionOne/registry`;

/** SPEC 11: de-registration reads A&AI a collection at a time, never the whole region at depth=all. */
describe('de-registration reads', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started));

  it('deletes everything without one depth=all answer of the whole region', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'RegionOne' });
    await request(service.http).post(REGISTRY).expect(202);
    expect(await waitForJob(service.http, REGISTRY)).toMatchObject({ code: 0 });
    const from = doubles.aai.requests.length;
    await request(service.http).delete(REGISTRY).expect(204);
    expect(await waitForJob(service.http, REGISTRY)).toMatchObject({ code: 0, kind: 'unregister' });
    const regionReads = doubles.aai.requests
      .slice(from)
      .filter((r) => r.method === 'GET' && /\/cloud-region\/CloudOwner\/RegionOne$/.test(r.path))
      .map((r) => r.query.get('depth'));
    expect(regionReads).not.toContain('all');
    // Only the region's own pservers are read, each by name: never the whole pserver collection.
    const pserverReads = doubles.aai.requests
      .slice(from)
      .filter((r) => r.method === 'GET' && r.path.includes('/cloud-infrastructure/pservers'))
      .map((r) => decodeURIComponent(r.path.split('/cloud-infrastructure/pservers')[1]));
    expect(pserverReads.length).toBeGreaterThan(0);
    for (const read of pserverReads) expect(read).toMatch(/^\/pserver\/CloudOwner_RegionOne_[^/]+$/);
    expect(doubles.aai.region('CloudOwner', 'RegionOne')).toBeUndefined();
    expect(doubles.aai.pserverNames().filter((name) => name.startsWith('CloudOwner_RegionOne_'))).toEqual([]);
  });
});
