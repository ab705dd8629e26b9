import { Json } from '../support/aai-json';
import { endedJob, onboardRegion, registerCloudOwnerRegion, registered } from '../support/regions';
import { resetStore } from '../support/redis';
import { Doubles, TestApp, startApp, startDoubles, stopDoubles } from '../support/start-app';
import { TestPki, makePki } from '../support/tls';

/** A&AI and the cloud both over HTTPS, signed by a CA of the test's own. */
describe('TLS to A&AI and to clouds is verified', () => {
  let pki: TestPki;
  let doubles: Doubles;
  const apps: TestApp[] = [];

  async function service(env: Record<string, string>): Promise<TestApp> {
    const app = await startApp(doubles, env);
    apps.push(app);
    return app;
  }

  function register(app: TestApp, region: string): Promise<Json> {
    return registerCloudOwnerRegion(app.http, region);
  }

  beforeAll(async () => {
    await resetStore();
    pki = makePki();
    doubles = await startDoubles({ tls: { key: pki.key, cert: pki.cert } }, { key: pki.key, cert: pki.cert });
    expect(doubles.aai.serviceUrl).toMatch(/^https:/);
    expect(doubles.openstack.keystoneV3).toMatch(/^https:/);
  });

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  afterAll(() => stopDoubles(doubles));

  it('refuses an A&AI whose certificate it cannot verify, naming the call', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'AaiUntrusted' });
    const status = await register(await service({}), 'AaiUntrusted');
    expect(status).toEqual(
      endedJob(
        'register',
        11,
        expect.stringMatching(
          new RegExp(
            `^Registration failed for Cloud Region: CloudOwner_AaiUntrusted: A&AI GET ${doubles.aai.url}/aai/v13/cloud-infrastructure/cloud-regions/cloud-region/CloudOwner/AaiUntrusted failed: [A-Z_]*(CERT|SIGNATURE)[A-Z_]*$`,
          ),
        ),
      ),
    );
    expect(doubles.aai.count(undefined, /AaiUntrusted/)).toBe(0);
  });

  it('trusts A&AI through AAI_CA_FILE, or when AAI_TLS_INSECURE is set', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'AaiCa' });
    expect(await register(await service({ AAI_CA_FILE: pki.caFile }), 'AaiCa')).toEqual(registered('CloudOwner_AaiCa'));
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'AaiInsecure' });
    expect(await register(await service({ AAI_TLS_INSECURE: 'true' }), 'AaiInsecure')).toEqual(registered('CloudOwner_AaiInsecure'));
  });

  it("verifies a cloud's Keystone: its ssl-cacert is the CA, ssl-insecure skips the check", async () => {
    const app = await service({ AAI_CA_FILE: pki.caFile });
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'CloudUntrusted', sslInsecure: false });
    const tokensBefore = doubles.openstack.tokenRequests();
    const refused = await register(app, 'CloudUntrusted');
    expect(refused).toEqual(
      endedJob(
        'register',
        11,
        expect.stringMatching(
          new RegExp(
            `^Registration failed for Cloud Region: CloudOwner_CloudUntrusted: Keystone sign-in failed: Keystone POST ${doubles.openstack.keystoneV3}/auth/tokens failed: [A-Z_]*(CERT|SIGNATURE)[A-Z_]*$`,
          ),
        ),
      ),
    );
    expect(doubles.openstack.tokenRequests()).toBe(tokensBefore);

    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'CloudCa', sslInsecure: false, sslCacert: pki.caPem });
    expect(await register(app, 'CloudCa')).toEqual(registered('CloudOwner_CloudCa'));

    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'CloudInsecure', sslInsecure: true });
    expect(await register(app, 'CloudInsecure')).toEqual(registered('CloudOwner_CloudInsecure'));
  });
});
