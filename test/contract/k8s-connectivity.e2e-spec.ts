import request from 'supertest';

import { Json } from '../support/aai-json';
import { PREFIX, REGIONS, onboardRegion, registered, unregistered, waitForJob } from '../support/regions';
import { Doubles, TestApp, serveSuite } from '../support/start-app';

const APISERVER = 'https://10.10.10.2:6443';
const UNVERIFIED = (vimid: string) =>
  `the Kubernetes cluster of ${vimid} is not verified: cloud-extra-info has no k8s-apiserver-cacert (PEM), so its kubeconfig skips TLS verification`;

/**
 * multicloud-k8s keys a connection by cloud-region alone and refuses a second POST
 * ("Connection already exists"): the registration reads the record first, posts only
 * when absent, replaces it when its token or server changed, and leaves another
 * cloud-owner's `{region}` alone with a warning.
 */
describe.each(['v16', 'v13'] as const)('Kubernetes connectivity as multicloud-k8s keys it, A&AI %s', (version) => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started), { aai: { version } });

  const path = (owner: string) => `${PREFIX}/v1/${owner}/RegionOne/registry`;
  const k8sCalls = () => doubles.k8s.requests.map((r) => `${r.method} ${r.path}`);
  const tokenOf = (region: string) => /token: (\S+)/.exec(doubles.k8s.records.get(region)?.kubeconfig ?? '')?.[1];

  async function register(owner: string): Promise<Json> {
    await request(service.http).post(path(owner)).expect(202);
    return waitForJob(service.http, path(owner));
  }

  function setToken(owner: string, token: string): void {
    const uri = `${REGIONS}/${owner}/RegionOne`;
    const region = doubles.aai.get(uri)!;
    const info = JSON.parse(region['cloud-extra-info']);
    doubles.aai.seed(uri, { ...region, 'cloud-extra-info': JSON.stringify({ ...info, 'k8s-apitoken': token }) });
  }

  beforeAll(() => {
    const isystem = doubles.openstack.region('RegionOne').isystem;
    doubles.openstack.region('RegionOne').isystem = { ...isystem, software_version: '21.12' };
    for (const owner of ['OwnerA', 'OwnerB']) {
      onboardRegion(doubles.aai, doubles.openstack, {
        owner,
        region: 'RegionOne',
        extraInfo: { 'openstack-region-id': 'RegionOne', 'k8s-apiserver': APISERVER, 'k8s-apitoken': `token-of-${owner}` },
      });
    }
  });

  it("posts the first owner's record after reading that none is held", async () => {
    expect(await register('OwnerA')).toEqual({ ...registered('OwnerA_RegionOne'), warnings: [UNVERIFIED('OwnerA_RegionOne')] });
    expect(k8sCalls()).toEqual(['GET /api/multicloud-k8s/v1/v1/connectivity-info/RegionOne', 'POST /api/multicloud-k8s/v1/v1/connectivity-info']);
    expect(doubles.k8s.records.get('RegionOne')?.metadata).toEqual({ 'cloud-owner': 'OwnerA', 'cloud-region': 'RegionOne', 'other-connectivity-list': {} });
    expect(tokenOf('RegionOne')).toBe('token-of-OwnerA');
  });

  it("leaves the first owner's record alone for a second owner's RegionOne, and says why", async () => {
    doubles.k8s.requests.length = 0;
    expect(await register('OwnerB')).toEqual({
      ...registered('OwnerB_RegionOne'),
      warnings: [
        'k8s connectivity of OwnerB_RegionOne not registered: multicloud-k8s keys connections by cloud-region alone and holds ' +
          "OwnerA's RegionOne; it cannot hold two owners' RegionOne",
      ],
    });
    expect(k8sCalls()).toEqual(['GET /api/multicloud-k8s/v1/v1/connectivity-info/RegionOne']);
    expect(tokenOf('RegionOne')).toBe('token-of-OwnerA');
  });

  it('makes no k8s write for an unchanged region, and never warns "already exists"', async () => {
    doubles.k8s.requests.length = 0;
    const status = await register('OwnerA');
    expect(status.warnings).toEqual([UNVERIFIED('OwnerA_RegionOne')]);
    expect(status.status).toBe('Registration finished for Cloud Region: OwnerA_RegionOne');
    expect(k8sCalls()).toEqual(['GET /api/multicloud-k8s/v1/v1/connectivity-info/RegionOne']);
  });

  it('deletes and posts again when the token was rotated', async () => {
    setToken('OwnerA', 'rotated-token');
    doubles.k8s.requests.length = 0;
    const status = await register('OwnerA');
    expect(status.warnings).toEqual([UNVERIFIED('OwnerA_RegionOne')]);
    expect(k8sCalls()).toEqual([
      'GET /api/multicloud-k8s/v1/v1/connectivity-info/RegionOne',
      'DELETE /api/multicloud-k8s/v1/v1/connectivity-info/RegionOne',
      'POST /api/multicloud-k8s/v1/v1/connectivity-info',
    ]);
    expect(tokenOf('RegionOne')).toBe('rotated-token');
    expect(JSON.stringify(status)).not.toContain('rotated-token');
  });

  it("de-registering the second owner keeps the first owner's record; de-registering the first removes it", async () => {
    await request(service.http).delete(path('OwnerB')).expect(204);
    expect(await waitForJob(service.http, path('OwnerB'))).toEqual(unregistered('OwnerB_RegionOne'));
    expect(tokenOf('RegionOne')).toBe('rotated-token');
    await request(service.http).delete(path('OwnerA')).expect(204);
    expect(await waitForJob(service.http, path('OwnerA'))).toEqual(unregistered('OwnerA_RegionOne'));
    expect(doubles.k8s.records.size).toBe(0);
  });
});
