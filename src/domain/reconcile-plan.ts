import { AaiObject, itemsOf, relationshipsOf, withoutVersionPrefix } from './aai-object';
import { pathSegment } from './path-segment';
import { pserverHostname } from './pserver';
import { VimId } from './vim-id';

/** The kinds of object a registration owns under (and beside) a cloud region, in write order. */
export const OBJECT_KINDS = ['tenant', 'flavor', 'hpa-capability', 'image', 'availability-zone', 'pserver'] as const;
export type ObjectKind = (typeof OBJECT_KINDS)[number];

export type ObjectAction = 'create' | 'update' | 'delete';

/** One write a reconcile makes: `desired` for create and update, `held` for update and delete. */
export interface ObjectChange {
  kind: ObjectKind;
  /** The plan's id: a capability is `{flavor-id}/{hpa-capability-id}`, a pserver its hostname. */
  id: string;
  action: ObjectAction;
  /** A&AI path from `/cloud-infrastructure/…`, segments encoded. */
  uri: string;
  desired?: AaiObject;
  held?: AaiObject;
  /** An update whose desired relationship-list is the whole list (a pserver's: owned ones replaced, others kept). */
  replaceRelationships?: boolean;
  /** Creates folded into this one's write (a new flavor's capabilities go nested in its PUT). */
  includes?: ObjectChange[];
}

/** What a reconcile reports on: the objects, and the cloud region itself. */
export type ChangeKind = ObjectKind | 'cloud-region';

export interface KeptObject {
  kind: ChangeKind;
  id: string;
  reason: string;
}

export interface ObjectPlan {
  changes: ObjectChange[];
  unchanged: Partial<Record<ObjectKind, number>>;
  kept: KeptObject[];
}

/** What the cloud has now, as the A&AI bodies a registration writes (flavors with their capabilities nested). */
export interface DesiredObjects {
  tenants: AaiObject[];
  flavors: AaiObject[];
  images: AaiObject[];
  zones: AaiObject[];
  /** `pserverBody`: hostname, pserver-id and the two owned relationships. */
  pservers: AaiObject[];
}

/**
 * What A&AI holds under the region: each collection read with its children and
 * relationships (tenants with their vservers, flavors with capabilities, zones with
 * their edges); `region` for its relationship-list (the pservers related to it);
 * `pservers` the bodies of related pservers that were read (delete candidates).
 */
export interface HeldObjects {
  region?: AaiObject;
  tenants: AaiObject[];
  flavors: AaiObject[];
  images: AaiObject[];
  zones: AaiObject[];
  pservers: Map<string, AaiObject>;
}

const REGION_CHILD_PATHS: Record<Exclude<ObjectKind, 'pserver' | 'hpa-capability'>, [string, string, string]> = {
  tenant: ['tenants', 'tenant', 'tenant-id'],
  flavor: ['flavors', 'flavor', 'flavor-id'],
  image: ['images', 'image', 'image-id'],
  'availability-zone': ['availability-zones', 'availability-zone', 'availability-zone-name'],
};

/** Properties that are structure, not the object's own values. */
const NOT_COMPARED = new Set(['resource-version', 'relationship-list', 'hpa-capabilities', 'vservers']);

/**
 * SPEC 7: each object the registration owns, desired (the cloud) against held (A&AI):
 * create, update (an owned property or relationship differs, compared in the schema's
 * types), delete (A&AI has it, the cloud no longer does) or unchanged. Objects others
 * depend on are never deleted: they are kept, with the reason.
 */
export function planObjects(vimId: VimId, desired: DesiredObjects, held: HeldObjects): ObjectPlan {
  const plan: ObjectPlan = { changes: [], unchanged: {}, kept: [] };
  const region = regionPath(vimId);
  const child = (kind: keyof typeof REGION_CHILD_PATHS, id: string) => {
    const [wrapper, item] = REGION_CHILD_PATHS[kind];
    return `${region}/${wrapper}/${item}/${pathSegment(id)}`;
  };

  for (const kind of ['tenant', 'image', 'availability-zone'] as const) {
    const [, , key] = REGION_CHILD_PATHS[kind];
    const source = { tenant: [desired.tenants, held.tenants], image: [desired.images, held.images], 'availability-zone': [desired.zones, held.zones] }[kind];
    compareCollection(plan, kind, keyOf(key), source[0], source[1], (id) => child(kind, id), (object) => keepReason(kind, object, vimId, desired));
  }

  compareCollection(plan, 'flavor', keyOf('flavor-id'), desired.flavors.map(withoutCapabilities), held.flavors, (id) => child('flavor', id), (object) =>
    keepReason('flavor', object, vimId, desired),
  );
  const keptFlavors = new Set(plan.kept.filter((k) => k.kind === 'flavor').map((k) => k.id));
  // A capability's plan id is `{flavor-id}/{hpa-capability-id}`: its flavor is remembered beside it.
  const flavorOf = new Map<AaiObject, string>();
  const capabilities = (flavors: AaiObject[]) =>
    flavors.flatMap((flavor) =>
      itemsOf(flavor['hpa-capabilities'], 'hpa-capability').map((capability) => {
        flavorOf.set(capability, String(flavor['flavor-id']));
        return capability;
      }),
    );
  compareCollection(
    plan,
    'hpa-capability',
    (capability) => `${flavorOf.get(capability)}/${String(capability['hpa-capability-id'])}`,
    capabilities(desired.flavors),
    capabilities(held.flavors.filter((f) => !keptFlavors.has(String(f['flavor-id'])))),
    (id) => {
      const [flavorId, capabilityId] = splitOnce(id, '/');
      return `${child('flavor', flavorId)}/hpa-capabilities/hpa-capability/${pathSegment(capabilityId)}`;
    },
    () => undefined,
  );

  planPservers(plan, vimId, desired, held);
  foldNewFlavorCapabilities(plan);
  plan.changes.sort(byWriteOrder);
  return plan;
}

/** A new flavor is written with its capabilities nested, in one write and in their derived order. */
function foldNewFlavorCapabilities(plan: ObjectPlan): void {
  const created = new Map(plan.changes.filter((c) => c.kind === 'flavor' && c.action === 'create').map((c) => [c.id, c]));
  if (created.size === 0) return;
  plan.changes = plan.changes.filter((change) => {
    if (change.kind !== 'hpa-capability' || change.action !== 'create') return true;
    const flavor = created.get(change.id.slice(0, change.id.indexOf('/')));
    if (!flavor) return true;
    flavor.includes = [...(flavor.includes ?? []), change];
    const capabilities = itemsOf(flavor.desired!['hpa-capabilities'], 'hpa-capability');
    flavor.desired = { ...flavor.desired, 'hpa-capabilities': { 'hpa-capability': [...capabilities, change.desired!] } };
    return false;
  });
}

/** Every change, the folded ones included. */
export function allChanges(changes: ObjectChange[]): ObjectChange[] {
  return changes.flatMap((change) => [change, ...(change.includes ?? [])]);
}

/**
 * Hostnames of held pservers the plan will update or delete: their bodies (foreign
 * relationships, resource-version) are read before planning for good.
 */
export function pserversToRead(vimId: VimId, desired: DesiredObjects, held: Pick<HeldObjects, 'region' | 'zones'>): string[] {
  const links = heldPserverLinks(vimId, held);
  const wanted = new Map(desired.pservers.map((p) => [String(p.hostname), p]));
  return [...links.keys()]
    .filter((hostname) => {
      const pserver = wanted.get(hostname);
      return !pserver || !sameLinks(ownedLinks(vimId, relationshipsOf(pserver)), links.get(hostname)!);
    })
    .sort();
}

/** Whether an owned property differs, compared in the schema's types (`"4"` equals 4, `"true"` true). */
export function ownedDiffers(desired: AaiObject, held: AaiObject): boolean {
  for (const key in desired) if (!NOT_COMPARED.has(key) && !sameValue(key, desired[key], held[key])) return true;
  return false;
}

function compareCollection(
  plan: ObjectPlan,
  kind: ObjectKind,
  idOf: (object: AaiObject) => string,
  desired: AaiObject[],
  held: AaiObject[],
  uriOf: (id: string) => string,
  keepReasonOf: (held: AaiObject) => string | undefined,
): void {
  const heldById = new Map(held.map((object) => [idOf(object), object]));
  const desiredIds = new Set<string>();
  for (const object of desired) {
    const id = idOf(object);
    if (desiredIds.has(id)) continue;
    desiredIds.add(id);
    const existing = heldById.get(id);
    if (!existing) plan.changes.push({ kind, id, action: 'create', uri: uriOf(id), desired: object });
    else if (ownedDiffers(object, existing)) plan.changes.push({ kind, id, action: 'update', uri: uriOf(id), desired: object, held: existing });
    else plan.unchanged[kind] = (plan.unchanged[kind] ?? 0) + 1;
  }
  for (const [id, existing] of heldById) {
    if (desiredIds.has(id)) continue;
    const reason = keepReasonOf(existing);
    if (reason) plan.kept.push({ kind, id, reason });
    else plan.changes.push({ kind, id, action: 'delete', uri: uriOf(id), held: existing });
  }
}

function keyOf(key: string): (object: AaiObject) => string {
  return (object) => String(object[key]);
}

/**
 * A pserver's properties follow from its hostname, so only its owned relationships (to
 * this region and its zones) are compared; an update replaces those and keeps the rest.
 */
function planPservers(plan: ObjectPlan, vimId: VimId, desired: DesiredObjects, held: HeldObjects): void {
  const heldLinks = heldPserverLinks(vimId, held);
  const wanted = new Set<string>();
  for (const pserver of desired.pservers) {
    const hostname = String(pserver.hostname);
    if (wanted.has(hostname)) continue;
    wanted.add(hostname);
    const uri = pserverPath(hostname);
    const links = heldLinks.get(hostname);
    if (!links) {
      plan.changes.push({ kind: 'pserver', id: hostname, action: 'create', uri, desired: pserver });
    } else if (!sameLinks(ownedLinks(vimId, relationshipsOf(pserver)), links)) {
      const body = held.pservers.get(hostname);
      const others = relationshipsOf(body).filter((r) => !isOwnedLink(vimId, linkOf(r)));
      const wanted = { ...pserver, 'relationship-list': { relationship: [...others, ...relationshipsOf(pserver)] } };
      plan.changes.push({ kind: 'pserver', id: hostname, action: 'update', uri, desired: wanted, held: body, replaceRelationships: true });
    } else {
      plan.unchanged.pserver = (plan.unchanged.pserver ?? 0) + 1;
    }
  }
  for (const hostname of heldLinks.keys()) {
    if (wanted.has(hostname)) continue;
    const body = held.pservers.get(hostname);
    const foreign = relationshipsOf(body).filter((r) => !isOwnedLink(vimId, linkOf(r)));
    if (!body) plan.kept.push({ kind: 'pserver', id: hostname, reason: 'not read from A&AI' });
    else if (foreign.length > 0) plan.kept.push({ kind: 'pserver', id: hostname, reason: countOf(foreign.length, 'foreign relationship') });
    else plan.changes.push({ kind: 'pserver', id: hostname, action: 'delete', uri: pserverPath(hostname), held: body });
  }
}

/** Hostname → the owned links A&AI shows for it: from the region's and its zones' relationships. */
function heldPserverLinks(vimId: VimId, held: Pick<HeldObjects, 'region' | 'zones'>): Map<string, Set<string>> {
  const links = new Map<string, Set<string>>();
  const add = (owner: string, relationships: AaiObject[]) => {
    for (const relationship of relationships) {
      if (relationship['related-to'] !== 'pserver') continue;
      const hostname = withoutVersionPrefix(linkOf(relationship)).split('/pservers/pserver/')[1];
      if (!hostname) continue;
      (links.get(hostname) ?? links.set(hostname, new Set()).get(hostname)!).add(owner);
    }
  };
  const region = regionPath(vimId);
  add(decodedPath(region), relationshipsOf(held.region));
  for (const zone of held.zones) {
    add(decodedPath(`${region}/availability-zones/availability-zone/${pathSegment(String(zone['availability-zone-name']))}`), relationshipsOf(zone));
  }
  return links;
}

/**
 * Why a held object that the cloud no longer has must stay: a tenant holding vservers,
 * a flavor or image a vserver is related to, a zone related to anything but the pservers
 * this registration writes.
 */
function keepReason(kind: ObjectKind, object: AaiObject, vimId: VimId, desired: DesiredObjects): string | undefined {
  if (kind === 'tenant') {
    const vservers = itemsOf(object.vservers, 'vserver').length;
    return vservers > 0 ? countOf(vservers, 'vserver') : undefined;
  }
  const relationships = relationshipsOf(object);
  if (kind === 'flavor' || kind === 'image') {
    const vservers = relationships.filter((r) => r['related-to'] === 'vserver').length;
    return vservers > 0 ? `related to ${countOf(vservers, 'vserver')}` : undefined;
  }
  if (kind === 'availability-zone') {
    const ours = new Set(desired.pservers.map((p) => String(p.hostname)));
    const prefix = `/cloud-infrastructure/pservers/pserver/${pserverHostname(vimId, '')}`;
    const foreign = relationships.filter((r) => {
      const link = withoutVersionPrefix(linkOf(r));
      return !(r['related-to'] === 'pserver' && (link.startsWith(prefix) || ours.has(link.split('/pservers/pserver/')[1] ?? '')));
    });
    return foreign.length > 0 ? countOf(foreign.length, 'foreign relationship') : undefined;
  }
  return undefined;
}

/** Parents are created first and deleted last: creates and updates in kind order, then deletes in reverse. */
function byWriteOrder(a: ObjectChange, b: ObjectChange): number {
  const rank = (change: ObjectChange) => {
    const kind = OBJECT_KINDS.indexOf(change.kind);
    // pservers go before zones when deleted: their edges leave with them.
    return change.action === 'delete' ? 100 - kind : kind;
  };
  return rank(a) - rank(b);
}

export function regionPath(vimId: VimId): string {
  return `/cloud-infrastructure/cloud-regions/cloud-region/${pathSegment(vimId.cloudOwner)}/${pathSegment(vimId.cloudRegionId)}`;
}

export function pserverPath(hostname: string): string {
  return `/cloud-infrastructure/pservers/pserver/${pathSegment(hostname)}`;
}

function ownedLinks(vimId: VimId, relationships: AaiObject[]): Set<string> {
  return new Set(relationships.map(linkOf).map(withoutVersionPrefix).filter((link) => isOwnedLink(vimId, link)));
}

function isOwnedLink(vimId: VimId, link: string): boolean {
  const region = decodedPath(regionPath(vimId));
  const path = withoutVersionPrefix(link);
  return path === region || path.startsWith(`${region}/availability-zones/availability-zone/`);
}

function sameLinks(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((link) => b.has(link));
}

function linkOf(relationship: AaiObject): string {
  return String(relationship['related-link'] ?? '');
}

function decodedPath(path: string): string {
  return decodeURIComponent(path);
}

/** Keys that identify the items of a nested list, so that items compare one to one. */
const ITEM_KEYS = ['esr-system-info-id', 'hpa-attribute-key', 'hpa-capability-id'];

/**
 * Whether held shows what desired wants: in nested objects only the desired keys count
 * (others may have written the rest); list items match by their key; cloud-extra-info,
 * a JSON string, compares as the JSON it holds.
 */
function sameValue(key: string, desired: unknown, held: unknown): boolean {
  if (key === 'cloud-extra-info') return canonical(parseJson(desired)) === canonical(parseJson(held));
  if (Array.isArray(desired)) return sameItems(desired, held);
  if (isPlainObject(desired)) {
    if (!isPlainObject(held)) return false;
    for (const k in desired) if (k !== 'resource-version' && !sameValue(k, desired[k], held[k])) return false;
    return true;
  }
  return samePrimitive(desired, held);
}

/** `"4"` equals 4 and `"true"` true: primitives compare as the text A&AI would store. */
function samePrimitive(desired: unknown, held: unknown): boolean {
  if (desired === held) return true;
  const absent = (value: unknown) => value === undefined || value === null;
  if (absent(desired) || absent(held)) return absent(desired) && absent(held);
  if (typeof held === 'object') return false;
  return String(desired) === String(held);
}

function sameItems(desired: unknown[], held: unknown): boolean {
  if (!Array.isArray(held)) return desired.length === 0 && (held === undefined || held === null);
  const itemKey = ITEM_KEYS.find((k) => desired.every((item) => isPlainObject(item) && item[k] !== undefined));
  if (!itemKey) return canonical(desired) === canonical(held);
  const heldByKey = new Map(held.filter(isPlainObject).map((item) => [String(item[itemKey]), item]));
  // An attribute list is the capability's own: one held that is no longer wanted is a difference.
  if (itemKey === 'hpa-attribute-key' && heldByKey.size !== desired.length) return false;
  return desired.every((item) => sameValue('', item, heldByKey.get(String((item as AaiObject)[itemKey]))));
}

function isPlainObject(value: unknown): value is AaiObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value in a form that compares equal across the wire's types: primitives as strings, arrays unordered, no resource-versions. */
function canonical(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return `[${value.map(canonical).sort().join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as AaiObject)
      .filter(([key, item]) => key !== 'resource-version' && item !== undefined && item !== null)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(String(value));
}

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function withoutCapabilities(flavor: AaiObject): AaiObject {
  const copy = { ...flavor };
  delete copy['hpa-capabilities'];
  return copy;
}


function splitOnce(value: string, separator: string): [string, string] {
  const at = value.indexOf(separator);
  return [value.slice(0, at), value.slice(at + 1)];
}

function countOf(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}


export type RegionAction = 'create' | 'update' | 'delete' | 'unchanged';

/** One region's plan as the dry run and the job status show it. */
export interface RegionPlanSummary {
  vimid: string;
  openstackRegionId: string;
  action: RegionAction;
  create?: Partial<Record<ObjectKind, string[]>>;
  update?: Partial<Record<ObjectKind, string[]>>;
  delete?: Partial<Record<ObjectKind, string[]>>;
  unchanged?: Partial<Record<ObjectKind, number>>;
  kept?: KeptObject[];
}

/** SPEC 7's plan body for one region: maps list only kinds that have entries, ids sorted. */
export function summarizePlan(vimId: VimId, openstackRegionId: string, action: RegionAction, plan: ObjectPlan): RegionPlanSummary {
  const summary: RegionPlanSummary = { vimid: vimId.toString(), openstackRegionId, action };
  for (const verb of ['create', 'update', 'delete'] as const) {
    const ids: Partial<Record<ObjectKind, string[]>> = {};
    for (const change of allChanges(plan.changes).filter((c) => c.action === verb)) (ids[change.kind] ??= []).push(change.id);
    for (const list of Object.values(ids)) list!.sort();
    if (Object.keys(ids).length > 0) summary[verb] = ordered(ids);
  }
  if (Object.keys(plan.unchanged).length > 0) summary.unchanged = ordered(plan.unchanged);
  if (plan.kept.length > 0) summary.kept = [...plan.kept].sort((a, b) => a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id));
  return summary;
}

function ordered<T>(byKind: Partial<Record<ObjectKind, T>>): Partial<Record<ObjectKind, T>> {
  const result: Partial<Record<ObjectKind, T>> = {};
  for (const kind of OBJECT_KINDS) if (byKind[kind] !== undefined) result[kind] = byKind[kind];
  return result;
}
