import request from 'supertest';

import { items } from '../support/aai-json';
import { PREFIX, SAMPLE_COUNTS, eventually, noChanges, onboardRegion, registered, waitForJob } from '../support/regions';
import { Doubles, TestApp, serveSuite } from '../support/start-app';

const INTERVAL_MS = 1500;

/**
 * GET registry/plan without a `Project` header plans under the scope the region's syncs
 * use (its last POST's), so the plan is what the next sync writes.
 */
describe('GET registry/plan: one scope for plan and sync', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started), { aai: { version: 'v16' }, env: { REGISTRY_SYNC_INTERVAL_MS: String(INTERVAL_MS) } });

  it('plans a region POSTed with a Project header under that project, as its next sync registers it', async () => {
    // Keystone refuses /projects to this user: a registration's tenants are the token's own project.
    doubles.openstack.behaviour.forbidProjects = true;
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'Scoped' });
    const demo = doubles.openstack.cloud.projects.find((p) => p.name === 'demo')!;
    const path = `${PREFIX}/v1/CloudOwner/Scoped/registry`;
    const counts = { ...SAMPLE_COUNTS, tenants: 1 };

    await request(service.http).post(path).set('Project', 'demo').expect(202);
    expect(await waitForJob(service.http, path)).toEqual(registered('CloudOwner_Scoped', counts));
    const tenants = () => items(doubles.aai.region('CloudOwner', 'Scoped'), 'tenants', 'tenant').map((t) => t['tenant-name']);
    expect(tenants()).toEqual(['demo']);

    const plan = await request(service.http).get(`${path}/plan`).expect(200);
    expect(plan.body).toEqual({
      vimid: 'CloudOwner_Scoped',
      regions: [
        {
          vimid: 'CloudOwner_Scoped',
          openstackRegionId: 'RegionOne',
          action: 'unchanged',
          unchanged: { tenant: 1, flavor: 8, 'hpa-capability': 14, image: 3, 'availability-zone': 2, pserver: 3 },
        },
      ],
    });
    // An explicit header still wins: under admin the plan would create the admin tenant.
    const asAdmin = await request(service.http).get(`${path}/plan`).set('Project', 'admin').expect(200);
    expect(asAdmin.body.regions[0].create).toEqual({ tenant: [doubles.openstack.cloud.projects.find((p) => p.name === 'admin')!.id] });

    const sync = await eventually(async () => {
      const status = (await request(service.http).get(path)).body;
      return status.trigger === 'sync' && status.state !== 'in-progress' ? status : undefined;
    }, 3 * INTERVAL_MS);
    expect(sync).toEqual({ ...registered('CloudOwner_Scoped', counts, undefined, { CloudOwner_Scoped: noChanges(counts) }), trigger: 'sync' });
    expect(tenants()).toEqual(['demo']);
    expect(demo.name).toBe('demo');
  });
});
