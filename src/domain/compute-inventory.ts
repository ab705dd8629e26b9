import { INTERNAL_ZONE } from './availability-zone';
import { COMPUTE_BINARY, NovaAggregate, NovaComputeService } from './compute-service';
import { ListingProof, PROVEN } from './listing';

/** Nova's `default_availability_zone`: the zone of a compute host in no availability-zone aggregate. */
export const DEFAULT_ZONE = 'nova';

/** A zone as the registration writes it: its availability-zone and the pservers related to it. */
export interface DesiredZone {
  name: string;
  /** As Nova's zone listing has it: true while one of the zone's compute services is enabled (up or down). */
  available: boolean;
  /** Sorted host names, disabled and down hosts included. */
  hosts: string[];
}

/**
 * The zones and their hosts as the cloud has them (SPEC 7, full visibility), from the
 * compute services (`/os-services`, disabled and down ones included) and the aggregates
 * (`/os-aggregates`). Nova's own zone listing (`os-availability-zone/detail`) is built
 * from the same services but shows enabled ones only, so a locked StarlingX host (its
 * nova-compute disabled) would read as gone there; it is not read. A zone's hosts are
 * its aggregates' hosts and the compute services whose zone it is (a service without a
 * zone: its aggregate's, else `defaultZone`, as Nova places it); `internal` is skipped.
 * A zone is written when it has a host, and is available, as in Nova's listing, when one
 * of its compute services is enabled.
 */
export function desiredZones(services: NovaComputeService[], aggregates: NovaAggregate[], defaultZone = DEFAULT_ZONE): { zones: DesiredZone[]; proof: ListingProof } {
  const hostsOf = new Map<string, Set<string>>();
  const available = new Set<string>();
  const add = (zone: string, host: string) => {
    if (!zone || zone === INTERNAL_ZONE) return;
    const hosts = hostsOf.get(zone) ?? new Set<string>();
    hostsOf.set(zone, hosts);
    hosts.add(host);
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
  for (const service of services.filter((s) => s.binary === COMPUTE_BINARY && s.host)) {
    const zone = service.zone || zoneOfHost.get(service.host) || defaultZone;
    add(zone, service.host);
    if (service.status === 'enabled') available.add(zone);
  }
  const zones = [...hostsOf.entries()]
    .map(([name, hosts]) => ({ name, available: available.has(name), hosts: [...hosts].sort() }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { zones, proof: PROVEN };
}

/** An aggregate's availability zone: its `availability_zone`, else its metadata's (older Novas). */
function aggregateZone(aggregate: NovaAggregate): string | undefined {
  const zone = aggregate.availability_zone ?? aggregate.metadata?.availability_zone;
  return typeof zone === 'string' && zone ? zone : undefined;
}
