import { FakeAai } from '../../../test/fakes/fake-aai';
import { Json, items } from '../../../test/support/aai-json';
import { FakeOpenStack } from '../../../test/fakes/fake-openstack';
import { testSettings } from '../../../test/fakes/settings';
import { VimId } from '../../domain/vim-id';
import { TaskBudget } from '../jobs/task-budget';
import { RemoteCallError } from '../ports/remote-call.error';
import { SyncRegionResources } from './sync-region-resources';

const TARGET = { vimId: VimId.parse('Owner_R1'), openstackRegionId: 'RegionOne' };
const SESSION = { project: { id: 'p-admin', name: 'admin' } };

describe('SyncRegionResources', () => {
  let aai: FakeAai;
  let openstack: FakeOpenStack;
  let sync: SyncRegionResources;

  beforeEach(() => {
    const settings = testSettings();
    aai = new FakeAai();
    openstack = new FakeOpenStack();
    sync = new SyncRegionResources(aai, openstack, settings, new TaskBudget(settings));
    aai.seedRegion('Owner_R1', { 'cloud-owner': 'Owner', 'cloud-region-id': 'R1' });
  });

  it('writes tenants, flavors, images, zones and a pserver per zone host, and counts them', async () => {
    expect(await sync.execute(TARGET, SESSION, aai.regions.get('Owner_R1')!)).toEqual({
      counts: { tenants: 1, flavors: 1, hpaCapabilities: 0, images: 1, availabilityZones: 1, pservers: 1 },
      failures: [],
    });
    const region: Json = aai.regions.get('Owner_R1')!;
    expect(region['tenants']).toEqual({ tenant: [{ 'tenant-id': 'p-admin', 'tenant-name': 'admin' }] });
    expect(items(region, 'flavors', 'flavor').map((f) => f['flavor-id'])).toEqual(['f1']);
    expect(items(region, 'images', 'image').map((i) => i['image-id'])).toEqual(['i1']);
    expect(items(region, 'availability-zones', 'availability-zone').map((z) => z['availability-zone-name'])).toEqual(['nova']);
    expect(aai.pservers.get('Owner_R1_compute1')).toMatchObject({ hostname: 'Owner_R1_compute1', 'pserver-id': 'compute1' });
  });

  it("writes the token's own project when listing projects is forbidden", async () => {
    openstack.listProjects = async () => {
      throw new RemoteCallError('Keystone', 'GET http://keystone/v3/projects', 403);
    };
    openstack.projects = [];
    const report = await sync.execute(TARGET, { project: { id: 'p-demo', name: 'demo' } }, aai.regions.get('Owner_R1')!);
    expect(report.counts.tenants).toBe(1);
    expect(aai.regions.get('Owner_R1')!['tenants']).toEqual({ tenant: [{ 'tenant-id': 'p-demo', 'tenant-name': 'demo' }] });
  });

  it('deletes the HPA capabilities A&AI holds for a flavor that are no longer derived', async () => {
    aai.regions.get('Owner_R1')!['flavors'] = {
      flavor: [{ 'flavor-id': 'f1', 'hpa-capabilities': { 'hpa-capability': [{ 'hpa-capability-id': 'random-duplicate', 'resource-version': '1' }] } }],
    };
    await sync.execute(TARGET, SESSION, aai.regions.get('Owner_R1')!);
    const [flavor] = items(aai.regions.get('Owner_R1'), 'flavors', 'flavor');
    expect(flavor['hpa-capabilities']).toEqual({ 'hpa-capability': [] });
  });

  it('reports a failed step and still runs the others', async () => {
    const error = new RemoteCallError('Nova', 'GET http://nova/flavors/detail', 500);
    openstack.listFlavors = async () => {
      throw error;
    };
    expect(await sync.execute(TARGET, SESSION, aai.regions.get('Owner_R1')!)).toEqual({
      counts: { tenants: 1, flavors: 0, hpaCapabilities: 0, images: 1, availabilityZones: 1, pservers: 1 },
      failures: [{ step: 'flavors', error }],
    });
  });
});
