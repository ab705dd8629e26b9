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
  pCPUAvail: 0,
  pCPUTotal: 0,
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

  it('fits a demand within the quota left and what the audited hosts have free, with the same ratio as the zones', async () => {
    // Quota left: 16 cores, 47104 MB, 900 GB; the host: 96 vCPUs free (6 x 16), 4096 MB, 60 GB.
    openstack.getHypervisorStatistics = async () => {
      throw new Error('the audit figures cap the limits: no statistics read');
    };
    expect(await check.execute(VIM, { vCPU: 6, Memory: 4096, Storage: 60 })).toEqual({ result: true, AZs: [nova(true)], azCapacity: 'fresh' });
    // 7 vCPUs: over the 6 physical cores the statistics show, but the zone counts them x 16 (it used to answer false).
    expect(await check.execute(VIM, { vCPU: 7, Memory: 4096, Storage: 60 })).toEqual({ result: true, AZs: [nova(true)], azCapacity: 'fresh' });
    expect(await check.execute(VIM, { vCPU: 6, Memory: 4097, Storage: 60 })).toEqual({ result: false, AZs: [nova(false)], azCapacity: 'fresh' });
  });

  it('needs one host of a fresh zone to take the demand whole (max_unit: 8 vCPUs)', async () => {
    expect(await check.execute(VIM, { vCPU: 9, Memory: 1, Storage: 1 })).toEqual({ result: false, AZs: [nova(false)], azCapacity: 'fresh' });
  });

  it('with the zones stale, a stale zone must fit; with no audit data, the limits rule alone', async () => {
    await capacity.markFailed('Owner_R1', AS_OF + 1);
    expect(await check.execute(VIM, { vCPU: 9, Memory: 1, Storage: 1 })).toEqual({ result: false, AZs: [nova(false, true)], azCapacity: 'stale' });
    expect(await check.execute(VIM, { vCPU: 8, Memory: 1, Storage: 1 })).toEqual({ result: true, AZs: [nova(true, true)], azCapacity: 'stale' });
    await capacity.dropRegion('Owner_R1');
    // The hypervisor statistics cap it then, x the CPU allocation ratio: (8 - 2) x 16 = 96 (quota: 16).
    expect(await check.execute(VIM, { vCPU: 9, Memory: 1, Storage: 1 })).toEqual({ result: true, AZs: [], azCapacity: 'unknown' });
    expect(await check.execute(VIM, { vCPU: 1, Memory: 4097, Storage: 1 })).toEqual({ result: false, AZs: [], azCapacity: 'unknown' });
  });

  it('is not limited by hypervisors an account may not read (403)', async () => {
    await capacity.dropRegion('Owner_R1');
    openstack.getHypervisorStatistics = async () => {
      throw new RemoteCallError('Nova', 'GET http://nova/os-hypervisors/statistics', 403);
    };
    // 4097 MB: more than the hypervisors' 4096 free, within the quota's 47104.
    expect(await check.execute(VIM, { vCPU: 7, Memory: 4097, Storage: 1 })).toEqual({ result: true, AZs: [], azCapacity: 'unknown' });
  });

  it('answers a subcloud in maintenance from its last figures, stale, without a call to its site', async () => {
    const aai = new FakeAai();
    aai.seedRegion('Owner_R1', {
      'cloud-owner': 'Owner',
      'cloud-region-id': 'R1',
      'cloud-extra-info': JSON.stringify({ subcloud: { name: 'subcloud1', 'management-state': 'unmanaged', 'availability-status': 'online' } }),
      'esr-system-info-list': { 'esr-system-info': [{ 'service-url': 'http://keystone:5000/v3', 'user-name': 'admin' }] },
    });
    const settings = testSettings();
    const inMaintenance = new CheckCapacity(new CloudRegionReader(aai, settings), openstack, capacity, settings);
    openstack.signIn = async () => {
      throw new Error('no call may go to the site');
    };
    expect(await inMaintenance.execute(VIM, { vCPU: 8, Memory: 1, Storage: 1 })).toEqual({ result: true, AZs: [nova(true, true)], azCapacity: 'stale' });
    expect(await inMaintenance.execute(VIM, { vCPU: 9, Memory: 1, Storage: 1 })).toEqual({ result: false, AZs: [nova(false, true)], azCapacity: 'stale' });
  });

  it("takes the region's in-maint as maintenance too (schema versions that define it)", async () => {
    const aai = new FakeAai();
    aai.seedRegion('Owner_R1', {
      'cloud-owner': 'Owner',
      'cloud-region-id': 'R1',
      'in-maint': true,
      'esr-system-info-list': { 'esr-system-info': [{ 'service-url': 'http://keystone:5000/v3', 'user-name': 'admin' }] },
    });
    const settings = testSettings();
    openstack.signIn = async () => {
      throw new Error('no call may go to the site');
    };
    const inMaintenance = new CheckCapacity(new CloudRegionReader(aai, settings), openstack, capacity, settings);
    expect(await inMaintenance.execute(VIM, { vCPU: 8, Memory: 1, Storage: 1 })).toEqual({ result: true, AZs: [nova(true, true)], azCapacity: 'stale' });
  });

  it('throws for a region A&AI does not hold', async () => {
    await expect(check.execute(VimId.parse('Owner_Gone'), { vCPU: 1, Memory: 1, Storage: 1 })).rejects.toBeInstanceOf(CloudRegionNotFoundError);
  });
});
