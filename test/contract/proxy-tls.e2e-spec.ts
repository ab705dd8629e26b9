import request from 'supertest';

import { ADMIN_SIGN_IN } from '../support/proxy';
import { PREFIX, onboardRegion } from '../support/regions';
import { resetStore } from '../support/redis';
import { Doubles, TestApp, startApp, startDoubles, stopDoubles } from '../support/start-app';
import { TestPki, makePki } from '../support/tls';

/** The proxy reaches a cloud over HTTPS with the esr record's TLS settings (SPEC 8). */
describe('the proxy verifies a cloud as its esr record says', () => {
  let pki: TestPki;
  let doubles: Doubles;
  let service: TestApp;

  beforeAll(async () => {
    await resetStore();
    pki = makePki();
    doubles = await startDoubles({ tls: { key: pki.key, cert: pki.cert } }, { key: pki.key, cert: pki.cert });
    service = await startApp(doubles, { AAI_CA_FILE: pki.caFile });
  });

  afterAll(async () => {
    await service?.close();
    await stopDoubles(doubles);
  });

  it('refuses a Keystone whose certificate it cannot verify: 502, nothing reaches Keystone', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'Untrusted', region: 'RegionOne', sslInsecure: false });
    const before = doubles.openstack.requests.length;
    const response = await request(service.http).post(`${PREFIX}/v1/Untrusted/RegionOne/identity/v3/auth/tokens`).send(ADMIN_SIGN_IN);
    expect(response.status).toBe(502);
    expect(response.body.error).toMatch(new RegExp(`^POST ${doubles.openstack.keystoneV3}/auth/tokens failed: [A-Z_]*(CERT|SIGNATURE)`));
    expect(doubles.openstack.requests.length).toBe(before);
  });

  it.each([
    ['its ssl-cacert as the CA', 'WithCa', false],
    ['no check with ssl-insecure', 'Insecure', true],
  ])('signs in and lists flavors with %s', async (_, owner, insecure) => {
    onboardRegion(doubles.aai, doubles.openstack, { owner, region: 'RegionOne', sslInsecure: insecure, sslCacert: insecure ? undefined : pki.caPem });
    const signedIn = await request(service.http).post(`${PREFIX}/v1/${owner}/RegionOne/identity/v3/auth/tokens`).send(ADMIN_SIGN_IN);
    expect(signedIn.status).toBe(201);
    const flavors = await request(service.http).get(`${PREFIX}/v1/${owner}/RegionOne/compute/flavors/detail`).set('X-Auth-Token', signedIn.headers['x-subject-token']);
    expect(flavors.status).toBe(200);
    expect(flavors.body.flavors.map((f: { id: string }) => f.id)).toEqual(doubles.openstack.region('RegionOne').flavors.map((f) => f.id));
  });
});
