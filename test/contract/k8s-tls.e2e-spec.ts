import { load } from 'js-yaml';
import request from 'supertest';

import { K8sPluginDouble } from '../servers/k8s-plugin.server';
import { PREFIX, onboardRegion, waitForJob } from '../support/regions';
import { resetStore } from '../support/redis';
import { Doubles, TestApp, startApp, startDoubles, stopDoubles } from '../support/start-app';
import { TestPki, makePki } from '../support/tls';

type Json = Record<string, any>;

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.k8s-admin-user-token';
const APISERVER = 'https://10.10.10.2:6443';

/** The kubeconfig carries a token: MSB over verified HTTPS, the cluster verified when its CA is known. */
describe('Kubernetes connectivity over TLS', () => {
  let pki: TestPki;
  let doubles: Doubles;
  let service: TestApp;

  beforeAll(async () => {
    await resetStore();
    pki = makePki();
    doubles = await startDoubles();
    // MSB (the k8s plugin behind it) over HTTPS with the test's own CA.
    await doubles.k8s.close();
    doubles.k8s = new K8sPluginDouble({ key: pki.key, cert: pki.cert });
    await doubles.k8s.start();
    service = await startApp(doubles, { MSB_PROTO: 'https', MSB_PORT: String(doubles.k8s.port), MSB_CA_FILE: pki.caFile });
    const isystem = doubles.openstack.region('RegionOne').isystem;
    doubles.openstack.region('RegionOne').isystem = { ...isystem, software_version: '21.12' };
  });

  afterAll(async () => {
    await service?.close();
    await stopDoubles(doubles);
  });

  async function register(region: string, extraInfo: Json): Promise<Json> {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region, extraInfo });
    const path = `${PREFIX}/v1/CloudOwner/${region}/registry`;
    await request(service.http).post(path).expect(202);
    return waitForJob(service.http, path);
  }

  it('uploads to MSB over HTTPS verified by MSB_CA_FILE, the cluster verified by its k8s-apiserver-cacert', async () => {
    const status = await register('Verified', {
      'openstack-region-id': 'RegionOne',
      'k8s-apiserver': APISERVER,
      'k8s-apitoken': TOKEN,
      'k8s-apiserver-cacert': pki.caPem,
    });
    expect(status).toMatchObject({ code: 0, status: 'Registration finished for Cloud Region: CloudOwner_Verified' });
    expect(status.warnings).toBeUndefined();
    const kubeconfig = load(doubles.k8s.records.get('Verified')!.kubeconfig) as Json;
    expect(kubeconfig.clusters).toEqual([
      { cluster: { 'certificate-authority-data': Buffer.from(`${pki.caPem.trim()}\n`).toString('base64'), server: APISERVER }, name: 'wrcpcluster' },
    ]);
  });

  it('warns in the status when the cluster cannot be verified', async () => {
    const status = await register('Unverified', { 'openstack-region-id': 'RegionOne', 'k8s-apiserver': APISERVER, 'k8s-apitoken': TOKEN });
    expect(status).toMatchObject({ code: 0, state: 'succeeded' });
    expect(status.warnings).toEqual([
      'the Kubernetes cluster of CloudOwner_Unverified is not verified: cloud-extra-info has no k8s-apiserver-cacert (PEM), so its kubeconfig skips TLS verification',
    ]);
    expect((load(doubles.k8s.records.get('Unverified')!.kubeconfig) as Json).clusters[0].cluster['insecure-skip-tls-verify']).toBe(true);
  });
});
