import { NovaAvailabilityZone, userZones, zoneHosts } from './availability-zone';
import { COMPUTE_BINARY, NovaComputeService } from './compute-service';
import { HostCapacity, HostRoom, PlacementProvider, SharedDisk, roomFromHypervisor } from './host-capacity';

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

/**
 * The six figures stored per zone under `cap_{vimid}_{zone}`, with the plugin's names.
 * From hypervisors they are Nova's own sums; from Placement, vcpus / memory_mb / local_gb
 * are the allocatable capacity ((total - reserved) x allocation_ratio) and the free ones
 * what is left of it (vcpus_used = vcpus - free).
 */
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
  /** Each host of the zone once, for capacity_check's per-host `fits`. */
  hosts: HostCapacity[];
  /** Zone hosts that no hypervisor (or resource provider) matched. */
  unmatchedHosts: string[];
  /** The sharing providers whose DISK_GB the zone's hosts may use, each once (in `figures` too). */
  shared?: SharedDisk[];
  /** The zone has schedulable hosts but none matched: its figures are not known (never zeros). */
  unknown?: boolean;
}

export interface AzCapacityReport {
  zones: ZoneCapacity[];
  /** False when hypervisors exist but none reports the figures (Nova 2.88 and later). */
  reportsFigures: boolean;
}

const FIELDS: Array<keyof ZoneFigures> = ['vcpus', 'vcpus_used', 'memory_mb', 'free_ram_mb', 'local_gb', 'free_disk_gb'];

export function emptyFigures(): ZoneFigures {
  return { vcpus: 0, vcpus_used: 0, memory_mb: 0, free_ram_mb: 0, local_gb: 0, free_disk_gb: 0 };
}

/** A user zone's hypervisors (each once) and the hosts none matched. */
export interface ZoneMembers {
  zone: string;
  hypervisors: NovaHypervisor[];
  unmatchedHosts: string[];
}

/**
 * A zone's hosts are nova service hosts, matched to hypervisors by service.host, falling
 * back to hypervisor_hostname. A hypervisor counts once per zone however many of its names match.
 */
export function zoneMembers(zones: NovaAvailabilityZone[], hypervisors: NovaHypervisor[]): ZoneMembers[] {
  const byServiceHost = groupBy(hypervisors, (h) => h.service?.host);
  const byHostname = groupBy(hypervisors, (h) => h.hypervisor_hostname);
  return userZones(zones).map((zone) => {
    const counted = new Set<NovaHypervisor>();
    const unmatchedHosts: string[] = [];
    for (const host of zoneHosts(zone)) {
      const matched = byServiceHost.get(host) ?? byHostname.get(host) ?? [];
      if (matched.length === 0) unmatchedHosts.push(host);
      matched.forEach((h) => counted.add(h));
    }
    return { zone: zone.zoneName, hypervisors: [...counted], unmatchedHosts };
  });
}

/** Without Placement (SPEC section 5): exact per-zone sums of the hypervisors' figures. */
export function aggregateByZone(zones: NovaAvailabilityZone[], hypervisors: NovaHypervisor[], cpuAllocationRatio = 16): AzCapacityReport {
  const result = zoneMembers(zones, hypervisors).map((members) => {
    const figures = emptyFigures();
    for (const hypervisor of members.hypervisors) {
      for (const field of FIELDS) {
        const value = hypervisor[field];
        if (typeof value === 'number' && Number.isFinite(value)) figures[field] += value;
      }
    }
    const hosts = members.hypervisors.map((h) => ({ host: hostNameOf(h), ...roomFromHypervisor(h, cpuAllocationRatio) }));
    return { zone: members.zone, figures, hosts, unmatchedHosts: members.unmatchedHosts, ...unknownIf(hosts, members.unmatchedHosts) };
  });
  const reportsFigures = hypervisors.length === 0 || hypervisors.some((h) => typeof h.vcpus === 'number');
  return { zones: result, reportsFigures };
}

/**
 * A region's compute nodes as the Placement provider list alone tells them: when every
 * nova-compute host has a root resource provider of its own name (libvirt's one node per
 * host, named after it: StarlingX's `compute-N`), each host is that node. Undefined
 * otherwise (a node named apart from its host, as an FQDN; a host with several nodes):
 * only Nova's hypervisor listing then says which node is whose.
 */
export function nodesNamedAfterHosts(services: NovaComputeService[], providers: PlacementProvider[]): NovaHypervisor[] | undefined {
  const roots = new Set(providers.filter((p) => !p.parentProviderUuid).map((p) => p.name));
  const hosts = [...new Set(services.filter((s) => s.binary === COMPUTE_BINARY && s.host).map((s) => s.host))];
  if (!hosts.every((host) => roots.has(host))) return undefined;
  return hosts.map((host) => ({ hypervisor_hostname: host, service: { host } }));
}

/** The resource provider names (hypervisor_hostname) a zone's capacity comes from in Placement. */
export function providerNames(members: ZoneMembers): string[] {
  const names = members.hypervisors.map(hostNameOf).filter(Boolean);
  // A host no hypervisor matched may still be a provider of its own name.
  return [...new Set([...names, ...members.unmatchedHosts])];
}

/**
 * With Placement (SPEC section 9): each zone's hosts are the resource providers named
 * after its hypervisors; the sharing providers of their aggregates add their DISK_GB once.
 */
export function aggregatePlacement(members: ZoneMembers[], rooms: Map<string, HostRoom & { sharedDisk?: string[] }>, sharing: SharedDisk[] = []): AzCapacityReport {
  const zones = members.map((zone) => {
    const hosts: HostCapacity[] = [];
    for (const name of providerNames(zone)) {
      const room = rooms.get(name);
      if (room) hosts.push({ host: name, ...room });
    }
    const found = new Set(hosts.map((h) => h.host));
    const unmatchedHosts = zone.unmatchedHosts.filter((host) => !found.has(host));
    const used = new Set(hosts.flatMap((h) => h.sharedDisk ?? []));
    const shared = sharing.filter((disk) => used.has(disk.uuid));
    return {
      zone: zone.zone,
      figures: figuresOf(hosts, shared),
      hosts,
      unmatchedHosts,
      ...(shared.length ? { shared } : {}),
      ...unknownIf(hosts, unmatchedHosts),
    };
  });
  return { zones, reportsFigures: true };
}

/** Hosts to count, none matched: the zone's capacity is unknown, not zero. */
function unknownIf(hosts: unknown[], unmatchedHosts: string[]): { unknown?: true } {
  return hosts.length === 0 && unmatchedHosts.length > 0 ? { unknown: true } : {};
}

function figuresOf(hosts: HostRoom[], shared: SharedDisk[]): ZoneFigures {
  const sum = (pick: (h: HostRoom) => number) => hosts.reduce((total, h) => total + pick(h), 0);
  const disk = (pick: (d: SharedDisk) => number) => shared.reduce((total, d) => total + pick(d), 0);
  return {
    vcpus: sum((h) => h.vcpu.capacity),
    vcpus_used: sum((h) => h.vcpu.capacity - h.vcpu.free),
    memory_mb: sum((h) => h.memoryMb.capacity),
    free_ram_mb: sum((h) => h.memoryMb.free),
    local_gb: sum((h) => h.diskGb.capacity) + disk((d) => d.diskGb.capacity),
    free_disk_gb: sum((h) => h.diskGb.free) + disk((d) => d.diskGb.free),
  };
}

function hostNameOf(h: NovaHypervisor): string {
  return h.hypervisor_hostname ?? h.service?.host ?? String(h.id ?? '');
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
