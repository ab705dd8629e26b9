import { AaiObject, itemsOf, relationshipsOf, withoutVersionPrefix } from './aai-object';

/** How many holders a reason names before it gives a count of the rest. */
const NAMED = 3;

/**
 * SPEC 7's kept reasons name what holds an object, the first 3 and then a count:
 * `"2 vservers: vs-1 (tenant demo), vs-2 (tenant demo)"`, `"vserver vs-9 on this host"`,
 * `"relationship to complex clli1"`.
 */
export function holdersReason(noun: string, nouns: string, names: string[], suffix = ''): string {
  if (names.length === 1) return `${noun} ${names[0]}${suffix}`;
  const shown = names.slice(0, NAMED).join(', ');
  const more = names.length > NAMED ? ` and ${names.length - NAMED} more` : '';
  return `${names.length} ${nouns}${suffix}: ${shown}${more}`;
}

/** A tenant's own vservers: `"2 vservers: vs-1 (tenant demo), vs-2 (tenant demo)"`. */
export function tenantVserversReason(tenant: AaiObject): string | undefined {
  const tenantName = String(tenant['tenant-name'] ?? tenant['tenant-id']);
  const names = itemsOf(tenant.vservers, 'vserver').map((v) => `${String(v['vserver-name'] ?? v['vserver-id'])} (tenant ${tenantName})`);
  return names.length ? holdersReason('vserver', 'vservers', names) : undefined;
}

/**
 * Relationships that hold an object, grouped by the type they lead to, each named:
 * vservers with their tenant (`on this host` for a pserver), others as
 * `relationship to complex clli1`.
 */
export function relationshipsReason(relationships: AaiObject[], onHost = false, tenantNames?: Map<string, string>): string | undefined {
  if (relationships.length === 0) return undefined;
  const byType = new Map<string, AaiObject[]>();
  for (const relationship of relationships) {
    const type = String(relationship['related-to'] ?? 'object');
    (byType.get(type) ?? byType.set(type, []).get(type)!).push(relationship);
  }
  return [...byType]
    .map(([type, list]) => {
      if (type === 'vserver') {
        const names = list.map((r) => `${relatedName(r)}${onHost ? '' : tenantOf(r, tenantNames)}`);
        return holdersReason('vserver', 'vservers', names, onHost ? ' on this host' : '');
      }
      return holdersReason(`relationship to ${type}`, `relationships to ${type}`, list.map(relatedName));
    })
    .join('; ');
}

/**
 * What holds a composed subcloud region that is to go: its relationships to anything
 * but the pservers the registration writes (a complex, l3-networks) and its children
 * of kinds the registration does not write (snapshots, volume-groups), read at depth 1.
 */
export function regionHoldersReason(region: AaiObject, ownedWrappers: Set<string>, ownEdge: (relationship: AaiObject) => boolean): string | undefined {
  const reasons: string[] = [];
  const edges = relationshipsReason(relationshipsOf(region).filter((r) => !ownEdge(r)));
  if (edges) reasons.push(edges);
  for (const [wrapper, value] of Object.entries(region)) {
    if (ownedWrappers.has(wrapper) || wrapper === 'relationship-list' || !value || typeof value !== 'object' || Array.isArray(value)) continue;
    for (const [item, list] of Object.entries(value as AaiObject)) {
      if (!Array.isArray(list) || list.length === 0) continue;
      const names = (list as AaiObject[]).map((child) => String(child[`${item}-id`] ?? child[`${item}-name`] ?? Object.values(child)[0]));
      reasons.push(holdersReason(item, wrapper, names));
    }
  }
  return reasons.length ? reasons.join('; ') : undefined;
}

function relatedName(relationship: AaiObject): string {
  const properties = Array.isArray(relationship['related-to-property']) ? (relationship['related-to-property'] as AaiObject[]) : [];
  const named = properties.find((p) => String(p['property-key'] ?? '').endsWith('-name') && p['property-value'] !== undefined);
  if (named) return String(named['property-value']);
  const data = Array.isArray(relationship['relationship-data']) ? (relationship['relationship-data'] as AaiObject[]) : [];
  const last = data[data.length - 1];
  if (last?.['relationship-value'] !== undefined) return String(last['relationship-value']);
  const link = withoutVersionPrefix(String(relationship['related-link'] ?? ''));
  return link.slice(link.lastIndexOf('/') + 1) || 'unnamed';
}

function tenantOf(relationship: AaiObject, tenantNames?: Map<string, string>): string {
  const data = Array.isArray(relationship['relationship-data']) ? (relationship['relationship-data'] as AaiObject[]) : [];
  const tenant = data.find((d) => d['relationship-key'] === 'tenant.tenant-id');
  if (!tenant) return '';
  const id = String(tenant['relationship-value']);
  return ` (tenant ${tenantNames?.get(id) ?? id})`;
}
