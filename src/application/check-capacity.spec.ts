import { FakeAai } from '../../test/fakes/fake-aai';
import { FakeOpenStack } from '../../test/fakes/fake-openstack';
import { FakeCapacityStore } from '../../test/fakes/fake-stores';
import { testSettings } from '../../test/fakes/settings';
import { CloudRegionNotFoundError } from '../domain/errors';
import { roomFromHypervisor } from '../domain/host-capacity';
import { VimId } from '../domain/vim-id';
import { CheckCapacity } from './check-capacity';
import { RemoteCallError } from './ports/remote-call.error';
import { CloudRegionReader } from './registration/cloud-region-reader';

const VIM = VimId.parse('Owner_R1');
const FIGURES = { vcpus: 8, vcpus_used: 2, memory_mb: 8192, free_ram_mb: 4096, local_gb: 100, free_disk_gb: 60 };
const AS_OF = Date.now();
const nova = (fits: boolean, stale = false) => ({
  'availability-zone-name': 'nova',
  vCPUAvail: 96,
  vCPUTotal: 128,
  MemoryAvail: 4,
  MemoryTotal: 8,
  StorageAvail: 60,
  StorageTotal: 100,
  asOf: new Date(AS_OF).toISOString(),
  stale,
  fits,
});

describe('CheckCapacity', () => {
  let openstack: FakeOpenStack;
  let check: CheckCapacity;
  let capacity: FakeCapacityStore;

  beforeEach(async () => {
    const settings = testSettings();
    const aai = new FakeAai();
    openstack = new FakeOpenStack();
    capacity = new FakeCapacityStore();
    check = new CheckCapacity(new CloudRegionReader(aai, settings), openstack, capacity, settings);
    aai.seedRegion('Owner_R1', {
      'cloud-owner': 'Owner',
      'cloud-region-id': 'R1',
      'esr-system-info-list': { 'esr-system-info': [{ 'service-url': 'http://keystone:5000/v3', 'user-name': 'admin' }] },
    });
    const hosts = [{ host: 'compute1', ...roomFromHypervisor(FIGURES, 16) }];
    await capacity.saveAudit('Owner_R1', [{ zone: 'nova', figures: FIGURES, hosts, unmatchedHosts: [] }], {
      source: 'hypervisors',
      asOf: AS_OF,
      intervalMs: 5_000,
      zones: [{ zone: 'nova', hosts }],
    });
  });

  it('fits a demand within the quota left and the hypervisors free, with the audited zones', async () => {
    // Quota left: 16 cores, 47104 MB, 900 GB; hypervisors free: 6 vCPUs, 4096 MB, 60 GB.
    expect(await check.execute(VIM, { vCPU: 6, Memory: 4096, Storage: 60 })).toEqual({ result: true, AZs: [nova(true)], azCapacity: 'fresh' });
    expect(await check.execute(VIM, { vCPU: 7, Memory: 4096, Storage: 60 })).toEqual({ result: false, AZs: [nova(true)], azCapacity: 'fresh' });
  });

  it('needs one host of a fresh zone to take the demand whole (max_unit: 8 vCPUs)', async () => {
    openstack.getHypervisorStatistics = async () => ({});
    expect(await check.execute(VIM, { vCPU: 9, Memory: 1, Storage: 1 })).toEqual({ result: false, AZs: [nova(false)], azCapacity: 'fresh' });
  });

  it('answers by the limits alone when the zones are stale, or unknown', async () => {
    await capacity.markFailed('Owner_R1', AS_OF + 1);
    openstack.getHypervisorStatistics = async () => ({});
    expect(await check.execute(VIM, { vCPU: 9, Memory: 1, Storage: 1 })).toEqual({ result: true, AZs: [nova(false, true)], azCapacity: 'stale' });
    await capacity.dropRegion('Owner_R1');
    expect(await check.execute(VIM, { vCPU: 9, Memory: 1, Storage: 1 })).toEqual({ result: true, AZs: [], azCapacity: 'unknown' });
  });

  it('is not limited by hypervisors an account may not read (403)', async () => {
    openstack.getHypervisorStatistics = async () => {
      throw new RemoteCallError('Nova', 'GET http://nova/os-hypervisors/statistics', 403);
    };
    // 7 vCPUs: more than the hypervisors' 6 free, within the quota's 16 and the host's max_unit 8.
    expect(await check.execute(VIM, { vCPU: 7, Memory: 1, Storage: 1 })).toEqual({ result: true, AZs: [nova(true)], azCapacity: 'fresh' });
  });

  it('throws for a region A&AI does not hold', async () => {
    await expect(check.execute(VimId.parse('Owner_Gone'), { vCPU: 1, Memory: 1, Storage: 1 })).rejects.toBeInstanceOf(CloudRegionNotFoundError);
  });
});
