import { Json } from '../support/aai-json';
import { PREFIX, SAMPLE_COUNTS, onboardRegion, registered, unregistered, waitForJob } from '../support/regions';
import { Doubles, TestApp, serveSuite } from '../support/start-app';
import { ClientRequest, replay } from './replay';

/**
 * python-onapsdk: `CloudRegion.register_to_multicloud(default_tenant)` calls
 * `Multicloud.register_vim`, which posts through the MultiCloud broker with requests'
 * `data={"defaultTenant": ...}` (a form-encoded body) under the SDK's JSON headers;
 * `unregister_vim` DELETEs the region path without `/registry`. The broker forwards
 * method, body and headers to `/api/multicloud-starlingx/v1/{owner}/{region}[/registry]`.
 */
const SDK_HEADERS = {
  'User-Agent': 'python-requests/2.31.0',
  'Accept-Encoding': 'gzip, deflate',
  Accept: 'application/json',
  Connection: 'keep-alive',
  'Content-Type': 'application/json',
};

describe('python-onapsdk register_to_multicloud / unregister_vim', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started));

  afterEach(() => {
    doubles.openstack.behaviour.forbidProjects = false;
  });

  it('registers scoped to the default tenant it posts form-encoded, then de-registers', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'SdkOwner', region: 'SdkRegion' });
    // Only the token's own project can be listed, so A&AI's tenants show the scope.
    doubles.openstack.behaviour.forbidProjects = true;
    const demo = doubles.openstack.cloud.projects.find((p) => p.name === 'demo')!;

    const register: ClientRequest = {
      method: 'POST',
      path: `${PREFIX}/v1/SdkOwner/SdkRegion/registry`,
      headers: SDK_HEADERS,
      body: 'defaultTenant=demo',
    };
    const posted = await replay(service.http, register);
    expect(posted.status).toBe(202);
    expect(posted.text).toBe('');

    const status = await waitForJob(service.http, register.path);
    expect(status).toEqual(registered('SdkOwner_SdkRegion', { ...SAMPLE_COUNTS, tenants: 1 }));
    const tenants = doubles.aai.region('SdkOwner', 'SdkRegion')!.tenants.tenant.map((t: Json) => [t['tenant-id'], t['tenant-name']]);
    expect(tenants).toEqual([[demo.id, 'demo']]);

    const unregister: ClientRequest = { method: 'DELETE', path: `${PREFIX}/v1/SdkOwner/SdkRegion`, headers: SDK_HEADERS };
    const deleted = await replay(service.http, unregister);
    expect(deleted.status).toBe(204);
    expect(await waitForJob(service.http, unregister.path)).toEqual(unregistered('SdkOwner_SdkRegion'));
    expect(doubles.aai.region('SdkOwner', 'SdkRegion')).toBeUndefined();
  });

  it('registers with no body when no default tenant is given', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'SdkOwner', region: 'NoTenant' });
    const path = `${PREFIX}/v1/SdkOwner/NoTenant/registry`;
    const posted = await replay(service.http, { method: 'POST', path, headers: SDK_HEADERS });
    expect(posted.status).toBe(202);
    expect(await waitForJob(service.http, path)).toEqual(registered('SdkOwner_NoTenant'));
  });
});
