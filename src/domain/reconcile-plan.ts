import { AaiObject, itemsOf, relationshipsOf, withoutVersionPrefix } from './aai-object';
import { relationshipsReason } from './kept-reason';
import { ListingProof, isProven } from './listing';
import { KIND_RULES, KeepContext, ListedKind, OBJECT_KINDS, ObjectKind, REGION_KINDS, RegionKind } from './object-kinds';
import { pathSegment } from './path-segment';
import { pserverHostname } from './pserver';
import { VimId } from './vim-id';

export { OBJECT_KINDS } from './object-kinds';
export type { ObjectKind } from './object-kinds';

export type ObjectAction = 'create' | 'update' | 'delete';

/** One relationship the registration adds to or removes from an object (`{uri}/relationship-list/relationship`). */
export interface EdgeWrite {
  action: 'relate' | 'unrelate';
  /** The object whose relationship-list it goes through. */
  uri: string;
  relationship: AaiObject;
}

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
  /** An update of edges only: the owned relationships added and removed one by one (a pserver's). */
  edges?: EdgeWrite[];
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

/** SPEC 7: deletes of one kind not applied because they were too many of what A&AI holds. */
export interface HeldDeletes {
  kind: ObjectKind;
  count: number;
  of: number;
  ids: string[];
}

export interface ObjectPlan {
  changes: ObjectChange[];
  unchanged: Partial<Record<ObjectKind, number>>;
  kept: KeptObject[];
  held?: HeldDeletes[];
}

/** What the cloud has now, as the A&AI bodies a registration writes (flavors with their capabilities nested). */
export type DesiredObjects = Record<ListedKind, AaiObject[]>;

/**
 * What A&AI holds under the region: each collection read with its children and
 * relationships (tenants with their vservers, flavors with capabilities, zones with
 * their edges); `region` for its relationship-list (the pservers related to it);
 * `pservers` the bodies of related pservers that were read; `unread` the ones whose
 * read failed (never written).
 */
export interface HeldObjects {
  region?: AaiObject;
  children: Record<RegionKind, AaiObject[]>;
  pservers: Map<string, AaiObject>;
  unread?: Set<string>;
}

/** What proves each kind's listing (absent: proven). */
export type KindProofs = Partial<Record<ObjectKind, ListingProof>>;

export function emptyHeld(region?: AaiObject): HeldObjects {
  return { region, children: Object.fromEntries(REGION_KINDS.map((kind) => [kind, []])) as unknown as Record<RegionKind, AaiObject[]>, pservers: new Map() };
}

export function emptyDesired(): DesiredObjects {
  return Object.fromEntries(OBJECT_KINDS.filter((k) => KIND_RULES[k].placement !== 'nested').map((kind) => [kind, []])) as unknown as DesiredObjects;
}

/** Properties that are structure, not the object's own values. */
const NOT_COMPARED = new Set(['resource-version', 'relationship-list', 'hpa-capabilities', 'vservers']);

/**
 * SPEC 7: each object the registration owns, desired (the cloud) against held (A&AI):
 * create, update (an owned property or relationship differs, compared in the schema's
 * types), delete (A&AI has it, the cloud no longer does) or unchanged. Objects others
 * depend on are never deleted, nor are objects of a kind whose listing is not proven
 * complete and authoritative: they are kept, with the reason.
 */
export function planObjects(vimId: VimId, desired: DesiredObjects, held: HeldObjects, proofs: KindProofs = {}): ObjectPlan {
  const plan: ObjectPlan = { changes: [], unchanged: {}, kept: [] };
  const tenantNames = new Map(held.children.tenant.map((t) => [String(t['tenant-id']), String(t['tenant-name'] ?? t['tenant-id'])]));
  const context: KeepContext = { vimId, desiredPservers: new Set(desired.pserver.map((p) => String(p.hostname))), tenantNames };
  const unproven = (kind: ObjectKind) => {
    const proof = proofs[kind];
    return proof && !isProven(proof) ? (proof.reason ?? 'listing not proven complete and authoritative') : undefined;
  };
  for (const kind of OBJECT_KINDS) {
    const rule = KIND_RULES[kind];
    if (rule.placement === 'region') {
      const regionKind = kind as RegionKind;
      const wanted = desired[regionKind].map((object) => withoutNested(regionKind, object));
      compareCollection(
        plan,
        kind,
        keyOf(rule.key),
        wanted,
        held.children[regionKind],
        (id) => childPath(vimId, regionKind, id),
        (object) => rule.keep(object, context) ?? unproven(kind),
      );
    } else if (rule.placement === 'nested') {
      planNested(plan, vimId, kind, rule, desired, held, unproven);
    } else {
      planPservers(plan, vimId, desired, held, unproven(kind));
    }
  }
  foldNewFlavorCapabilities(plan);
  plan.changes.sort(byWriteOrder);
  return plan;
}

/** Nested objects of the parents that stay: a capability's plan id is `{flavor-id}/{hpa-capability-id}`. */
function planNested(
  plan: ObjectPlan,
  vimId: VimId,
  kind: ObjectKind,
  rule: (typeof KIND_RULES)['hpa-capability'],
  desired: DesiredObjects,
  held: HeldObjects,
  unproven: (kind: ObjectKind) => string | undefined,
): void {
  const parentKey = KIND_RULES[rule.parent].key;
  const keptParents = new Set(plan.kept.filter((k) => k.kind === rule.parent).map((k) => k.id));
  const parentOf = new Map<AaiObject, string>();
  const nested = (parents: AaiObject[]) =>
    parents.flatMap((parent) =>
      itemsOf(parent[rule.wrapper], rule.item).map((item) => {
        parentOf.set(item, String(parent[parentKey]));
        return item;
      }),
    );
  compareCollection(
    plan,
    kind,
    (item) => `${parentOf.get(item)}/${String(item[rule.key])}`,
    nested(desired[rule.parent]),
    nested(held.children[rule.parent].filter((parent) => !keptParents.has(String(parent[parentKey])))),
    (id) => {
      const [parentId, itemId] = splitOnce(id, '/');
      return `${childPath(vimId, rule.parent, parentId)}/${rule.wrapper}/${rule.item}/${pathSegment(itemId)}`;
    },
    () => unproven(kind),
  );
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
 * Hostnames of the pservers this registration wrote (`{vimid}_…`) that the plan will
 * update or delete: their bodies (foreign relationships) are read before planning.
 */
export function pserversToRead(vimId: VimId, desired: DesiredObjects, held: Pick<HeldObjects, 'region' | 'children'>): string[] {
  const links = heldPserverLinks(vimId, held);
  const wanted = new Map(desired.pserver.map((p) => [String(p.hostname), p]));
  return [...links.keys()]
    .filter((hostname) => {
      const pserver = wanted.get(hostname);
      return !pserver || !sameLinks(ownedLinks(vimId, relationshipsOf(pserver)), links.get(hostname)!);
    })
    .sort();
}

/** The pservers named `{vimid}_…` that A&AI relates to the region or its zones. */
export function heldPserverHostnames(vimId: VimId, held: Pick<HeldObjects, 'region' | 'children'>): string[] {
  return [...heldPserverLinks(vimId, held).keys()];
}

/**
 * Why a held object must stay when re-planned after a 412 (A&AI changed it since the
 * plan's read): the kind's keep rule on what A&AI holds now.
 */
export function keepReasonNow(vimId: VimId, kind: ObjectKind, current: AaiObject, desiredPservers: Set<string> = new Set()): string | undefined {
  const rule = KIND_RULES[kind];
  if (rule.placement === 'region') return rule.keep(current, { vimId, desiredPservers });
  if (rule.placement === 'pserver')
    return relationshipsReason(
      relationshipsOf(current).filter((r) => !isOwnedLink(vimId, linkOf(r))),
      true,
    );
  return undefined;
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
 * this region and its zones) are compared; an update adds and removes those one by one
 * and never touches the others. Only pservers named `{vimid}_…` are this
 * registration's: others related to the region or its zones are never written.
 */
function planPservers(plan: ObjectPlan, vimId: VimId, desired: DesiredObjects, held: HeldObjects, unproven: string | undefined): void {
  const heldLinks = heldPserverLinks(vimId, held);
  const wanted = new Set<string>();
  for (const pserver of desired.pserver) {
    const hostname = String(pserver.hostname);
    if (wanted.has(hostname)) continue;
    wanted.add(hostname);
    const uri = pserverPath(hostname);
    const links = heldLinks.get(hostname);
    if (!links) {
      plan.changes.push({ kind: 'pserver', id: hostname, action: 'create', uri, desired: pserver });
      continue;
    }
    const desiredLinks = ownedLinks(vimId, relationshipsOf(pserver));
    if (sameLinks(desiredLinks, links)) {
      plan.unchanged.pserver = (plan.unchanged.pserver ?? 0) + 1;
    } else if (held.unread?.has(hostname) || !held.pservers.has(hostname)) {
      plan.kept.push({ kind: 'pserver', id: hostname, reason: 'not read from A&AI: not written' });
    } else {
      const edges: EdgeWrite[] = [
        ...relationshipsOf(pserver)
          .filter((r) => !links.has(withoutVersionPrefix(linkOf(r))))
          .map((relationship): EdgeWrite => ({ action: 'relate', uri, relationship })),
        ...relationshipsOf(held.pservers.get(hostname))
          .filter((r) => isOwnedLink(vimId, linkOf(r)) && !desiredLinks.has(withoutVersionPrefix(linkOf(r))))
          .map((relationship): EdgeWrite => ({ action: 'unrelate', uri, relationship: edgeBody(relationship) })),
      ];
      plan.changes.push({ kind: 'pserver', id: hostname, action: 'update', uri, desired: pserver, held: held.pservers.get(hostname), edges });
    }
  }
  for (const hostname of heldLinks.keys()) {
    if (wanted.has(hostname)) continue;
    const body = held.pservers.get(hostname);
    const reason = !body || held.unread?.has(hostname) ? 'not read from A&AI' : keepReasonNow(vimId, 'pserver', body);
    if (reason ?? unproven) plan.kept.push({ kind: 'pserver', id: hostname, reason: (reason ?? unproven)! });
    else plan.changes.push({ kind: 'pserver', id: hostname, action: 'delete', uri: pserverPath(hostname), held: body });
  }
}

/** The relationship as a DELETE of `…/relationship-list/relationship` takes it. */
function edgeBody(relationship: AaiObject): AaiObject {
  return { 'related-to': relationship['related-to'], 'related-link': relationship['related-link'] };
}

/** Hostname → the owned links A&AI shows for it, for the pservers named `{vimid}_…`: from the region's and its zones' relationships. */
function heldPserverLinks(vimId: VimId, held: Pick<HeldObjects, 'region' | 'children'>): Map<string, Set<string>> {
  const links = new Map<string, Set<string>>();
  const ours = pserverHostname(vimId, '');
  const add = (owner: string, relationships: AaiObject[]) => {
    for (const relationship of relationships) {
      if (relationship['related-to'] !== 'pserver') continue;
      const hostname = withoutVersionPrefix(linkOf(relationship)).split('/pservers/pserver/')[1];
      if (!hostname || !hostname.startsWith(ours)) continue;
      (links.get(hostname) ?? links.set(hostname, new Set()).get(hostname)!).add(owner);
    }
  };
  add(decodedPath(regionPath(vimId)), relationshipsOf(held.region));
  for (const zone of held.children['availability-zone']) {
    add(decodedPath(childPath(vimId, 'availability-zone', String(zone['availability-zone-name']))), relationshipsOf(zone));
  }
  return links;
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
  return new Set(
    relationships
      .map(linkOf)
      .map(withoutVersionPrefix)
      .filter((link) => isOwnedLink(vimId, link)),
  );
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

/** An object without the nested kinds that are planned on their own (a flavor without its capabilities). */
function withoutNested(kind: RegionKind, object: AaiObject): AaiObject {
  const nested = OBJECT_KINDS.map((k) => KIND_RULES[k]).filter((rule) => rule.placement === 'nested' && rule.parent === kind);
  if (nested.length === 0) return object;
  const copy = { ...object };
  for (const rule of nested) if (rule.placement === 'nested') delete copy[rule.wrapper];
  return copy;
}

export function childPath(vimId: VimId, kind: RegionKind, id: string): string {
  const { wrapper, item } = KIND_RULES[kind];
  return `${regionPath(vimId)}/${wrapper}/${item}/${pathSegment(id)}`;
}

function splitOnce(value: string, separator: string): [string, string] {
  const at = value.indexOf(separator);
  return [value.slice(0, at), value.slice(at + 1)];
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
  held?: HeldDeletes[];
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
  if (plan.held?.length) summary.held = plan.held;
  if (plan.kept.length > 0) summary.kept = [...plan.kept].sort((a, b) => a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id));
  return summary;
}

function ordered<T>(byKind: Partial<Record<ObjectKind, T>>): Partial<Record<ObjectKind, T>> {
  const result: Partial<Record<ObjectKind, T>> = {};
  for (const kind of OBJECT_KINDS) if (byKind[kind] !== undefined) result[kind] = byKind[kind];
  return result;
}
