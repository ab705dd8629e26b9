import { NovaAvailabilityZone } from './availability-zone';
import { NovaHypervisor, aggregateByZone, aggregatePlacement, nodesNamedAfterHosts, zoneMembers } from './az-capacity';
import { NovaComputeService } from './compute-service';
import { roomFromHypervisor } from './host-capacity';

const zone = (name: string, hosts: string[]): NovaAvailabilityZone => ({
  zoneName: name,
  zoneState: { available: true },
  hosts: Object.fromEntries(hosts.map((h) => [h, { 'nova-compute': {} }])),
});

const hv = (service: string, hostname: string, n: number): NovaHypervisor => ({
  hypervisor_hostname: hostname,
  service: { host: service },
  vcpus: n,
  vcpus_used: 1,
  memory_mb: n * 1024,
  free_ram_mb: n * 512,
  local_gb: n * 10,
  free_disk_gb: n * 5,
});

describe('aggregateByZone', () => {
  it('sums each zone exactly, skipping internal, matching service.host first', () => {
    const report = aggregateByZone(
      [zone('internal', ['conductor']), zone('nova', ['compute-0', 'compute-1']), zone('az2', ['compute-2'])],
      [hv('compute-0', 'c0.example.com', 2), hv('compute-1', 'c1.example.com', 4), hv('compute-2', 'c2', 8), hv('conductor', 'x', 100)],
    );
    expect(report.reportsFigures).toBe(true);
    const room = (n: number) => roomFromHypervisor(hv('', '', n), 16);
    expect(report.zones).toEqual([
      {
        zone: 'nova',
        figures: { vcpus: 6, vcpus_used: 2, memory_mb: 6144, free_ram_mb: 3072, local_gb: 60, free_disk_gb: 30 },
        hosts: [
          { host: 'c0.example.com', ...room(2) },
          { host: 'c1.example.com', ...room(4) },
        ],
        unmatchedHosts: [],
      },
      {
        zone: 'az2',
        figures: { vcpus: 8, vcpus_used: 1, memory_mb: 8192, free_ram_mb: 4096, local_gb: 80, free_disk_gb: 40 },
        hosts: [{ host: 'c2', ...room(8) }],
        unmatchedHosts: [],
      },
    ]);
    expect(room(2)).toEqual({
      vcpu: { capacity: 32, free: 16, maxUnit: 2 },
      memoryMb: { capacity: 2048, free: 1024, maxUnit: 2048 },
      diskGb: { capacity: 20, free: 10, maxUnit: 20 },
      // Hypervisors report no dedicated cores.
      pcpu: { capacity: 0, free: 0, maxUnit: 0 },
    });
  });

  it('falls back to hypervisor_hostname, and counts a hypervisor once per zone', () => {
    const report = aggregateByZone([zone('nova', ['host-a', 'c0.example.com', 'ghost'])], [hv('host-a', 'c0.example.com', 2), hv('other', 'host-a', 3)]);
    // host-a matches by service host (2); c0.example.com by hostname is the same hypervisor; ghost matches nothing.
    expect(report.zones[0].figures.vcpus).toBe(2);
    expect(report.zones[0].unmatchedHosts).toEqual(['ghost']);
  });

  it('sums every hypervisor of a service host (e.g. ironic nodes)', () => {
    const report = aggregateByZone([zone('nova', ['ironic'])], [hv('ironic', 'node-1', 1), hv('ironic', 'node-2', 2)]);
    expect(report.zones[0].figures.vcpus).toBe(3);
  });

  it('says when hypervisors carry no figures (Nova 2.88+)', () => {
    const report = aggregateByZone([zone('nova', ['compute'])], [{ hypervisor_hostname: 'compute', service: { host: 'compute' } }]);
    expect(report.reportsFigures).toBe(false);
    expect(report.zones[0].figures).toEqual({ vcpus: 0, vcpus_used: 0, memory_mb: 0, free_ram_mb: 0, local_gb: 0, free_disk_gb: 0 });
  });
});

describe('aggregatePlacement', () => {
  const room = (vcpuFree: number) => ({
    vcpu: { capacity: 64, free: vcpuFree, maxUnit: 4 },
    memoryMb: { capacity: 8192, free: 4096, maxUnit: 8192 },
    diskGb: { capacity: 100, free: 50, maxUnit: 100 },
  });

  it("maps zone hosts to providers named by hypervisor_hostname, and to a provider of the host's own name", () => {
    const members = zoneMembers([zone('nova', ['compute-0', 'bare', 'ghost'])], [hv('compute-0', 'c0.example.com', 2)]);
    const report = aggregatePlacement(
      members,
      new Map([
        ['c0.example.com', room(10)],
        ['bare', room(20)],
        ['unrelated', room(30)],
      ]),
    );
    expect(report.zones).toEqual([
      {
        zone: 'nova',
        figures: { vcpus: 128, vcpus_used: 98, memory_mb: 16384, free_ram_mb: 8192, local_gb: 200, free_disk_gb: 100 },
        hosts: [
          { host: 'c0.example.com', ...room(10) },
          { host: 'bare', ...room(20) },
        ],
        unmatchedHosts: ['ghost'],
      },
    ]);
  });

  it("counts a sharing provider's disk once per zone, and makes a zone whose hosts match nothing unknown (not zeros)", () => {
    const members = zoneMembers([zone('nova', ['compute-0', 'compute-1']), zone('az3', ['ghost'])], [hv('compute-0', 'c0', 2), hv('compute-1', 'c1', 2)]);
    const ceph = { uuid: 'ceph', name: 'ceph-pool', diskGb: { capacity: 1000, free: 800, maxUnit: 1000 } };
    const rooms = new Map([
      ['c0', { ...room(10), sharedDisk: ['ceph'] }],
      ['c1', { ...room(10), sharedDisk: ['ceph'] }],
    ]);
    const report = aggregatePlacement(members, rooms, [ceph]);
    expect(report.zones[0]).toMatchObject({
      zone: 'nova',
      figures: { vcpus: 128, vcpus_used: 108, memory_mb: 16384, free_ram_mb: 8192, local_gb: 1200, free_disk_gb: 900 },
      shared: [ceph],
    });
    expect(report.zones[0].unknown).toBeUndefined();
    expect(report.zones[1]).toEqual({
      zone: 'az3',
      figures: { vcpus: 0, vcpus_used: 0, memory_mb: 0, free_ram_mb: 0, local_gb: 0, free_disk_gb: 0 },
      hosts: [],
      unmatchedHosts: ['ghost'],
      unknown: true,
    });
  });
});

describe('nodesNamedAfterHosts', () => {
  const compute = (host: string, status = 'enabled'): NovaComputeService => ({ binary: 'nova-compute', host, zone: 'nova', status, state: 'up' });
  const scheduler: NovaComputeService = { binary: 'nova-scheduler', host: 'controller-0', zone: 'internal', status: 'enabled', state: 'up' };
  const provider = (name: string, parentProviderUuid: string | null = null) => ({ uuid: `uuid-${name}`, name, generation: 1, parentProviderUuid });

  it('maps each compute host to the root provider of its own name, disabled hosts too', () => {
    expect(nodesNamedAfterHosts([scheduler, compute('compute-0'), compute('compute-1', 'disabled')], [provider('compute-0'), provider('compute-1'), provider('ceph')])).toEqual([
      { hypervisor_hostname: 'compute-0', service: { host: 'compute-0' } },
      { hypervisor_hostname: 'compute-1', service: { host: 'compute-1' } },
    ]);
  });

  it('says nothing when one host has no provider of its name (an FQDN node, several nodes) or only a nested one', () => {
    expect(nodesNamedAfterHosts([compute('compute-0'), compute('compute-1')], [provider('compute-0'), provider('compute-1.example.com')])).toBeUndefined();
    expect(nodesNamedAfterHosts([compute('compute-0')], [provider('compute-0', 'uuid-root')])).toBeUndefined();
  });
});
