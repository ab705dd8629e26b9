import { CapacityDemand } from './capacity-demand';

/** One resource of one host: what can be allocated in all, what is left, the largest single allocation. */
export interface ResourceRoom {
  capacity: number;
  free: number;
  maxUnit: number;
}

/**
 * One compute host's room, in capacity_check's units: vCPUs, MB of memory, GB of local
 * disk, and dedicated cores (PCPU; absent in records written before it was read).
 */
export interface HostRoom {
  vcpu: ResourceRoom;
  memoryMb: ResourceRoom;
  diskGb: ResourceRoom;
  pcpu?: ResourceRoom;
}

export interface HostCapacity extends HostRoom {
  host: string;
  /** The sharing providers (uuids) whose DISK_GB this host may use: they share a Placement aggregate. */
  sharedDisk?: string[];
}

/** A provider sharing its DISK_GB with the compute nodes of its aggregates (trait MISC_SHARES_VIA_AGGREGATE). */
export interface SharedDisk {
  uuid: string;
  name: string;
  diskGb: ResourceRoom;
}

export const NO_ROOM: ResourceRoom = { capacity: 0, free: 0, maxUnit: 0 };

/** An entry of Placement GET /resource_providers. */
export interface PlacementProvider {
  uuid: string;
  name: string;
  generation: number;
  /** From microversion 1.14: null for a root provider. */
  parentProviderUuid?: string | null;
}

/** A provider's inventories or usages, with the generation they were read at. */
export interface AtGeneration<T> {
  generation: number;
  value: T;
}

/** A Placement inventory record (GET /resource_providers/{uuid}/inventories). */
export interface PlacementInventory {
  total?: number;
  reserved?: number;
  allocation_ratio?: number;
  max_unit?: number;
}

export const PLACEMENT_CLASSES = { vcpu: 'VCPU', memoryMb: 'MEMORY_MB', diskGb: 'DISK_GB', pcpu: 'PCPU' } as const;

/**
 * SPEC section 9: per resource, capacity = (total - reserved) x allocation_ratio and
 * free = capacity - used; a class the provider lacks gives nothing.
 */
export function roomFromPlacement(inventories: Record<string, PlacementInventory>, usages: Record<string, number>): HostRoom {
  const room = (resourceClass: string): ResourceRoom => {
    const inventory = inventories[resourceClass];
    if (!inventory) return { capacity: 0, free: 0, maxUnit: 0 };
    const total = num(inventory.total);
    const capacity = (total - num(inventory.reserved)) * num(inventory.allocation_ratio, 1);
    return {
      capacity,
      free: capacity - num(usages[resourceClass]),
      maxUnit: num(inventory.max_unit, total),
    };
  };
  return {
    vcpu: room(PLACEMENT_CLASSES.vcpu),
    memoryMb: room(PLACEMENT_CLASSES.memoryMb),
    diskGb: room(PLACEMENT_CLASSES.diskGb),
    pcpu: room(PLACEMENT_CLASSES.pcpu),
  };
}

/** The figures of a hypervisor at Nova 2.1, the vCPUs times the configured ratio; max_unit as Nova reports it to Placement. */
export function roomFromHypervisor(
  h: { vcpus?: number; vcpus_used?: number; memory_mb?: number; free_ram_mb?: number; local_gb?: number; free_disk_gb?: number },
  cpuAllocationRatio: number,
): HostRoom {
  return {
    vcpu: {
      capacity: num(h.vcpus) * cpuAllocationRatio,
      free: (num(h.vcpus) - num(h.vcpus_used)) * cpuAllocationRatio,
      maxUnit: num(h.vcpus),
    },
    memoryMb: { capacity: num(h.memory_mb), free: num(h.free_ram_mb), maxUnit: num(h.memory_mb) },
    diskGb: { capacity: num(h.local_gb), free: num(h.free_disk_gb), maxUnit: num(h.local_gb) },
    // Hypervisors report no dedicated cores: PCPU exists only in Placement.
    pcpu: NO_ROOM,
  };
}

/**
 * One host has room for the whole demand at once, as Placement's allocation candidates
 * would: every resource free and within max_unit; Storage from its local DISK_GB or from
 * one sharing provider of its aggregates (`shared`: the zone's, by uuid).
 */
export function hostFits(host: HostCapacity | HostRoom, demand: CapacityDemand, shared: SharedDisk[] = []): boolean {
  const takes = (room: ResourceRoom, amount: number) => amount <= 0 || (amount <= room.free && amount <= room.maxUnit);
  const sharedDisk = 'sharedDisk' in host ? (host.sharedDisk ?? []) : [];
  const storage = takes(host.diskGb, demand.Storage) || shared.some((disk) => sharedDisk.includes(disk.uuid) && takes(disk.diskGb, demand.Storage));
  return takes(host.vcpu, demand.vCPU) && takes(host.pcpu ?? NO_ROOM, demand.pCPU ?? 0) && takes(host.memoryMb, demand.Memory) && storage;
}

/** capacity_check's six figures of a zone, and its dedicated cores: sums over its hosts (memory in GB). */
export interface ZoneTotals {
  vCPUAvail: number;
  vCPUTotal: number;
  MemoryAvail: number;
  MemoryTotal: number;
  StorageAvail: number;
  StorageTotal: number;
  pCPUAvail: number;
  pCPUTotal: number;
}

/** Storage: each host's local DISK_GB, plus each sharing provider of the zone once (not once per host). */
export function zoneTotals(hosts: HostRoom[], shared: SharedDisk[] = []): ZoneTotals {
  const sum = (pick: (h: HostRoom) => number) => hosts.reduce((total, h) => total + pick(h), 0);
  const disks = shared.reduce((total, disk) => ({ free: total.free + disk.diskGb.free, capacity: total.capacity + disk.diskGb.capacity }), { free: 0, capacity: 0 });
  return {
    vCPUAvail: sum((h) => h.vcpu.free),
    vCPUTotal: sum((h) => h.vcpu.capacity),
    MemoryAvail: sum((h) => h.memoryMb.free) / 1024,
    MemoryTotal: sum((h) => h.memoryMb.capacity) / 1024,
    StorageAvail: sum((h) => h.diskGb.free) + disks.free,
    StorageTotal: sum((h) => h.diskGb.capacity) + disks.capacity,
    pCPUAvail: sum((h) => (h.pcpu ?? NO_ROOM).free),
    pCPUTotal: sum((h) => (h.pcpu ?? NO_ROOM).capacity),
  };
}

function num(value: unknown, otherwise = 0): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : otherwise;
}
