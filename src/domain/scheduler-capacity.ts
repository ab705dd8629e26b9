import { FreeRoom, HypervisorStatistics } from './capacity-demand';
import { AuditRecord, ProviderRoom } from './capacity-freshness';
import { NO_ROOM, SharedDisk } from './host-capacity';

/**
 * SPEC section 9, the scheduler's model: what capacity_check counts the way Nova's
 * scheduler and Placement would (shared storage by aggregate, the limits rule with the
 * zones' allocation ratios).
 */

/** The trait of a provider that shares its inventory with the providers of its aggregates. */
export const SHARING_TRAIT = 'MISC_SHARES_VIA_AGGREGATE';

/**
 * Placement's sharing: a compute node may take DISK_GB from each sharing provider that is
 * in one of its aggregates. Gives, per compute node uuid, those providers' uuids.
 */
export function sharedDiskOf(computeNodes: Record<string, ProviderRoom>, sharing: Record<string, ProviderRoom>): Map<string, string[]> {
  const byAggregate = new Map<string, string[]>();
  for (const [uuid, provider] of Object.entries(sharing)) {
    for (const aggregate of provider.aggregates ?? []) byAggregate.set(aggregate, [...(byAggregate.get(aggregate) ?? []), uuid]);
  }
  const result = new Map<string, string[]>();
  for (const [uuid, node] of Object.entries(computeNodes)) {
    const disks = new Set((node.aggregates ?? []).flatMap((aggregate) => byAggregate.get(aggregate) ?? []));
    disks.delete(uuid);
    if (disks.size) result.set(uuid, [...disks]);
  }
  return result;
}

/** A sharing provider's DISK_GB as a zone counts it. */
export function sharedDisk(uuid: string, provider: ProviderRoom): SharedDisk {
  return { uuid, name: provider.name, diskGb: provider.room.diskGb };
}

/**
 * What the region's schedulable hosts have free, from the audit the zones come from
 * (so with the same allocation ratios): each host once, each sharing provider once;
 * zones with no figures add nothing.
 */
export function freeOfAudit(record: AuditRecord): FreeRoom {
  const hosts = new Map(record.zones.filter((z) => !z.unknown).flatMap((z) => z.hosts.map((h) => [h.host, h] as const)));
  const shared = new Map(record.zones.flatMap((z) => (z.unknown ? [] : (z.shared ?? [])).map((d) => [d.uuid, d] as const)));
  let vCPU = 0;
  let pCPU = 0;
  let Memory = 0;
  let Storage = 0;
  for (const host of hosts.values()) {
    vCPU += host.vcpu.free;
    pCPU += (host.pcpu ?? NO_ROOM).free;
    Memory += host.memoryMb.free;
    Storage += host.diskGb.free;
  }
  for (const disk of shared.values()) Storage += disk.diskGb.free;
  return { vCPU, pCPU, Memory, Storage };
}

/**
 * Without audit figures (the audit is off for the region): Nova's hypervisor statistics,
 * vCPUs times the CPU allocation ratio as the zones would count them without Placement.
 * Statistics say nothing of dedicated cores: those are not limited by them.
 */
export function freeOfStatistics(statistics: HypervisorStatistics, cpuAllocationRatio: number): FreeRoom {
  const value = (v: number | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const vcpus = value(statistics.vcpus);
  return {
    vCPU: vcpus === undefined ? Infinity : (vcpus - (value(statistics.vcpus_used) ?? 0)) * cpuAllocationRatio,
    pCPU: Infinity,
    Memory: value(statistics.free_ram_mb) ?? Infinity,
    Storage: value(statistics.free_disk_gb) ?? Infinity,
  };
}
