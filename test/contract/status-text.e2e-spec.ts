import { distributedCloud } from '../servers/openstack-data';
import { onboardRegion, registerCloudOwnerRegion, registered } from '../support/regions';
import { Doubles, TestApp, serveSuite } from '../support/start-app';

const APISERVER = 'https://10.10.10.2:6443';
const TOKEN = 'k8s-admin-user-token';
// isPem is all the kubeconfig needs to name the CA: its bytes are not parsed here.
const CA = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2E=\n-----END CERTIFICATE-----';
const SC1 = 'bbadb3e8e2ab473792c80ef09c5a12a4';
const SC2 = '4f1c7d6a0e9b4a3c8d2e5f6a7b8c9d0e';
const SUBCLOUD_COUNTS = { tenants: 8, flavors: 3, hpaCapabilities: 14, images: 3, availabilityZones: 2, pservers: 3 };
const TWO_SUBCLOUD_COUNTS = { tenants: 16, flavors: 6, hpaCapabilities: 28, images: 6, availabilityZones: 4, pservers: 6 };
const unverified = (vimid: string) =>
  `the Kubernetes cluster of ${vimid} is not verified: cloud-extra-info has no k8s-apiserver-cacert (PEM), so its kubeconfig skips TLS verification`;

/**
 * SPEC 1: a finished job's `status` is SPEC 3's message alone, the text clients compare;
 * what else the job has to say is in `warnings`. Whole bodies, for the main region and
 * subclouds, with and without Kubernetes info, with and without its CA.
 */
describe.each(['v16', 'v13'] as const)('the status text of a finished registration, A&AI %s', (version) => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started), { aai: { version } });

  beforeAll(() => {
    doubles.openstack.cloud = distributedCloud([SC1, SC2]);
    for (const region of [SC1, SC2]) {
      doubles.openstack.region(region).isystem = { ...doubles.openstack.region(region).isystem, software_version: '22.12' };
    }
  });

  const onboard = (region: string, extraInfo: Record<string, unknown>) => onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region, extraInfo });

  it('a Kubernetes platform without k8s info: the message alone, no warnings', async () => {
    onboard('NoK8s', { 'openstack-region-id': SC1 });
    expect(await registerCloudOwnerRegion(service.http, 'NoK8s')).toEqual(registered('CloudOwner_NoK8s', SUBCLOUD_COUNTS));
  });

  it('k8s info without a CA: the message alone, the unverified cluster in warnings', async () => {
    onboard('NoCa', { 'openstack-region-id': SC1, 'k8s-apiserver': APISERVER, 'k8s-apitoken': TOKEN });
    expect(await registerCloudOwnerRegion(service.http, 'NoCa')).toEqual({
      ...registered('CloudOwner_NoCa', SUBCLOUD_COUNTS),
      warnings: [unverified('CloudOwner_NoCa')],
    });
  });

  it('k8s info with its CA: the message alone, no warnings', async () => {
    onboard('WithCa', { 'openstack-region-id': SC2, 'k8s-apiserver': APISERVER, 'k8s-apitoken': TOKEN, 'k8s-apiserver-cacert': CA });
    expect(await registerCloudOwnerRegion(service.http, 'WithCa')).toEqual(registered('CloudOwner_WithCa', SUBCLOUD_COUNTS));
  });

  it('a distributed cloud, main region and subcloud, k8s info without a CA: the message alone, one warning per region', async () => {
    onboard('DC', { 'multi-region-discovery': true, 'openstack-region-id': SC1, 'k8s-apiserver': APISERVER, 'k8s-apitoken': TOKEN });
    expect(await registerCloudOwnerRegion(service.http, 'DC')).toEqual({
      ...registered('CloudOwner_DC', TWO_SUBCLOUD_COUNTS, ['CloudOwner_DC', `CloudOwner_DC_${SC2}`]),
      warnings: [unverified('CloudOwner_DC'), unverified(`CloudOwner_DC_${SC2}`)],
    });
  });

  it('a distributed cloud with the CA: the message alone, no warnings', async () => {
    onboard('DCCA', { 'multi-region-discovery': true, 'openstack-region-id': SC2, 'k8s-apiserver': APISERVER, 'k8s-apitoken': TOKEN, 'k8s-apiserver-cacert': CA });
    expect(await registerCloudOwnerRegion(service.http, 'DCCA')).toEqual(registered('CloudOwner_DCCA', TWO_SUBCLOUD_COUNTS, ['CloudOwner_DCCA', `CloudOwner_DCCA_${SC1}`]));
  });
});
