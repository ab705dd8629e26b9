import { AaiObject, relationshipsOf, withoutVersionPrefix } from './aai-object';
import { pathSegment } from './path-segment';
import { VimId } from './vim-id';

/** The A&AI pserver of a host h of a region: hostname `{vimid}_{h}`, pserver-id h. */
export function pserverHostname(vimId: VimId, host: string): string {
  return `${vimId}_${host}`;
}

/**
 * The pserver of a zone host, related to its zone and to its cloud region in the same
 * write (A&AI takes a relationship-list in the object's PUT).
 */
export function pserverBody(schemaVersion: string, vimId: VimId, host: string, zone: string): AaiObject {
  return {
    hostname: pserverHostname(vimId, host),
    'pserver-id': host,
    'relationship-list': {
      relationship: [availabilityZoneRelationship(schemaVersion, vimId, zone), cloudRegionRelationship(schemaVersion, vimId)],
    },
  };
}

/** Written only when the pserver is created: an update keeps what operators set. */
export const PSERVER_CREATE_DEFAULTS: AaiObject = { 'in-maint': false };

export function cloudRegionLink(schemaVersion: string, vimId: VimId): string {
  return `/aai/${schemaVersion}/cloud-infrastructure/cloud-regions/cloud-region/` + `${pathSegment(vimId.cloudOwner)}/${pathSegment(vimId.cloudRegionId)}`;
}

export function availabilityZoneLink(schemaVersion: string, vimId: VimId, zone: string): string {
  return `${cloudRegionLink(schemaVersion, vimId)}/availability-zones/availability-zone/${pathSegment(zone)}`;
}

export function availabilityZoneRelationship(schemaVersion: string, vimId: VimId, zone: string): AaiObject {
  return {
    'related-to': 'availability-zone',
    'related-link': availabilityZoneLink(schemaVersion, vimId, zone),
    'relationship-data': [{ 'relationship-key': 'availability-zone.availability-zone-name', 'relationship-value': zone }],
    'related-to-property': [{ 'property-key': 'availability-zone.availability-zone-name' }],
  };
}

export function cloudRegionRelationship(schemaVersion: string, vimId: VimId): AaiObject {
  return {
    'related-to': 'cloud-region',
    'related-link': cloudRegionLink(schemaVersion, vimId),
    'relationship-data': [
      { 'relationship-key': 'cloud-region.cloud-owner', 'relationship-value': vimId.cloudOwner },
      { 'relationship-key': 'cloud-region.cloud-region-id', 'relationship-value': vimId.cloudRegionId },
    ],
    'related-to-property': [{ 'property-key': 'cloud-region.cloud-owner' }, { 'property-key': 'cloud-region.cloud-region-id' }],
  };
}

/** Hostnames of the pservers these objects (a region, its zones) are related to. */
export function relatedPservers(...objects: Array<AaiObject | undefined>): Set<string> {
  const names = new Set<string>();
  for (const relationship of objects.flatMap(relationshipsOf)) {
    if (relationship['related-to'] !== 'pserver') continue;
    const hostname = withoutVersionPrefix(String(relationship['related-link'] ?? '')).split('/pservers/pserver/')[1];
    if (hostname) names.add(hostname);
  }
  return names;
}
