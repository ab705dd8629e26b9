import type { Json } from '../servers/openstack-data';

export type { Json };

/** The items of an A&AI wrapper (`{"tenants": {"tenant": [...]}}`); none: []. */
export function items(object: Json | undefined, wrapper: string, item: string): Json[] {
  return object?.[wrapper]?.[item] ?? [];
}

/** A cloud region's first esr-system-info. */
export function esrOf(region: Json | undefined): Json {
  return items(region, 'esr-system-info-list', 'esr-system-info')[0];
}
