import { AaiObject, relationshipsOf, withoutVersionPrefix } from './aai-object';
import { relationshipsReason, tenantVserversReason } from './kept-reason';
import { pserverHostname } from './pserver';
import { VimId } from './vim-id';

/** What a keep rule may look at besides the held object: the region and what the cloud has now. */
export interface KeepContext {
  vimId: VimId;
  /** Hostnames of the pservers the registration writes now. */
  desiredPservers: Set<string>;
  /** Tenant names by id, as A&AI holds them (a vserver's edge names only its tenant's id). */
  tenantNames?: Map<string, string>;
}

/** A kind held in a collection under the cloud region (`{wrapper}/{item}/{key value}`). */
interface RegionKindRule {
  placement: 'region';
  wrapper: string;
  item: string;
  key: string;
  /** The job step named in a status when a write of this kind fails. */
  step: string;
  /** Its key in the status' `counts`. */
  count: string;
  /** Why a held object the cloud no longer has must stay (something else holds it), or undefined. */
  keep: (held: AaiObject, context: KeepContext) => string | undefined;
}

/** A kind nested in another kind's objects (an HPA capability in its flavor); plan id `{parent id}/{id}`. */
interface NestedKindRule {
  placement: 'nested';
  parent: 'flavor';
  wrapper: string;
  item: string;
  key: string;
  step: string;
  count: string;
}

/** Top-level pservers `{vimid}_{host}`, found through their relationships to the region and its zones. */
interface PserverKindRule {
  placement: 'pserver';
  step: string;
  count: string;
}

type KindRule = RegionKindRule | NestedKindRule | PserverKindRule;

/**
 * SPEC 7's object kinds, one definition each, in write order (parents first; deletes go
 * in reverse). The application's half of each kind (its cloud listing and proof) is in
 * application/registration/object-kinds.ts, typed by the same keys.
 */
export const KIND_RULES = {
  tenant: { placement: 'region', wrapper: 'tenants', item: 'tenant', key: 'tenant-id', step: 'tenants', count: 'tenants', keep: (held) => tenantVserversReason(held) },
  flavor: { placement: 'region', wrapper: 'flavors', item: 'flavor', key: 'flavor-id', step: 'flavors', count: 'flavors', keep: (held, context) => vserverEdges(held, context) },
  'hpa-capability': {
    placement: 'nested',
    parent: 'flavor',
    wrapper: 'hpa-capabilities',
    item: 'hpa-capability',
    key: 'hpa-capability-id',
    step: 'HPA capabilities',
    count: 'hpaCapabilities',
  },
  image: { placement: 'region', wrapper: 'images', item: 'image', key: 'image-id', step: 'images', count: 'images', keep: (held, context) => vserverEdges(held, context) },
  'availability-zone': {
    placement: 'region',
    wrapper: 'availability-zones',
    item: 'availability-zone',
    key: 'availability-zone-name',
    step: 'availability zones',
    count: 'availabilityZones',
    keep: (held, context) => relationshipsReason(relationshipsOf(held).filter((r) => !isOwnPserverEdge(r, context))),
  },
  pserver: { placement: 'pserver', step: 'pservers', count: 'pservers' },
} as const satisfies Record<string, KindRule>;

export type ObjectKind = keyof typeof KIND_RULES;
export const OBJECT_KINDS = Object.keys(KIND_RULES) as ObjectKind[];

/** Kinds held in a collection under the region. */
export type RegionKind = { [K in ObjectKind]: (typeof KIND_RULES)[K]['placement'] extends 'region' ? K : never }[ObjectKind];
/** Kinds the cloud lists on their own (not nested in another kind's objects). */
export type ListedKind = { [K in ObjectKind]: (typeof KIND_RULES)[K]['placement'] extends 'nested' ? never : K }[ObjectKind];

export const REGION_KINDS = OBJECT_KINDS.filter((kind): kind is RegionKind => KIND_RULES[kind].placement === 'region');
export const LISTED_KINDS = OBJECT_KINDS.filter((kind): kind is ListedKind => KIND_RULES[kind].placement !== 'nested');

export function regionKindRule(kind: RegionKind): RegionKindRule {
  return KIND_RULES[kind];
}

/** The step a status names for a kind (or the region itself). */
export function stepOfKind(kind: ObjectKind | 'cloud-region'): string {
  return kind === 'cloud-region' ? 'cloud region' : KIND_RULES[kind].step;
}

function vserverEdges(held: AaiObject, context: KeepContext): string | undefined {
  const vservers = relationshipsOf(held).filter((r) => r['related-to'] === 'vserver');
  return relationshipsReason(vservers, false, context.tenantNames);
}

/** A zone's edge to a pserver this registration writes (`{vimid}_…`, or one it writes now). */
function isOwnPserverEdge(relationship: AaiObject, { vimId, desiredPservers }: KeepContext): boolean {
  if (relationship['related-to'] !== 'pserver') return false;
  const hostname = withoutVersionPrefix(String(relationship['related-link'] ?? '')).split('/pservers/pserver/')[1] ?? '';
  return hostname.startsWith(pserverHostname(vimId, '')) || desiredPservers.has(hostname);
}
