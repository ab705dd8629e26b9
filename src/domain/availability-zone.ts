import { AaiObject } from './aai-object';

/** An entry of Nova /os-availability-zone/detail. */
export interface NovaAvailabilityZone {
  zoneName: string;
  zoneState?: { available?: boolean };
  /** Keyed by nova service host, then by binary. */
  hosts?: Record<string, Record<string, unknown>> | null;
}

export const INTERNAL_ZONE = 'internal';

/** The zones the registration and the audit consider: all but `internal`. */
export function userZones(zones: NovaAvailabilityZone[]): NovaAvailabilityZone[] {
  return zones.filter((zone) => zone.zoneName && zone.zoneName !== INTERNAL_ZONE);
}

/** Host names of a zone: the nova service hosts it lists. */
export function zoneHosts(zone: NovaAvailabilityZone): string[] {
  return Object.keys(zone.hosts ?? {}).filter((host) => host !== '');
}

export function toAaiAvailabilityZone(zone: NovaAvailabilityZone): AaiObject {
  const body: AaiObject = {
    'availability-zone-name': zone.zoneName,
    'hypervisor-type': 'QEMU',
  };
  if (typeof zone.zoneState?.available === 'boolean') {
    body['operational-status'] = String(zone.zoneState.available);
  }
  return body;
}
