import { NovaAvailabilityZone, userZones, zoneHosts } from './availability-zone';

/** The capacity fields of a hypervisor at Nova microversion 2.1 (2.88 drops them). */
export interface NovaHypervisor {
  id?: number | string;
  hypervisor_hostname?: string;
  service?: { host?: string } | null;
  vcpus?: number;
  vcpus_used?: number;
  memory_mb?: number;
  free_ram_mb?: number;
  local_gb?: number;
  free_disk_gb?: number;
}

/** The six figures stored per zone under `cap_{vimid}_{zone}`, with the plugin's names. */
export interface ZoneFigures {
  vcpus: number;
  vcpus_used: number;
  memory_mb: number;
  free_ram_mb: number;
  local_gb: number;
  free_disk_gb: number;
}

export interface ZoneCapacity {
  zone: string;
  figures: ZoneFigures;
  /** Zone hosts that no hypervisor matched. */
  unmatchedHosts: string[];
}

export interface AzCapacityReport {
  zones: ZoneCapacity[];
  /** False when hypervisors exist but none reports the figures (Nova 2.88 and later). */
  reportsFigures: boolean;
}

const FIELDS: Array<keyof ZoneFigures> = [
  'vcpus',
  'vcpus_used',
  'memory_mb',
  'free_ram_mb',
  'local_gb',
  'free_disk_gb',
];

export function emptyFigures(): ZoneFigures {
  return { vcpus: 0, vcpus_used: 0, memory_mb: 0, free_ram_mb: 0, local_gb: 0, free_disk_gb: 0 };
}

/**
 * Exact per-zone sums, recomputed from scratch: a zone's hosts are nova service
 * hosts, matched to hypervisors by service.host, falling back to hypervisor_hostname.
 * A hypervisor counts once per zone however many of its names match.
 */
export function aggregateByZone(
  zones: NovaAvailabilityZone[],
  hypervisors: NovaHypervisor[],
): AzCapacityReport {
  const byServiceHost = groupBy(hypervisors, (h) => h.service?.host);
  const byHostname = groupBy(hypervisors, (h) => h.hypervisor_hostname);
  const result = userZones(zones).map((zone) => {
    const counted = new Set<NovaHypervisor>();
    const unmatchedHosts: string[] = [];
    for (const host of zoneHosts(zone)) {
      const matched = byServiceHost.get(host) ?? byHostname.get(host) ?? [];
      if (matched.length === 0) unmatchedHosts.push(host);
      matched.forEach((h) => counted.add(h));
    }
    const figures = emptyFigures();
    for (const hypervisor of counted) {
      for (const field of FIELDS) {
        const value = hypervisor[field];
        if (typeof value === 'number' && Number.isFinite(value)) figures[field] += value;
      }
    }
    return { zone: zone.zoneName, figures, unmatchedHosts };
  });
  const reportsFigures =
    hypervisors.length === 0 || hypervisors.some((h) => typeof h.vcpus === 'number');
  return { zones: result, reportsFigures };
}

/** One entry of capacity_check's `AZs`; `ratio` is the CPU allocation ratio (16). */
export interface AzInfo {
  'availability-zone-name': string;
  vCPUAvail: number;
  vCPUTotal: number;
  MemoryAvail: number;
  MemoryTotal: number;
  StorageAvail: number;
  StorageTotal: number;
}

export function toAzInfo(zone: string, figures: ZoneFigures, ratio: number): AzInfo {
  return {
    'availability-zone-name': zone,
    vCPUAvail: (figures.vcpus - figures.vcpus_used) * ratio,
    vCPUTotal: figures.vcpus * ratio,
    MemoryAvail: figures.free_ram_mb / 1024,
    MemoryTotal: figures.memory_mb / 1024,
    StorageAvail: figures.free_disk_gb,
    StorageTotal: figures.local_gb,
  };
}

function groupBy<T>(items: T[], keyOf: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (!key) continue;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
