import { AaiObject, itemsOf, relationshipsOf, withoutVersionPrefix } from './aai-object';
import { VimId } from './vim-id';

/** What the heatbridge knows of a Nova server. */
export interface ServerFacts {
  id: string;
  name: string;
  status: string;
  links: Array<{ rel: string; href: string }>;
  flavor?: { id?: string };
  image?: { id?: string } | string;
  'OS-EXT-SRV-ATTR:host'?: string;
}

/** What the heatbridge knows of a Neutron port. */
export interface PortFacts {
  id: string;
  name: string;
  mac_address: string;
  network_id: string;
  fixed_ips: Array<{ ip_address: string; subnet_id?: string }>;
}

/** The vf-module and generic-vnf SO names in its heatbridge request. */
export interface VnfRefs {
  genericVnfId?: string;
  vfModuleId?: string;
}

const REGIONS = '/cloud-infrastructure/cloud-regions/cloud-region';

export function tenantUri(vimId: VimId, tenantId: string): string {
  return `${REGIONS}/${seg(vimId.cloudOwner)}/${seg(vimId.cloudRegionId)}/tenants/tenant/${seg(tenantId)}`;
}

export function vserverUri(vimId: VimId, tenantId: string, vserverId: string): string {
  return `${tenantUri(vimId, tenantId)}/vservers/vserver/${seg(vserverId)}`;
}

export function lInterfaceUri(vimId: VimId, tenantId: string, vserverId: string, name: string): string {
  return `${vserverUri(vimId, tenantId, vserverId)}/l-interfaces/l-interface/${seg(name)}`;
}

/**
 * The vserver A&AI should hold for a server (SPEC 13): its names, selflink, status, and
 * relationships to its flavor, image, pserver `{vimid}_{host}` and, when SO names them,
 * its vf-module and generic-vnf.
 */
export function wantedVserver(vimId: VimId, server: ServerFacts, refs: VnfRefs, version: string): AaiObject {
  const region = `${REGIONS}/${seg(vimId.cloudOwner)}/${seg(vimId.cloudRegionId)}`;
  const inRegion: Array<[string, string]> = [
    ['cloud-region.cloud-owner', vimId.cloudOwner],
    ['cloud-region.cloud-region-id', vimId.cloudRegionId],
  ];
  const related: AaiObject[] = [];
  const relate = (type: string, uri: string, data: Array<[string, string]>) =>
    related.push({
      'related-to': type,
      'related-link': `/aai/${version}${uri}`,
      'relationship-data': data.map(([key, value]) => ({ 'relationship-key': key, 'relationship-value': value })),
    });
  const flavorId = server.flavor?.id;
  if (flavorId) relate('flavor', `${region}/flavors/flavor/${seg(flavorId)}`, [...inRegion, ['flavor.flavor-id', flavorId]]);
  const imageId = typeof server.image === 'object' ? server.image?.id : undefined;
  if (imageId) relate('image', `${region}/images/image/${seg(imageId)}`, [...inRegion, ['image.image-id', imageId]]);
  const host = server['OS-EXT-SRV-ATTR:host'];
  if (host) {
    const hostname = `${vimId}_${host}`;
    relate('pserver', `/cloud-infrastructure/pservers/pserver/${seg(hostname)}`, [['pserver.hostname', hostname]]);
  }
  if (refs.genericVnfId) {
    const vnf = `/network/generic-vnfs/generic-vnf/${seg(refs.genericVnfId)}`;
    relate('generic-vnf', vnf, [['generic-vnf.vnf-id', refs.genericVnfId]]);
    if (refs.vfModuleId) {
      relate('vf-module', `${vnf}/vf-modules/vf-module/${seg(refs.vfModuleId)}`, [
        ['generic-vnf.vnf-id', refs.genericVnfId],
        ['vf-module.vf-module-id', refs.vfModuleId],
      ]);
    }
  }
  const selflink = server.links.find((link) => link.rel === 'self')?.href ?? '';
  return {
    'vserver-id': server.id,
    'vserver-name': server.name,
    'vserver-name2': server.name,
    'vserver-selflink': selflink,
    'prov-status': server.status,
    'in-maint': false,
    ...(related.length ? { 'relationship-list': { relationship: related } } : {}),
  };
}

/** The l-interface of a port (named by the port's name, else its id) with its fixed IPs. */
export function wantedLInterface(port: PortFacts, networkName: string | undefined): AaiObject {
  const v4: AaiObject[] = [];
  const v6: AaiObject[] = [];
  for (const ip of port.fixed_ips ?? []) {
    const v6Address = ip.ip_address.includes(':');
    const entry: AaiObject = {
      [v6Address ? 'l3-interface-ipv6-address' : 'l3-interface-ipv4-address']: ip.ip_address,
      'neutron-network-id': port.network_id,
      ...(ip.subnet_id ? { 'neutron-subnet-id': ip.subnet_id } : {}),
    };
    (v6Address ? v6 : v4).push(entry);
  }
  return {
    'interface-name': interfaceName(port),
    'interface-id': port.id,
    macaddr: port.mac_address,
    ...(networkName !== undefined ? { 'network-name': networkName } : {}),
    'in-maint': false,
    ...(v4.length ? { 'l3-interface-ipv4-address-list': v4 } : {}),
    ...(v6.length ? { 'l3-interface-ipv6-address-list': v6 } : {}),
  };
}

export function interfaceName(port: PortFacts): string {
  return port.name && port.name.trim() ? port.name : port.id;
}

/** The l-interfaces a vserver held (depth=all), by interface-name. */
export function heldLInterfaces(vserver: AaiObject | undefined): Map<string, AaiObject> {
  return new Map(itemsOf(vserver?.['l-interfaces'], 'l-interface').map((item) => [String(item['interface-name']), item]));
}

/**
 * Whether A&AI already holds everything wanted: each wanted property equal, each wanted
 * relationship present, each wanted address in its list with the same properties. Then
 * a heatbridge writes nothing.
 */
export function holdsAll(held: AaiObject | undefined, wanted: AaiObject): boolean {
  if (!held) return false;
  for (const [key, value] of Object.entries(wanted)) {
    if (key === 'relationship-list') {
      const links = new Set(relationshipsOf(held).map((r) => withoutVersionPrefix(String(r['related-link'] ?? ''))));
      if (!relationshipsOf(wanted).every((r) => links.has(withoutVersionPrefix(String(r['related-link'] ?? ''))))) return false;
    } else if (Array.isArray(value)) {
      const heldItems = Array.isArray(held[key]) ? (held[key] as AaiObject[]) : [];
      const same = (value as AaiObject[]).every((item) => heldItems.some((h) => Object.entries(item).every(([k, v]) => h[k] === v)));
      if (!same || heldItems.length !== value.length) return false;
    } else if (held[key] !== value) {
      return false;
    }
  }
  return true;
}

function seg(value: string): string {
  return encodeURIComponent(value);
}
