import { INTERNAL_ZONE, NovaAvailabilityZone, userZones, zoneHosts } from './availability-zone';
import { NovaAggregate, NovaComputeService } from './compute-service';
import { ListingProof, PROVEN } from './listing';

/** Nova's `default_availability_zone`: the zone of a compute host in no availability-zone aggregate. */
export const DEFAULT_ZONE = 'nova';

/** A zone as the registration writes it: its availability-zone and the pservers related to it. */
export interface DesiredZone {
  name: string;
  /** zoneState.available of the zone listing; false for a zone it leaves out (every host disabled). */
  available: boolean;
  /** Sorted host names, disabled and down hosts included. */
  hosts: string[];
}

/**
 * The zones and their hosts as the cloud has them (SPEC 7, full visibility). Nova's zone
 * listing (`os-availability-zone/detail`) shows enabled services only, so a locked
 * StarlingX host (its nova-compute disabled) would read as gone; the compute services
 * (`/os-services`, disabled and down ones included) and the aggregates (`/os-aggregates`)
 * do not leave it out. A zone's hosts are its aggregates' hosts and the compute services
 * whose zone it is (a service without a zone: its aggregate's, else `defaultZone`, as
 * Nova places it), plus the listing's own hosts; `internal` is skipped. A zone is
 * written when it has a host or the listing shows it.
 *
 * The answer is not complete when the listing shows a host that is not among the compute
 * services: the services listing then missed something, so it proves nothing about the
 * hosts it lacks.
 */
export function desiredZones(
  services: NovaComputeService[],
  aggregates: NovaAggregate[],
  zones: NovaAvailabilityZone[],
  defaultZone = DEFAULT_ZONE,
): { zones: DesiredZone[]; proof: ListingProof } {
  const hostsOf = new Map<string, Set<string>>();
  const add = (zone: string, host?: string) => {
    if (!zone || zone === INTERNAL_ZONE) return;
    const hosts = hostsOf.get(zone) ?? new Set<string>();
    hostsOf.set(zone, hosts);
    if (host) hosts.add(host);
  };
  const zoneOfHost = new Map<string, string>();
  for (const aggregate of aggregates) {
    const zone = aggregateZone(aggregate);
    if (!zone) continue;
    for (const host of aggregate.hosts ?? []) {
      add(zone, host);
      zoneOfHost.set(host, zone);
    }
  }
  const computeHosts = new Set<string>();
  for (const service of services.filter((s) => s.binary === 'nova-compute' && s.host)) {
    computeHosts.add(service.host);
    add(service.zone || zoneOfHost.get(service.host) || defaultZone, service.host);
  }
  const listed = userZones(zones);
  const available = new Map(listed.map((zone) => [zone.zoneName, zone.zoneState?.available === true]));
  const unseen: string[] = [];
  for (const zone of listed) {
    add(zone.zoneName);
    for (const host of zoneHosts(zone)) {
      add(zone.zoneName, host);
      if (!computeHosts.has(host)) unseen.push(`${host} (${zone.zoneName})`);
    }
  }
  const desired = [...hostsOf.entries()]
    .filter(([name, hosts]) => hosts.size > 0 || available.has(name))
    .map(([name, hosts]) => ({ name, available: available.get(name) ?? false, hosts: [...hosts].sort() }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const proof: ListingProof = unseen.length
    ? {
        complete: false,
        authoritative: true,
        reason: `listing incomplete: Nova os-services lacks host(s) of the zone listing: ${unseen.slice(0, 3).join(', ')}${unseen.length > 3 ? ` and ${unseen.length - 3} more` : ''}`,
      }
    : PROVEN;
  return { zones: desired, proof };
}

/** An aggregate's availability zone: its `availability_zone`, else its metadata's (older Novas). */
function aggregateZone(aggregate: NovaAggregate): string | undefined {
  const zone = aggregate.availability_zone ?? aggregate.metadata?.availability_zone;
  return typeof zone === 'string' && zone ? zone : undefined;
}
