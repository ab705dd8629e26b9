import { FakeAai } from '../../test/fakes/fake-aai';
import { FakeOpenStack } from '../../test/fakes/fake-openstack';
import { FakeCapacityStore } from '../../test/fakes/fake-stores';
import { testSettings } from '../../test/fakes/settings';
import { CloudRegionNotFoundError } from '../domain/errors';
import { VimId } from '../domain/vim-id';
import { CheckCapacity } from './check-capacity';
import { RemoteCallError } from './ports/remote-call.error';
import { CloudRegionReader } from './registration/cloud-region-reader';

const VIM = VimId.parse('Owner_R1');
const FIGURES = { vcpus: 8, vcpus_used: 2, memory_mb: 8192, free_ram_mb: 4096, local_gb: 100, free_disk_gb: 60 };
const NOVA_AZ = {
  'availability-zone-name': 'nova',
  vCPUAvail: 96,
  vCPUTotal: 128,
  MemoryAvail: 4,
  MemoryTotal: 8,
  StorageAvail: 60,
  StorageTotal: 100,
};

describe('CheckCapacity', () => {
  let openstack: FakeOpenStack;
  let check: CheckCapacity;

  beforeEach(async () => {
    const settings = testSettings();
    const aai = new FakeAai();
    openstack = new FakeOpenStack();
    const capacity = new FakeCapacityStore();
    check = new CheckCapacity(new CloudRegionReader(aai, settings), openstack, capacity, settings);
    aai.seedRegion('Owner_R1', {
      'cloud-owner': 'Owner',
      'cloud-region-id': 'R1',
      'esr-system-info-list': { 'esr-system-info': [{ 'service-url': 'http://keystone:5000/v3', 'user-name': 'admin' }] },
    });
    await capacity.saveZones('Owner_R1', [{ zone: 'nova', figures: FIGURES, unmatchedHosts: [] }]);
  });

  it('fits a demand within the quota left and the hypervisors free, with the audited zones', async () => {
    // Quota left: 16 cores, 47104 MB, 900 GB; hypervisors free: 6 vCPUs, 4096 MB, 60 GB.
    expect(await check.execute(VIM, { vCPU: 6, Memory: 4096, Storage: 60 })).toEqual({ result: true, AZs: [NOVA_AZ] });
    expect(await check.execute(VIM, { vCPU: 7, Memory: 4096, Storage: 60 })).toEqual({ result: false, AZs: [NOVA_AZ] });
  });

  it('is not limited by hypervisors an account may not read (403)', async () => {
    openstack.getHypervisorStatistics = async () => {
      throw new RemoteCallError('Nova', 'GET http://nova/os-hypervisors/statistics', 403);
    };
    expect(await check.execute(VIM, { vCPU: 16, Memory: 8192, Storage: 900 })).toEqual({ result: true, AZs: [NOVA_AZ] });
  });

  it('throws for a region A&AI does not hold', async () => {
    await expect(check.execute(VimId.parse('Owner_Gone'), { vCPU: 1, Memory: 1, Storage: 1 })).rejects.toBeInstanceOf(CloudRegionNotFoundError);
  });
});
