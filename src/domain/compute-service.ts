import { INTERNAL_ZONE, NovaAvailabilityZone } from './availability-zone';

/** An entry of Nova `GET /os-services` (microversion 2.1; 2.53 makes `id` a UUID). */
export type NovaComputeService = {
  id?: string | number;
  binary: string;
  host: string;
  zone?: string;
  status: 'enabled' | 'disabled' | string;
  state: 'up' | 'down' | string;
  disabled_reason?: string | null;
};

export const COMPUTE_BINARY = 'nova-compute';

/** Nova's ComputeFilter: a host takes new instances only while its compute service is enabled and up. */
export function schedulable(service: NovaComputeService): boolean {
  return service.status === 'enabled' && service.state === 'up';
}

/**
 * The user zones as the scheduler sees them, from the compute services: each zone a
 * service names (all but `internal`), with only its schedulable hosts. A zone whose hosts
 * are all down or disabled stays, with no host (the scheduler can place nothing there).
 */
export function schedulableZones(services: NovaComputeService[]): NovaAvailabilityZone[] {
  const zones = new Map<string, NovaAvailabilityZone>();
  for (const service of services) {
    if (service.binary !== COMPUTE_BINARY || !service.host) continue;
    const name = service.zone || 'nova';
    if (name === INTERNAL_ZONE) continue;
    let zone = zones.get(name);
    if (!zone) {
      zone = { zoneName: name, zoneState: { available: false }, hosts: {} };
      zones.set(name, zone);
    }
    if (!schedulable(service)) continue;
    zone.zoneState = { available: true };
    zone.hosts![service.host] = { [COMPUTE_BINARY]: { active: true, available: true } };
  }
  return [...zones.values()];
}

/** A Nova host aggregate (`GET /os-aggregates`): an availability zone is an aggregate's `availability_zone`. */
export interface NovaAggregate {
  id: number | string;
  name: string;
  availability_zone: string | null;
  hosts: string[];
  metadata?: Record<string, string>;
}
