/** What the placement optimizer asks capacity_check for. */
export interface CapacityDemand {
  vCPU: number;
  /** MB */
  Memory: number;
  /** GB */
  Storage: number;
}

/** Nova /limits absolute quota of the session's project. */
export interface ComputeLimits {
  maxTotalCores?: number;
  totalCoresUsed?: number;
  maxTotalRAMSize?: number;
  totalRAMUsed?: number;
}

/** Nova /os-hypervisors/statistics; absent when the account may not read it (403). */
export interface HypervisorStatistics {
  vcpus?: number;
  vcpus_used?: number;
  free_ram_mb?: number;
  free_disk_gb?: number;
}

/** Cinder /limits absolute quota; absent when the cloud has no volume service. */
export interface VolumeLimits {
  maxTotalVolumeGigabytes?: number;
  totalGigabytesUsed?: number;
}

export interface Remaining {
  vCPU: number;
  Memory: number;
  Storage: number;
}

/**
 * What the project can still use: its quota left (a negative maximum is OpenStack's
 * "unlimited"), capped by what the hypervisors have free.
 */
export function remainingCapacity(
  compute: ComputeLimits,
  hypervisors: HypervisorStatistics | undefined,
  volume: VolumeLimits | undefined,
): Remaining {
  const quotaCores = left(compute.maxTotalCores, compute.totalCoresUsed);
  const quotaRam = left(compute.maxTotalRAMSize, compute.totalRAMUsed);
  const quotaStorage = volume ? left(volume.maxTotalVolumeGigabytes, volume.totalGigabytesUsed) : Infinity;
  if (!hypervisors) {
    return { vCPU: quotaCores, Memory: quotaRam, Storage: quotaStorage };
  }
  return {
    vCPU: Math.min(quotaCores, num(hypervisors.vcpus, Infinity) - num(hypervisors.vcpus_used, 0)),
    Memory: Math.min(quotaRam, num(hypervisors.free_ram_mb, Infinity)),
    Storage: Math.min(quotaStorage, num(hypervisors.free_disk_gb, Infinity)),
  };
}

export function fits(demand: CapacityDemand, remaining: Remaining): boolean {
  return (
    demand.vCPU <= remaining.vCPU &&
    demand.Memory <= remaining.Memory &&
    demand.Storage <= remaining.Storage
  );
}

function left(max: number | undefined, used: number | undefined): number {
  if (typeof max !== 'number' || max < 0) return Infinity;
  return max - num(used, 0);
}

function num(value: number | undefined, otherwise: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : otherwise;
}
