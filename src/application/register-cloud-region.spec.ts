import { FakeAai } from '../../test/fakes/fake-aai';
import { FakeAuditRegistry } from '../../test/fakes/fake-audit-registry';
import { FakeLog } from '../../test/fakes/fake-log';
import { FakeOpenStack } from '../../test/fakes/fake-openstack';
import { FakeCapacityStore, FakeK8sConnectivity } from '../../test/fakes/fake-stores';
import { testSettings } from '../../test/fakes/settings';
import { AuditAzCapacity } from './audit-az-capacity';
import { FakeJobStore } from '../../test/fakes/fake-job-store';
import { RegionClaims } from './jobs/region-claims';
import { TaskBudget } from './jobs/task-budget';
import { JobRequest } from './ports/job-store.port';
import { RemoteCallError } from './ports/remote-call.error';
import { RegisterCloudRegion } from './register-cloud-region';
import { CloudRegionReader } from './registration/cloud-region-reader';
import { ConnectKubernetes } from './registration/connect-kubernetes';
import { ReconcileRegion } from './registration/reconcile-region';
import { RegistrationScopeReader } from './registration/registration-scope';
import { RemoveSubcloud } from './registration/remove-subcloud';
import { UpdateCloudRegion } from './registration/update-cloud-region';

const PASSWORD = 'esr-secret-password';
const REQUEST: JobRequest = { kind: 'register', vimId: 'Owner_R1', apiVersion: 'v1' };

describe('RegisterCloudRegion', () => {
  let aai: FakeAai;
  let openstack: FakeOpenStack;
  let registry: FakeAuditRegistry;
  let k8s: FakeK8sConnectivity;
  let capacity: FakeCapacityStore;
  let registration: RegisterCloudRegion;

  beforeEach(() => {
    const settings = testSettings();
    const log = new FakeLog();
    aai = new FakeAai();
    openstack = new FakeOpenStack();
    registry = new FakeAuditRegistry();
    k8s = new FakeK8sConnectivity();
    capacity = new FakeCapacityStore();
    const reader = new CloudRegionReader(aai, settings);
    const reconcile = new ReconcileRegion(aai, openstack, settings, new TaskBudget(settings));
    registration = new RegisterCloudRegion(
      new RegistrationScopeReader(reader, openstack, aai, log),
      aai,
      reader,
      new UpdateCloudRegion(aai, openstack, settings),
      new ConnectKubernetes(k8s, settings, log),
      reconcile,
      new RemoveSubcloud(aai, reconcile, registry, capacity, k8s, log),
      new AuditAzCapacity(registry, capacity, reader, openstack, settings, log),
      registry,
      new RegionClaims(new FakeJobStore(), settings),
      new TaskBudget(settings),
      settings,
    );
    aai.seedRegion('Owner_R1', {
      'cloud-owner': 'Owner',
      'cloud-region-id': 'R1',
      'cloud-type': 'openstack',
      'cloud-extra-info': JSON.stringify({ 'openstack-region-id': 'RegionOne' }),
      'esr-system-info-list': {
        'esr-system-info': [{ 'esr-system-info-id': 'esr-1', 'service-url': 'http://keystone:5000/v3', 'user-name': 'admin', password: PASSWORD, 'default-tenant': 'admin' }],
      },
    });
  });

  it('writes the region and its resources, starts its audit and says what it wrote', async () => {
    expect(await registration.run(REQUEST)).toEqual({
      code: 0,
      message: 'Registration finished for Cloud Region: Owner_R1',
      details: {
        regions: ['Owner_R1'],
        counts: { tenants: 1, flavors: 1, hpaCapabilities: 0, images: 1, availabilityZones: 1, pservers: 1 },
        changes: {
          Owner_R1: {
            created: { tenant: 1, flavor: 1, image: 1, 'availability-zone': 1, pserver: 1 },
            updated: { 'cloud-region': 1 },
            deleted: {},
            unchanged: {},
            kept: [],
            failed: [],
          },
        },
      },
    });
    const region = aai.regions.get('Owner_R1')!;
    expect(region['identity-url']).toBe('http://msb:80/api/multicloud-starlingx/v1/Owner/R1/identity/v2.0');
    expect(region['cloud-epa-caps']).toBe('RegionOne');
    expect(region['tenants']).toEqual({ tenant: [{ 'tenant-id': 'p-admin', 'tenant-name': 'admin' }] });
    expect([...aai.pservers.keys()]).toEqual(['Owner_R1_compute1']);
    expect(await registry.list()).toEqual([{ vimId: 'Owner_R1', apiVersion: 'v1', project: undefined }]);
    expect(capacity.zones.get('Owner_R1')!.map(({ zone, figures }) => ({ zone, figures }))).toEqual([
      { zone: 'nova', figures: { vcpus: 8, vcpus_used: 2, memory_mb: 8192, free_ram_mb: 4096, local_gb: 100, free_disk_gb: 60 } },
    ]);
    expect(await capacity.readAudit('Owner_R1')).toMatchObject({ source: 'hypervisors', intervalMs: 5_000, zones: [{ zone: 'nova' }] });
  });

  it('answers code 10 for a region A&AI does not hold', async () => {
    expect(await registration.run({ ...REQUEST, vimId: 'Owner_Gone' })).toEqual({
      code: 10,
      message: 'Cloud Region not found in AAI: Owner_Gone',
    });
  });

  it('fails with the status of a refused sign-in, without the password', async () => {
    openstack.signIn = async () => {
      throw new RemoteCallError('Keystone', 'POST http://keystone:5000/v3/auth/tokens', 401, `bad password ${PASSWORD}`);
    };
    expect(await registration.run(REQUEST)).toEqual({
      code: 401,
      message: 'Registration failed for Cloud Region: Owner_R1: Keystone sign-in failed: ' + 'Keystone POST http://keystone:5000/v3/auth/tokens answered 401: bad password ***',
      details: undefined,
    });
    expect(aai.regions.get('Owner_R1')!['identity-url']).toBeUndefined();
  });

  it('names a refused Kubernetes connectivity as a warning of a finished registration', async () => {
    openstack.system = { software_version: '21.12', system_mode: 'duplex', system_type: 'Standard' };
    const region = aai.regions.get('Owner_R1')!;
    region['cloud-extra-info'] = JSON.stringify({ 'openstack-region-id': 'RegionOne', 'k8s-apiserver': 'https://k8s:6443', 'k8s-apitoken': 'tok-123' });
    k8s.failure = new Error('multicloud-k8s answered 500: token tok-123 refused');
    const outcome = await registration.run(REQUEST);
    const warning = 'k8s connectivity of Owner_R1 not registered: multicloud-k8s answered 500: token *** refused';
    expect(outcome).toEqual({
      code: 0,
      message: `Registration finished for Cloud Region: Owner_R1`,
      details: {
        regions: ['Owner_R1'],
        counts: { tenants: 1, flavors: 1, hpaCapabilities: 0, images: 1, availabilityZones: 1, pservers: 1 },
        changes: expect.any(Object),
        warnings: [warning],
      },
    });
  });

  it('registers the regions of a multi-region cloud JOB_REGION_CONCURRENCY (here 4) at a time, every one of them', async () => {
    const region = aai.regions.get('Owner_R1')!;
    region['cloud-extra-info'] = JSON.stringify({ 'openstack-region-id': 'RegionOne', 'multi-region-discovery': true });
    openstack.regions = ['RegionOne', ...Array.from({ length: 11 }, (_, i) => `Sub${i}`)];
    let inFlight = 0;
    let most = 0;
    const listFlavors = openstack.listFlavors.bind(openstack);
    openstack.listFlavors = async () => {
      most = Math.max(most, (inFlight += 1));
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return listFlavors();
    };
    const outcome = await registration.run(REQUEST);
    expect(outcome.code).toBe(0);
    expect((outcome.details as { regions: string[] }).regions).toEqual(['Owner_R1', ...Array.from({ length: 11 }, (_, i) => `Owner_R1_Sub${i}`)]);
    expect(most).toBe(4);
    expect([...aai.regions.keys()].sort()).toEqual(['Owner_R1', ...Array.from({ length: 11 }, (_, i) => `Owner_R1_Sub${i}`)].sort());
  });
});
