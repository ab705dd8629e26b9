import { AaiObject } from './aai-object';
import { VimId } from './vim-id';

/** The A&AI pserver of a host h of a region: hostname `{vimid}_{h}`, pserver-id h. */
export function pserverHostname(vimId: VimId, host: string): string {
  return `${vimId}_${host}`;
}

export function pserverBody(vimId: VimId, host: string): AaiObject {
  return { hostname: pserverHostname(vimId, host), 'pserver-id': host };
}

/** Written only when the pserver is created: an update keeps what operators set. */
export const PSERVER_CREATE_DEFAULTS: AaiObject = { 'in-maint': false };

export function cloudRegionLink(schemaVersion: string, vimId: VimId): string {
  return (
    `/aai/${schemaVersion}/cloud-infrastructure/cloud-regions/cloud-region/` +
    `${encodeURIComponent(vimId.cloudOwner)}/${encodeURIComponent(vimId.cloudRegionId)}`
  );
}

export function availabilityZoneLink(schemaVersion: string, vimId: VimId, zone: string): string {
  return `${cloudRegionLink(schemaVersion, vimId)}/availability-zones/availability-zone/${encodeURIComponent(zone)}`;
}

export function availabilityZoneRelationship(schemaVersion: string, vimId: VimId, zone: string): AaiObject {
  return {
    'related-to': 'availability-zone',
    'related-link': availabilityZoneLink(schemaVersion, vimId, zone),
    'relationship-data': [
      { 'relationship-key': 'availability-zone.availability-zone-name', 'relationship-value': zone },
    ],
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
    'related-to-property': [
      { 'property-key': 'cloud-region.cloud-owner' },
      { 'property-key': 'cloud-region.cloud-region-id' },
    ],
  };
}

/** Whether an object's relationship-list already holds an edge to `relatedLink`. */
export function hasRelationship(object: AaiObject | undefined, relatedLink: string): boolean {
  const wanted = withoutVersionPrefix(relatedLink);
  return relationshipsOf(object).some(
    (relationship) => withoutVersionPrefix(String(relationship['related-link'] ?? '')) === wanted,
  );
}

export function relationshipsOf(object: AaiObject | undefined): AaiObject[] {
  const list = object?.['relationship-list'];
  const items = list && typeof list === 'object' ? (list as AaiObject)['relationship'] : undefined;
  return Array.isArray(items) ? (items as AaiObject[]) : [];
}

/** `/aai/v13/cloud-infrastructure/...` and `https://host/aai/v16/cloud-infrastructure/...` alike. */
export function withoutVersionPrefix(link: string): string {
  const at = link.indexOf('/cloud-infrastructure/');
  return decodeURIComponent(at >= 0 ? link.slice(at) : link);
}
