import { FakeAai } from '../../test/fakes/fake-aai';
import { FakeAuditRegistry } from '../../test/fakes/fake-audit-registry';
import { FakeCapacityStore, FakeK8sConnectivity } from '../../test/fakes/fake-stores';
import { testSettings } from '../../test/fakes/settings';
import { TaskBudget } from './jobs/task-budget';
import { JobRequest } from './ports/job-store.port';
import { CloudRegionReader } from './registration/cloud-region-reader';
import { UnregisterCloudRegion } from './unregister-cloud-region';

const REQUEST: JobRequest = { kind: 'unregister', vimId: 'Owner_R1', apiVersion: 'v1' };
const REGION_LINK = '/aai/v13/cloud-infrastructure/cloud-regions/cloud-region/Owner/R1';
const ZONE_LINK = `${REGION_LINK}/availability-zones/availability-zone/nova`;

describe('UnregisterCloudRegion', () => {
  let aai: FakeAai;
  let registry: FakeAuditRegistry;
  let capacity: FakeCapacityStore;
  let k8s: FakeK8sConnectivity;
  let unregistration: UnregisterCloudRegion;

  beforeEach(async () => {
    const settings = testSettings();
    aai = new FakeAai();
    registry = new FakeAuditRegistry();
    capacity = new FakeCapacityStore();
    k8s = new FakeK8sConnectivity();
    unregistration = new UnregisterCloudRegion(aai, new CloudRegionReader(aai, settings), registry, capacity, k8s, new TaskBudget(settings));
    const related = (link: string) => ({ 'relationship-list': { relationship: [{ 'related-to': 'pserver', 'related-link': link }] } });
    aai.seedRegion('Owner_R1', {
      'cloud-owner': 'Owner',
      'cloud-region-id': 'R1',
      ...related('/aai/v13/cloud-infrastructure/pservers/pserver/Owner_R1_compute1'),
      tenants: {
        tenant: [
          {
            'tenant-id': 't1',
            vservers: { vserver: [{ 'vserver-id': 'v1', 'l-interfaces': { 'l-interface': [{ 'interface-name': 'eth0' }] } }] },
          },
        ],
      },
      flavors: { flavor: [{ 'flavor-id': 'f1', 'hpa-capabilities': { 'hpa-capability': [{ 'hpa-capability-id': 'c1' }] } }] },
      images: { image: [{ 'image-id': 'i1' }] },
      snapshots: { snapshot: [{ 'snapshot-id': 's1' }] },
      'availability-zones': { 'availability-zone': [{ 'availability-zone-name': 'nova', ...related(ZONE_LINK) }] },
    });
    aai.pservers.set('Owner_R1_compute1', { hostname: 'Owner_R1_compute1' });
    aai.pservers.set('Other_R9_compute1', { hostname: 'Other_R9_compute1' });
    await registry.add({ vimId: 'Owner_R1', apiVersion: 'v1' }, 0);
    await capacity.saveAudit('Owner_R1', [], { source: 'hypervisors', asOf: Date.now(), intervalMs: 5_000, zones: [] });
    k8s.records.set('R1', { cloudOwner: 'Owner', cloudRegion: 'R1', kubeconfig: {} });
  });

  it('deletes the region, what the registration wrote under it, its pservers, audit, capacity and k8s record', async () => {
    expect(await unregistration.run(REQUEST)).toEqual({
      code: 0,
      message: 'De-registration finished for Cloud Region: Owner_R1',
    });
    expect([...aai.regions.keys()]).toEqual([]);
    expect([...aai.pservers.keys()]).toEqual(['Other_R9_compute1']);
    expect(await registry.list()).toEqual([]);
    expect(capacity.zones.has('Owner_R1')).toBe(false);
    expect(capacity.records.has('Owner_R1')).toBe(false);
    expect(k8s.records.size).toBe(0);
  });

  it('answers code 10 for a region A&AI does not hold, and still stops its audit', async () => {
    expect(await unregistration.run({ ...REQUEST, vimId: 'Owner_R2' })).toEqual({
      code: 10,
      message: 'Cloud Region not found in AAI: Owner_R2',
    });
    await registry.add({ vimId: 'Owner_R2', apiVersion: 'v1' }, 0);
    await unregistration.run({ ...REQUEST, vimId: 'Owner_R2' });
    expect(await registry.has('Owner_R2')).toBe(false);
  });

  it('fails with the step that failed, after deleting all it could', async () => {
    k8s.failure = new Error('multicloud-k8s unreachable');
    expect(await unregistration.run(REQUEST)).toEqual({
      code: 11,
      message: 'De-registration failed for Cloud Region: Owner_R1: k8s connectivity: multicloud-k8s unreachable',
    });
    expect([...aai.regions.keys()]).toEqual([]);
  });
});
