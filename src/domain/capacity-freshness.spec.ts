import { AuditRecord, azEntries, capacityResult, capacityState } from './capacity-freshness';
import { roomFromHypervisor } from './host-capacity';

const host = (name: string, vcpus: number) => ({
  host: name,
  ...roomFromHypervisor({ vcpus, vcpus_used: 0, memory_mb: 4096, free_ram_mb: 4096, local_gb: 10, free_disk_gb: 10 }, 1),
});
const AS_OF = Date.parse('2026-12-01T04:00:00.000Z');
const record = (over: Partial<AuditRecord> = {}): AuditRecord => ({
  source: 'hypervisors',
  asOf: AS_OF,
  intervalMs: 5_000,
  zones: [{ zone: 'nova', hosts: [host('a', 2), host('b', 2)] }],
  ...over,
});
const demand = { vCPU: 3, Memory: 1, Storage: 1 };

describe('azEntries and capacity_check result', () => {
  it('a fresh zone whose total is enough but no single host is: fits false, result false', () => {
    const entries = azEntries(record(), demand, AS_OF + 1_000);
    expect(entries).toEqual([
      {
        'availability-zone-name': 'nova',
        vCPUAvail: 4,
        vCPUTotal: 4,
        MemoryAvail: 8,
        MemoryTotal: 8,
        StorageAvail: 20,
        StorageTotal: 20,
        pCPUAvail: 0,
        pCPUTotal: 0,
        asOf: '2026-12-01T04:00:00.000Z',
        stale: false,
        fits: false,
      },
    ]);
    expect(capacityState(entries)).toBe('fresh');
    expect(capacityResult(true, entries)).toBe(false);
  });

  it('is stale after 3 intervals without a good audit, and then a stale zone must fit (never more than fresh)', () => {
    expect(azEntries(record(), demand, AS_OF + 15_000)[0].stale).toBe(false);
    const entries = azEntries(record(), demand, AS_OF + 15_001);
    expect(entries[0].stale).toBe(true);
    expect(capacityState(entries)).toBe('stale');
    // No host has 3 vCPUs: false, as the fresh answer was (it used to be the limits rule alone: true).
    expect(capacityResult(true, entries)).toBe(false);
    const fitting = azEntries(record(), { vCPU: 2, Memory: 1, Storage: 1 }, AS_OF + 15_001);
    expect(capacityResult(true, fitting)).toBe(true);
    expect(capacityResult(false, fitting)).toBe(false);
    // Limits not asked (a subcloud in maintenance): the stale zones alone.
    expect(capacityResult(undefined, fitting)).toBe(true);
  });

  it('a zone whose hosts match no provider is unknown: no figures, never zeros, and it fits nothing', () => {
    const entries = azEntries(record({ zones: [{ zone: 'nova', hosts: [], unknown: true }] }), demand, AS_OF);
    expect(entries).toEqual([{ 'availability-zone-name': 'nova', asOf: '2026-12-01T04:00:00.000Z', stale: false, unknown: true, fits: false }]);
    expect(capacityState(entries)).toBe('unknown');
    // Audited, nothing known: the scheduler has no provider to place on.
    expect(capacityResult(true, entries)).toBe(false);
  });

  it("counts a sharing provider's disk once per zone, and a host without local disk fits Storage from it", () => {
    const noDisk = { ...host('a', 4), diskGb: { capacity: 0, free: 0, maxUnit: 0 }, sharedDisk: ['ceph'] };
    const ceph = { uuid: 'ceph', name: 'ceph', diskGb: { capacity: 1000, free: 800, maxUnit: 1000 } };
    const shared = record({ zones: [{ zone: 'nova', hosts: [noDisk, { ...noDisk, host: 'b' }], shared: [ceph] }] });
    const [entry] = azEntries(shared, { vCPU: 1, Memory: 1, Storage: 500 }, AS_OF);
    expect(entry).toMatchObject({ StorageAvail: 800, StorageTotal: 1000, fits: true });
    expect(azEntries(shared, { vCPU: 1, Memory: 1, Storage: 801 }, AS_OF)[0].fits).toBe(false);
  });

  it("fits dedicated cores (pCPU) against the hosts' PCPU", () => {
    const pinned = { ...host('a', 2), pcpu: { capacity: 8, free: 6, maxUnit: 8 } };
    const entries = azEntries(record({ zones: [{ zone: 'nova', hosts: [pinned] }] }), { vCPU: 1, Memory: 1, Storage: 1, pCPU: 6 }, AS_OF);
    expect(entries[0]).toMatchObject({ pCPUAvail: 6, pCPUTotal: 8, fits: true });
    expect(azEntries(record({ zones: [{ zone: 'nova', hosts: [pinned] }] }), { vCPU: 1, Memory: 1, Storage: 1, pCPU: 7 }, AS_OF)[0].fits).toBe(false);
  });

  it('is stale at once when the last audit failed', () => {
    const entries = azEntries(record({ failedAt: AS_OF + 10 }), demand, AS_OF + 20);
    expect(entries[0].stale).toBe(true);
  });

  it('is unknown without audit data', () => {
    expect(azEntries(undefined, demand, AS_OF)).toEqual([]);
    expect(capacityState([])).toBe('unknown');
    expect(capacityResult(true, [])).toBe(true);
  });

  it('needs one fresh zone that fits, besides the limits rule', () => {
    const two = record({
      zones: [
        { zone: 'small', hosts: [host('a', 2)] },
        { zone: 'big', hosts: [host('c', 8)] },
      ],
    });
    const entries = azEntries(two, demand, AS_OF);
    expect(entries.map((e) => e.fits)).toEqual([false, true]);
    expect(capacityResult(true, entries)).toBe(true);
    expect(capacityResult(false, entries)).toBe(false);
  });
});
