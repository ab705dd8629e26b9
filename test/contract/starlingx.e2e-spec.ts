import { existsSync } from 'node:fs';

import { load } from 'js-yaml';
import request from 'supertest';

import { distributedCloud } from '../servers/openstack-data';
import { Json, esrOf, items } from '../support/aai-json';
import { PREFIX, endedJob, firstChanges, noChanges, onboardRegion, registerCloudOwnerRegion, registered, unregistered, waitForJob } from '../support/regions';
import { Doubles, TestApp, serveSuite } from '../support/start-app';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.k8s-admin-user-token';
const APISERVER = 'https://10.10.10.2:6443';
// dcmanager names a subcloud's region with a 32-hex id (reference: regions-list-distcloud).
const SC1 = 'bbadb3e8e2ab473792c80ef09c5a12a4';
const SC2 = '4f1c7d6a0e9b4a3c8d2e5f6a7b8c9d0e';
const SC3 = '9e8d7c6b5a4f4e3d2c1b0a9f8e7d6c5b';
/** What one subcloud region of the distributed-cloud sample writes, and two of them. */
const SUBCLOUD_COUNTS = { tenants: 8, flavors: 3, hpaCapabilities: 14, images: 3, availabilityZones: 2, pservers: 3 };
const TWO_SUBCLOUD_COUNTS = { tenants: 16, flavors: 6, hpaCapabilities: 28, images: 6, availabilityZones: 4, pservers: 6 };

function k8sPlatform(doubles: Doubles, regions: string[], version = '21.12'): void {
  for (const region of regions) {
    doubles.openstack.region(region).isystem = { ...doubles.openstack.region(region).isystem, software_version: version, system_mode: 'duplex', system_type: 'Standard' };
  }
}

describe('StarlingX registration (SPEC 3.3 to 3.6), A&AI v16', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started), { aai: { version: 'v16' } });

  describe('a distributed cloud onboarded on one subcloud, with two more subclouds', () => {
    const path = `${PREFIX}/v1/CloudOwner/DC/registry`;
    let status: Json;

    beforeAll(async () => {
      doubles.openstack.cloud = distributedCloud([SC1, SC2, SC3]);
      k8sPlatform(doubles, [SC1, SC2, SC3]);
      doubles.openstack.region(SC3).isystem!.software_version = '22.12';
      onboardRegion(doubles.aai, doubles.openstack, {
        owner: 'CloudOwner',
        region: 'DC',
        extraInfo: { 'multi-region-discovery': true, 'openstack-region-id': SC1, 'k8s-apiserver': APISERVER, 'k8s-apitoken': TOKEN },
      });
      await request(service.http).post(path).expect(202);
      status = await waitForJob(service.http, path);
    });

    it('ends as three fully registered A&AI regions, RegionOne and SystemController absent', () => {
      // No k8s-apiserver-cacert: each cluster's kubeconfig skips verification, and the status says so.
      const unverified = ['DC', `DC_${SC2}`, `DC_${SC3}`].map(
        (id) => `the Kubernetes cluster of CloudOwner_${id} is not verified: cloud-extra-info has no k8s-apiserver-cacert (PEM), so its kubeconfig skips TLS verification`,
      );
      expect(status).toEqual({
        ...registered('CloudOwner_DC', { tenants: 24, flavors: 9, hpaCapabilities: 42, images: 9, availabilityZones: 6, pservers: 9 }, [
          'CloudOwner_DC',
          `CloudOwner_DC_${SC2}`,
          `CloudOwner_DC_${SC3}`,
        ]),
        status: `Registration finished for Cloud Region: CloudOwner_DC`,
        warnings: unverified,
      });
      expect(doubles.aai.regionIds().sort()).toEqual(['CloudOwner/DC', `CloudOwner/DC_${SC2}`, `CloudOwner/DC_${SC3}`].sort());
      for (const [id, openstackRegion] of [
        ['DC', SC1],
        [`DC_${SC2}`, SC2],
        [`DC_${SC3}`, SC3],
      ]) {
        const region = doubles.aai.region('CloudOwner', id)!;
        expect(items(region, 'tenants', 'tenant')).toHaveLength(8);
        expect(
          items(region, 'flavors', 'flavor')
            .map((f) => f['flavor-name'])
            .sort(),
        ).toEqual(['m1.tiny', 'onap.hpa.all', 'onap.hpa.medium']);
        expect(items(region, 'images', 'image')).toHaveLength(3);
        const zones = items(region, 'availability-zones', 'availability-zone')
          .map((z) => z['availability-zone-name'])
          .sort();
        const suffix = `sc${[SC1, SC2, SC3].indexOf(openstackRegion) + 1}`;
        expect(zones).toEqual([`az2-${suffix}`, `nova-${suffix}`]);
        const pservers = (region['relationship-list']?.relationship ?? []).filter((r: Json) => r['related-to'] === 'pserver');
        expect(pservers.map((r: Json) => r['related-link'].split('/').pop()).sort()).toEqual(['compute', 'compute-1', 'compute-2'].map((host) => `CloudOwner_${id}_${host}`));
        expect(esrOf(region)['openstack-region-id']).toBe(openstackRegion);
      }
    });

    it('registers each subcloud through its own catalog endpoints', () => {
      for (const region of [SC1, SC2, SC3]) {
        expect(doubles.openstack.callsTo('nova', region).length).toBeGreaterThan(0);
        expect(doubles.openstack.callsTo('glance', region).length).toBeGreaterThan(0);
        expect(doubles.openstack.callsTo('sysinv', region)).toHaveLength(1);
      }
      for (const central of ['RegionOne', 'SystemController']) {
        expect(doubles.openstack.callsTo('nova', central)).toEqual([]);
        expect(doubles.openstack.callsTo('sysinv', central)).toEqual([]);
      }
    });

    it('creates each subcloud region with the esr info and its own cloud-extra-info', () => {
      const main = doubles.aai.region('CloudOwner', 'DC')!;
      const subcloud = doubles.aai.region('CloudOwner', `DC_${SC3}`)!;
      const { ['esr-system-info-id']: mainId, ['resource-version']: _v1, ['openstack-region-id']: _r1, ...mainEsr } = esrOf(main);
      const { ['esr-system-info-id']: subId, ['resource-version']: _v2, ['openstack-region-id']: _r2, ...subEsr } = esrOf(subcloud);
      expect(subEsr).toEqual(mainEsr);
      expect(subEsr).toMatchObject({ 'user-name': 'admin', password: 'os-secret-password', 'default-tenant': 'admin', 'system-status': 'active' });
      expect(subId).not.toBe(mainId);
      expect(JSON.parse(subcloud['cloud-extra-info'])).toEqual({
        'openstack-region-id': SC3,
        'k8s-apiserver': APISERVER,
        'k8s-apitoken': TOKEN,
        isystem: { software_version: '22.12', system_mode: 'duplex', system_type: 'Standard' },
      });
      expect(subcloud).toMatchObject({
        'cloud-type': 'openstack',
        'cloud-region-version': 'titanium_cloud',
        'complex-name': 'clli1',
        'in-maint': false,
        'orchestration-disabled': false,
        'identity-url': `http://127.0.0.1:${doubles.k8s.port}/api/multicloud-starlingx/v1/CloudOwner/DC_${SC3}/identity/v2.0`,
      });
      expect(subcloud['cloud-epa-caps']).toBeUndefined();
    });

    it('writes sysinv system info into the main region, keeping its esr-system-info-id', () => {
      const main = doubles.aai.region('CloudOwner', 'DC')!;
      expect(JSON.parse(main['cloud-extra-info'])).toEqual({
        'multi-region-discovery': true,
        'openstack-region-id': SC1,
        'k8s-apiserver': APISERVER,
        'k8s-apitoken': TOKEN,
        isystem: { software_version: '21.12', system_mode: 'duplex', system_type: 'Standard' },
      });
      const onboarded = doubles.aai.requests.find((r) => r.method === 'GET' && r.path.endsWith('/cloud-region/CloudOwner/DC/esr-system-info-list'));
      expect(onboarded).toBeDefined();
      const put = doubles.aai.requests.find((r) => r.method === 'PUT' && r.path.endsWith('/cloud-region/CloudOwner/DC'))!;
      const esr = (put.body as Json)['esr-system-info-list']['esr-system-info'][0];
      expect(esr['esr-system-info-id']).toBe(esrOf(main)['esr-system-info-id']);
      expect(esr['resource-version']).toEqual(expect.any(String));
      expect((put.body as Json)['resource-version']).toEqual(expect.any(String));
    });

    it('gives each region its own Kubernetes connectivity, the kubeconfig built in memory', () => {
      expect([...doubles.k8s.records.keys()].sort()).toEqual(['DC', `DC_${SC2}`, `DC_${SC3}`].sort());
      for (const region of ['DC', `DC_${SC2}`, `DC_${SC3}`]) {
        const record = doubles.k8s.records.get(region)!;
        expect(record.metadata).toEqual({ 'cloud-owner': 'CloudOwner', 'cloud-region': region, 'other-connectivity-list': {} });
        expect(record.contentType).toMatch(/^multipart\/form-data; boundary=/);
        expect(load(record.kubeconfig)).toEqual({
          apiVersion: 'v1',
          clusters: [{ cluster: { 'insecure-skip-tls-verify': true, server: APISERVER }, name: 'wrcpcluster' }],
          contexts: [{ context: { cluster: 'wrcpcluster', namespace: 'default', user: 'admin-user' }, name: 'wrcpcluster-admin' }],
          'current-context': 'wrcpcluster-admin',
          kind: 'Config',
          preferences: {},
          users: [{ name: 'admin-user', user: { token: TOKEN } }],
        });
      }
      expect(existsSync('/tmp/k8sconfig_CloudOwner_DC')).toBe(false);
      expect(service.logs.lines.join('\n')).not.toContain(TOKEN);
      expect(JSON.stringify(status)).not.toContain(TOKEN);
    });

    it('un-registers a subcloud on its own: its connectivity record goes too', async () => {
      const subcloud = `${PREFIX}/v1/CloudOwner/DC_${SC2}/registry`;
      await request(service.http).delete(subcloud).expect(204);
      expect(await waitForJob(service.http, subcloud)).toEqual(unregistered(`CloudOwner_DC_${SC2}`));
      expect(doubles.aai.region('CloudOwner', `DC_${SC2}`)).toBeUndefined();
      expect(doubles.k8s.records.has(`DC_${SC2}`)).toBe(false);
      expect(doubles.k8s.requests.some((r) => r.method === 'DELETE' && r.path === `/api/multicloud-k8s/v1/v1/connectivity-info/DC_${SC2}`)).toBe(true);
    });

    it('registers a subcloud on its own again, through its own region', async () => {
      const subcloud = `${PREFIX}/v1/CloudOwner/DC_${SC3}/registry`;
      await request(service.http).post(subcloud).expect(202);
      const unverified = `the Kubernetes cluster of CloudOwner_DC_${SC3} is not verified: cloud-extra-info has no k8s-apiserver-cacert (PEM), so its kubeconfig skips TLS verification`;
      expect(await waitForJob(service.http, subcloud)).toEqual({
        ...registered(`CloudOwner_DC_${SC3}`, SUBCLOUD_COUNTS, undefined, { [`CloudOwner_DC_${SC3}`]: noChanges(SUBCLOUD_COUNTS) }),
        status: `Registration finished for Cloud Region: CloudOwner_DC_${SC3}`,
        warnings: [unverified],
      });
      expect(doubles.aai.regionIds()).not.toContain(`CloudOwner/DC_${SC3}_${SC1}`);
    });

    it('un-registers the main region and its connectivity record', async () => {
      await request(service.http).delete(path).expect(204);
      expect(await waitForJob(service.http, path)).toEqual(unregistered('CloudOwner_DC'));
      expect(doubles.aai.region('CloudOwner', 'DC')).toBeUndefined();
      expect(doubles.k8s.records.has('DC')).toBe(false);
    });
  });

  describe('a distributed cloud onboarded as RegionOne', () => {
    it('maps it to its first subcloud, and the other subcloud becomes RegionOne_{R}', async () => {
      doubles.openstack.cloud = distributedCloud([SC1, SC2]);
      onboardRegion(doubles.aai, doubles.openstack, { owner: 'Edge', region: 'RegionOne', extraInfo: { 'multi-region-discovery': true } });
      const path = `${PREFIX}/v1/Edge/RegionOne/registry`;
      await request(service.http).post(path).expect(202);
      expect(await waitForJob(service.http, path)).toEqual(registered('Edge_RegionOne', TWO_SUBCLOUD_COUNTS, ['Edge_RegionOne', `Edge_RegionOne_${SC2}`]));
      expect(esrOf(doubles.aai.region('Edge', 'RegionOne'))['openstack-region-id']).toBe(SC1);
      expect(doubles.aai.regionIds().filter((id) => id.startsWith('Edge/'))).toEqual(['Edge/RegionOne', `Edge/RegionOne_${SC2}`]);
    });
  });
});

describe('StarlingX registration on A&AI v13, Kubernetes edge cases', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started), { aai: { version: 'v13' }, env: { AAI_CONFIRM_TRIES: '4', AAI_CONFIRM_INTERVAL_MS: '20' } });

  afterEach(() => {
    doubles.k8s.failWith = undefined;
    doubles.k8s.echoUploadInError = false;
    doubles.aai.readFilter = undefined;
  });

  async function register(region: string, extraInfo: Json): Promise<Json> {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region, extraInfo });
    return registerCloudOwnerRegion(service.http, region);
  }

  it('puts the openstack region id in cloud-epa-caps, not in esr, for v13', async () => {
    doubles.openstack.cloud = distributedCloud([SC1, SC2]);
    const status = await register('Multi13', { 'multi-region-discovery': true, 'openstack-region-id': SC2 });
    expect(status).toEqual(registered('CloudOwner_Multi13', TWO_SUBCLOUD_COUNTS, ['CloudOwner_Multi13', `CloudOwner_Multi13_${SC1}`]));
    for (const [id, openstackRegion] of [
      ['Multi13', SC2],
      [`Multi13_${SC1}`, SC1],
    ]) {
      const region = doubles.aai.region('CloudOwner', id)!;
      expect(region['cloud-epa-caps']).toBe(openstackRegion);
      expect(esrOf(region)['openstack-region-id']).toBeUndefined();
      expect(region['in-maint']).toBeUndefined();
    }
  });

  it('makes no connectivity call for a platform that does not run Kubernetes', async () => {
    k8sPlatform(doubles, [SC1, SC2], '18.03');
    const before = doubles.k8s.requests.length;
    const status = await register('NotK8s', { 'openstack-region-id': SC1, 'k8s-apiserver': APISERVER, 'k8s-apitoken': TOKEN });
    expect(status).toEqual(registered('CloudOwner_NotK8s', SUBCLOUD_COUNTS));
    expect(doubles.k8s.requests.length).toBe(before);
  });

  it('makes no connectivity call without k8s-apiserver and k8s-apitoken', async () => {
    k8sPlatform(doubles, [SC1, SC2], '19.12');
    const before = doubles.k8s.requests.length;
    expect(await register('NoToken', { 'openstack-region-id': SC1, 'k8s-apiserver': APISERVER })).toEqual(registered('CloudOwner_NoToken', SUBCLOUD_COUNTS));
    expect(doubles.k8s.requests.length).toBe(before);
  });

  it('still ends in status 0 when the k8s plugin answers 500, naming the failure', async () => {
    k8sPlatform(doubles, [SC1, SC2], '19.12');
    doubles.k8s.failWith = 500;
    const status = await register('K8sDown', { 'openstack-region-id': SC1, 'k8s-apiserver': APISERVER, 'k8s-apitoken': TOKEN });
    const warning =
      'k8s connectivity of CloudOwner_K8sDown not registered: ' +
      `multicloud-k8s POST http://127.0.0.1:${doubles.k8s.port}/api/multicloud-k8s/v1/v1/connectivity-info answered 500: internal error`;
    expect(status).toEqual(
      endedJob('register', 0, `Registration finished for Cloud Region: CloudOwner_K8sDown`, {
        regions: ['CloudOwner_K8sDown'],
        counts: SUBCLOUD_COUNTS,
        changes: { CloudOwner_K8sDown: firstChanges(SUBCLOUD_COUNTS) },
        warnings: [warning],
      }),
    );
    expect(doubles.k8s.count('POST')).toBeGreaterThanOrEqual(3);
    expect(service.logs.lines.join('\n')).not.toContain(TOKEN);
  });

  it('keeps the token out of the status and the log when the failing plugin quotes the kubeconfig', async () => {
    k8sPlatform(doubles, [SC1, SC2], '19.12');
    doubles.k8s.failWith = 500;
    doubles.k8s.echoUploadInError = true;
    const status = await register('K8sEcho', { 'openstack-region-id': SC1, 'k8s-apiserver': APISERVER, 'k8s-apitoken': TOKEN });
    const warning =
      'k8s connectivity of CloudOwner_K8sEcho not registered: ' +
      `multicloud-k8s POST http://127.0.0.1:${doubles.k8s.port}/api/multicloud-k8s/v1/v1/connectivity-info answered 500: cannot store the kubeconfig of admin-user (token ***)`;
    expect(status).toEqual(
      endedJob('register', 0, `Registration finished for Cloud Region: CloudOwner_K8sEcho`, {
        regions: ['CloudOwner_K8sEcho'],
        counts: SUBCLOUD_COUNTS,
        changes: { CloudOwner_K8sEcho: firstChanges(SUBCLOUD_COUNTS) },
        warnings: [warning],
      }),
    );
    expect(JSON.stringify(status)).not.toContain(TOKEN);
    expect(service.logs.lines.join('\n')).not.toContain(TOKEN);
  });

  it('ends with a clear status when A&AI never shows the update, after bounded reads', async () => {
    doubles.aai.readFilter = (uri, body) => (uri.endsWith('/cloud-region/CloudOwner/NoEcho') ? { ...body, 'identity-url': 'WillBeUpdatedByMultiCloud' } : body);
    const reads = () => doubles.aai.count('GET', /\/cloud-region\/CloudOwner\/NoEcho$/);
    const started = Date.now();
    const status = await register('NoEcho', { 'openstack-region-id': SC1, capacity_auditor_enabled: false });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(status).toEqual(
      endedJob(
        'register',
        11,
        expect.stringMatching(
          /^Registration failed for Cloud Region: CloudOwner_NoEcho: cloud region CloudOwner_NoEcho: A&AI did not confirm the update of Cloud Region CloudOwner_NoEcho: identity-url not read back after 4 reads in \d+ ms$/,
        ),
        { regions: ['CloudOwner_NoEcho'], counts: {}, changes: {} },
      ),
    );
    // One read of the job's own, then the four bounded confirmation reads.
    expect(reads()).toBe(1 + 4);
  });

  it('reads sysinv only where the catalog has a platform service', async () => {
    delete doubles.openstack.region(SC1).isystem;
    const status = await register('PlainOpenStack', { 'openstack-region-id': SC1 });
    const warning =
      'system info of CloudOwner_PlainOpenStack not read: ' +
      `sysinv GET ${doubles.openstack.url}/${SC1}/platform/v1/isystems answered 404: Not found: /${SC1}/platform/v1/isystems`;
    expect(status).toEqual(
      endedJob('register', 0, `Registration finished for Cloud Region: CloudOwner_PlainOpenStack`, {
        regions: ['CloudOwner_PlainOpenStack'],
        counts: SUBCLOUD_COUNTS,
        changes: { CloudOwner_PlainOpenStack: firstChanges(SUBCLOUD_COUNTS) },
        warnings: [warning],
      }),
    );
    expect(JSON.parse(doubles.aai.region('CloudOwner', 'PlainOpenStack')!['cloud-extra-info'])).toEqual({ 'openstack-region-id': SC1 });
  });
});
