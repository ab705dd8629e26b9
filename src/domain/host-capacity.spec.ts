import { hostFits, roomFromPlacement, zoneTotals } from './host-capacity';

const inventories = {
  VCPU: { total: 8, reserved: 0, allocation_ratio: 4.0, max_unit: 8 },
  MEMORY_MB: { total: 16384, reserved: 2048, allocation_ratio: 1.5, max_unit: 16384 },
  DISK_GB: { total: 100, reserved: 10, allocation_ratio: 1.0, max_unit: 100 },
};

describe('roomFromPlacement', () => {
  it('is (total - reserved) x allocation_ratio, minus usage, per resource class', () => {
    expect(roomFromPlacement(inventories, { VCPU: 5, MEMORY_MB: 4096, DISK_GB: 20 })).toEqual({
      vcpu: { capacity: 32, free: 27, maxUnit: 8 },
      memoryMb: { capacity: 21504, free: 17408, maxUnit: 16384 },
      diskGb: { capacity: 90, free: 70, maxUnit: 100 },
      pcpu: { capacity: 0, free: 0, maxUnit: 0 },
    });
  });

  it('gives no room for a class the provider lacks, and no usage means none used', () => {
    expect(roomFromPlacement({ VCPU: inventories.VCPU }, {})).toEqual({
      vcpu: { capacity: 32, free: 32, maxUnit: 8 },
      memoryMb: { capacity: 0, free: 0, maxUnit: 0 },
      diskGb: { capacity: 0, free: 0, maxUnit: 0 },
      pcpu: { capacity: 0, free: 0, maxUnit: 0 },
    });
  });
});

describe('hostFits', () => {
  const room = roomFromPlacement(inventories, { VCPU: 5, MEMORY_MB: 4096, DISK_GB: 20 });

  it.each([
    [{ vCPU: 8, Memory: 16384, Storage: 70 }, true],
    [{ vCPU: 9, Memory: 1, Storage: 1 }, false], // free 27 but max_unit 8
    [{ vCPU: 1, Memory: 16385, Storage: 1 }, false], // max_unit
    [{ vCPU: 1, Memory: 1, Storage: 71 }, false], // free
    [{ vCPU: 0, Memory: 0, Storage: 0 }, true],
  ])('%j → %s', (demand, expected) => {
    expect(hostFits(room, demand)).toBe(expected);
  });
});

describe('zoneTotals', () => {
  it('sums capacity and free over hosts, memory in GB', () => {
    const a = roomFromPlacement(inventories, { VCPU: 5, MEMORY_MB: 4096, DISK_GB: 20 });
    expect(zoneTotals([a, a])).toEqual({
      vCPUAvail: 54,
      vCPUTotal: 64,
      MemoryAvail: 34,
      MemoryTotal: 42,
      StorageAvail: 140,
      StorageTotal: 180,
      pCPUAvail: 0,
      pCPUTotal: 0,
    });
  });
});
