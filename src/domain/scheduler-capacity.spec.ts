import { AuditRecord, ProviderRoom } from './capacity-freshness';
import { roomFromPlacement } from './host-capacity';
import { freeOfAudit, freeOfStatistics, sharedDiskOf } from './scheduler-capacity';

const room = roomFromPlacement(
  { VCPU: { total: 4, allocation_ratio: 16, max_unit: 4 }, MEMORY_MB: { total: 4096, max_unit: 4096 }, DISK_GB: { total: 100, max_unit: 100 }, PCPU: { total: 2, max_unit: 2 } },
  { VCPU: 4, MEMORY_MB: 1024, DISK_GB: 10, PCPU: 1 },
);
const provider = (name: string, aggregates?: string[]): ProviderRoom => ({ generation: 1, name, room, ...(aggregates ? { aggregates } : {}) });

describe('sharedDiskOf', () => {
  it('gives each compute node the sharing providers of its aggregates, by uuid', () => {
    const nodes = { n1: provider('n1', ['agg-a']), n2: provider('n2', ['agg-b', 'agg-c']), n3: provider('n3', []), n4: provider('n4') };
    const sharing = { ceph: provider('ceph', ['agg-a', 'agg-b']), nfs: provider('nfs', ['agg-c']) };
    expect([...sharedDiskOf(nodes, sharing)]).toEqual([
      ['n1', ['ceph']],
      ['n2', ['ceph', 'nfs']],
    ]);
  });
});

describe('freeOfAudit', () => {
  it("sums each host once and each sharing provider once, with the audit's ratios; unknown zones add nothing", () => {
    const ceph = { uuid: 'ceph', name: 'ceph', diskGb: { capacity: 1000, free: 600, maxUnit: 1000 } };
    const record: AuditRecord = {
      source: 'placement',
      asOf: 0,
      intervalMs: 5_000,
      zones: [
        { zone: 'a', hosts: [{ host: 'h1', ...room, sharedDisk: ['ceph'] }], shared: [ceph] },
        {
          zone: 'b',
          hosts: [
            { host: 'h2', ...room, sharedDisk: ['ceph'] },
            { host: 'h1', ...room },
          ],
          shared: [ceph],
        },
        { zone: 'c', hosts: [], unknown: true },
      ],
    };
    // 2 hosts: vCPU (64 - 4) each, PCPU 1, memory 3072 MB, disk 90 GB; ceph's 600 GB once.
    expect(freeOfAudit(record)).toEqual({ vCPU: 120, pCPU: 2, Memory: 6144, Storage: 780 });
  });
});

describe('freeOfStatistics', () => {
  it('counts free vCPUs times the CPU allocation ratio, as the zones do without Placement', () => {
    expect(freeOfStatistics({ vcpus: 40, vcpus_used: 30, free_ram_mb: 8000, free_disk_gb: 500 }, 16)).toEqual({
      vCPU: 160,
      pCPU: Infinity,
      Memory: 8000,
      Storage: 500,
    });
    expect(freeOfStatistics({}, 16)).toEqual({ vCPU: Infinity, pCPU: Infinity, Memory: Infinity, Storage: Infinity });
  });
});
