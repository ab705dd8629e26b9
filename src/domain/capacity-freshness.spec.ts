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
        asOf: '2026-12-01T04:00:00.000Z',
        stale: false,
        fits: false,
      },
    ]);
    expect(capacityState(entries)).toBe('fresh');
    expect(capacityResult(true, entries)).toBe(false);
  });

  it('is stale after 3 intervals without a good audit, and then only the limits rule counts', () => {
    expect(azEntries(record(), demand, AS_OF + 15_000)[0].stale).toBe(false);
    const entries = azEntries(record(), demand, AS_OF + 15_001);
    expect(entries[0].stale).toBe(true);
    expect(capacityState(entries)).toBe('stale');
    expect(capacityResult(true, entries)).toBe(true);
    expect(capacityResult(false, entries)).toBe(false);
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
    const two = record({ zones: [{ zone: 'small', hosts: [host('a', 2)] }, { zone: 'big', hosts: [host('c', 8)] }] });
    const entries = azEntries(two, demand, AS_OF);
    expect(entries.map((e) => e.fits)).toEqual([false, true]);
    expect(capacityResult(true, entries)).toBe(true);
    expect(capacityResult(false, entries)).toBe(false);
  });
});
