import { AaiDouble } from '../servers/aai.server';
import { REGIONS } from './regions';

/** What a vserver is related to: ids under the same region, and a pserver hostname. */
export interface VserverLinks {
  flavor?: string;
  image?: string;
  pserver?: string;
  /** vserver-name; the id when absent. */
  name?: string;
}

/**
 * Puts a vserver under a tenant of region `vimId` ({owner}_{region}) the way SO's
 * heatbridge and APPC do: one PUT of the vserver with its relationship-list (flavor,
 * image and pserver, by related-link and relationship-data). The edges are then visible
 * from both ends, e.g. a GET of the flavor lists the vserver. The tenant, flavor, image
 * and pserver must be in the double already.
 */
export function seedVserver(aai: AaiDouble, vimId: string, tenantId: string, vserverId: string, links: VserverLinks = {}): string {
  const region = regionUri(vimId);
  const related: Array<{ type: string; uri: string; data: Array<[string, string]> }> = [];
  const [owner, regionId] = region.split('/').slice(-2);
  const inRegion: Array<[string, string]> = [
    ['cloud-region.cloud-owner', owner],
    ['cloud-region.cloud-region-id', regionId],
  ];
  if (links.flavor) related.push({ type: 'flavor', uri: `${region}/flavors/flavor/${links.flavor}`, data: [...inRegion, ['flavor.flavor-id', links.flavor]] });
  if (links.image) related.push({ type: 'image', uri: `${region}/images/image/${links.image}`, data: [...inRegion, ['image.image-id', links.image]] });
  if (links.pserver) {
    related.push({ type: 'pserver', uri: `/cloud-infrastructure/pservers/pserver/${links.pserver}`, data: [['pserver.hostname', links.pserver]] });
  }
  const uri = `${region}/tenants/tenant/${tenantId}/vservers/vserver/${vserverId}`;
  aai.seed(uri, {
    'vserver-id': vserverId,
    'vserver-name': links.name ?? vserverId,
    'vserver-selflink': `http://compute.example/v2.1/servers/${vserverId}`,
    'prov-status': 'ACTIVE',
    'in-maint': false,
    'is-closed-loop-disabled': false,
    ...(related.length
      ? {
          'relationship-list': {
            relationship: related.map((r) => ({
              'related-to': r.type,
              'related-link': `/aai/${aai.version}${r.uri}`,
              'relationship-data': r.data.map(([key, value]) => ({ 'relationship-key': key, 'relationship-value': value })),
            })),
          },
        }
      : {}),
  });
  return uri;
}

/** `/cloud-infrastructure/cloud-regions/cloud-region/{owner}/{region}` of a vimid. */
export function regionUri(vimId: string): string {
  const at = vimId.indexOf('_');
  if (at <= 0) throw new Error(`not a vimid: ${vimId}`);
  return `${REGIONS}/${vimId.slice(0, at)}/${vimId.slice(at + 1)}`;
}
