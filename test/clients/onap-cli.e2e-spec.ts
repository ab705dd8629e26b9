import { PREFIX, onboardRegion, registered, waitForJob } from '../support/regions';
import { Doubles, TestApp, serveSuite } from '../support/start-app';
import { replay } from './replay';

/**
 * The ONAP CLI's `multicloud-register-cloud` posts to the broker's
 * `/api/multicloud/v0/{cloud-owner}_{cloud-region}/registry` with its JSON headers and
 * no body, and counts only a 202 as success.
 */
describe('ONAP CLI multicloud-register-cloud', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started));

  it('gets a 202 for a POST with no body, and the registration succeeds', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CliOwner', region: 'CliRegion' });
    const path = `${PREFIX}/v0/CliOwner_CliRegion/registry`;
    const posted = await replay(service.http, {
      method: 'POST',
      path,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Content-Length': '0' },
    });
    expect(posted.status).toBe(202);
    expect(await waitForJob(service.http, path)).toEqual(registered('CliOwner_CliRegion'));
    expect(doubles.aai.region('CliOwner', 'CliRegion')!['identity-url']).toBe(`http://127.0.0.1:${doubles.k8s.port}/api/multicloud-starlingx/v0/CliOwner_CliRegion/identity/v2.0`);
  });
});
