/** An A&AI object as it travels on the wire: hyphenated property names, nested wrappers. */
export type AaiObject = Record<string, unknown>;

/** Child lists nested in a PUT body, and the key property that identifies each item. */
const WRAPPED_CHILDREN: Record<string, { item: string; key: string }> = {
  'esr-system-info-list': { item: 'esr-system-info', key: 'esr-system-info-id' },
  'hpa-capabilities': { item: 'hpa-capability', key: 'hpa-capability-id' },
};
const BARE_CHILDREN: Record<string, string> = {
  'hpa-feature-attributes': 'hpa-attribute-key',
  'l3-interface-ipv4-address-list': 'l3-interface-ipv4-address',
  'l3-interface-ipv6-address-list': 'l3-interface-ipv6-address',
};

export interface MergeOptions {
  /** The wanted relationship-list is the whole list (it already carries what others related). */
  replaceRelationships?: boolean;
}

/**
 * The body of an A&AI update: what A&AI holds, overlaid with what we want written.
 * The object and every nested child that already exists keep their resource-version
 * (A&AI answers 412 otherwise); children we want that do not exist go without one.
 */
export function mergeForUpdate(existing: AaiObject | undefined, desired: AaiObject, options: MergeOptions = {}): AaiObject {
  if (!existing) {
    return withoutVersions(desired);
  }
  const merged: AaiObject = { ...existing, ...desired };
  if (existing['resource-version'] !== undefined) {
    merged['resource-version'] = existing['resource-version'];
  } else {
    delete merged['resource-version'];
  }
  for (const [wrapper, { item, key }] of Object.entries(WRAPPED_CHILDREN)) {
    if (desired[wrapper] === undefined) continue;
    const wanted = itemsOf(desired[wrapper], item);
    const held = itemsOf(existing[wrapper], item);
    merged[wrapper] = { [item]: mergeItems(held, wanted, key) };
  }
  for (const [field, key] of Object.entries(BARE_CHILDREN)) {
    if (!Array.isArray(desired[field])) continue;
    const held = Array.isArray(existing[field]) ? (existing[field] as AaiObject[]) : [];
    merged[field] = mergeItems(held, desired[field] as AaiObject[], key);
  }
  if (desired['relationship-list'] !== undefined && options.replaceRelationships) {
    merged['relationship-list'] = desired['relationship-list'];
  } else if (desired['relationship-list'] !== undefined) {
    // Edges are added, never dropped: others (a complex, a vserver) may have made them.
    const held = relationshipsOf(existing);
    const added = relationshipsOf(desired).filter((r) => !held.some((h) => sameRelated(h, r)));
    merged['relationship-list'] = { relationship: [...held, ...added] };
  }
  return merged;
}

export function relationshipsOf(object: AaiObject | undefined): AaiObject[] {
  return itemsOf(object?.['relationship-list'], 'relationship');
}

/** `/aai/v13/cloud-infrastructure/...` and `https://host/aai/v16/cloud-infrastructure/...` alike. */
export function withoutVersionPrefix(link: string): string {
  const at = link.indexOf('/cloud-infrastructure/');
  return decodeURIComponent(at >= 0 ? link.slice(at) : link);
}

function sameRelated(a: AaiObject, b: AaiObject): boolean {
  return withoutVersionPrefix(String(a['related-link'] ?? '')) === withoutVersionPrefix(String(b['related-link'] ?? ''));
}

/** `{"tenants": {"tenant": [...]}}` → the array; anything else → []. */
export function itemsOf(wrapper: unknown, item: string): AaiObject[] {
  if (!wrapper || typeof wrapper !== 'object') return [];
  const list = (wrapper as AaiObject)[item];
  return Array.isArray(list) ? (list as AaiObject[]) : [];
}

export function resourceVersionOf(object: AaiObject | undefined): string | undefined {
  const version = object?.['resource-version'];
  return typeof version === 'string' && version !== '' ? version : undefined;
}

function mergeItems(held: AaiObject[], wanted: AaiObject[], key: string): AaiObject[] {
  const byKey = new Map(held.map((item) => [String(item[key]), item]));
  return wanted.map((item) => mergeForUpdate(byKey.get(String(item[key])), item));
}

function withoutVersions(object: AaiObject): AaiObject {
  const copy: AaiObject = { ...object };
  delete copy['resource-version'];
  for (const [wrapper, { item }] of Object.entries(WRAPPED_CHILDREN)) {
    if (copy[wrapper] !== undefined) {
      copy[wrapper] = { [item]: itemsOf(copy[wrapper], item).map(withoutVersions) };
    }
  }
  for (const field of Object.keys(BARE_CHILDREN)) {
    if (Array.isArray(copy[field])) {
      copy[field] = (copy[field] as AaiObject[]).map(withoutVersions);
    }
  }
  return copy;
}
