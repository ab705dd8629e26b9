import { Json } from '../support/aai-json';
import { PREFIX, SAMPLE_COUNTS, onboardRegion, registered, waitForJob } from '../support/regions';
import { Doubles, TestApp, serveSuite } from '../support/start-app';
import { replay } from './replay';

/**
 * ESR (esr-server) registers a VIM it has written to A&AI by posting
 * `{"defaultTenant": "<tenant>"}` as JSON to the broker's v0 registry path, which the
 * broker forwards to `/api/multicloud-starlingx/v0/{owner}_{region}/registry`.
 */
describe('ESR registers a VIM', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started));

  it('answers 202 and scopes the registration to the default tenant of the body', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'EsrOwner', region: 'EsrRegion' });
    doubles.openstack.behaviour.forbidProjects = true;
    try {
      const demo = doubles.openstack.cloud.projects.find((p) => p.name === 'demo')!;
      const path = `${PREFIX}/v0/EsrOwner_EsrRegion/registry`;
      const posted = await replay(service.http, {
        method: 'POST',
        path,
        headers: { 'Content-Type': 'application/json;charset=UTF-8', Accept: 'application/json' },
        body: JSON.stringify({ defaultTenant: 'demo' }),
      });
      expect(posted.status).toBe(202);
      expect(await waitForJob(service.http, path)).toEqual(registered('EsrOwner_EsrRegion', { ...SAMPLE_COUNTS, tenants: 1 }));
      const tenants = doubles.aai.region('EsrOwner', 'EsrRegion')!.tenants.tenant.map((t: Json) => [t['tenant-id'], t['tenant-name']]);
      expect(tenants).toEqual([[demo.id, 'demo']]);
    } finally {
      doubles.openstack.behaviour.forbidProjects = false;
    }
  });
});
