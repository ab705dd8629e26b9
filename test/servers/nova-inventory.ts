import { Json, RegionData } from './openstack-data';

/** Nova's default_availability_zone: the zone of a compute host in no availability-zone aggregate. */
export const DEFAULT_ZONE = 'nova';
const INTERNAL_ZONE = 'internal';

/** Who asks: a token's project and whether it holds the admin role. */
export interface Caller {
  admin: boolean;
  projectId?: string;
}

/**
 * Nova's flavor visibility (`GET /flavors[/detail]`, nova.api.openstack.compute.flavors):
 * for an admin, `is_public` absent or true lists the public flavors and those the token's
 * project has access to, false only the private ones, `None` every flavor; another token's
 * `is_public` is ignored: public flavors and its project's, disabled ones left out. A value
 * Nova cannot read is a 400.
 */
export function visibleFlavors(region: RegionData, query: URLSearchParams, caller: Caller): Json[] | { badRequest: string } {
  let isPublic: boolean | null = true;
  if (caller.admin && query.has('is_public')) {
    const asked = String(query.get('is_public')).toLowerCase();
    if (asked === 'none') isPublic = null;
    else if (['1', 't', 'true', 'on', 'y', 'yes'].includes(asked)) isPublic = true;
    else if (['0', 'f', 'false', 'off', 'n', 'no'].includes(asked)) isPublic = false;
    else return { badRequest: `Invalid is_public filter [${query.get('is_public')}]` };
  }
  const hasAccess = (flavor: Json) => !!caller.projectId && (region.flavorAccess?.[flavor.id] ?? []).includes(caller.projectId);
  return region.flavors.filter((flavor) => {
    if (!caller.admin && flavor['OS-FLV-DISABLED:disabled'] === true) return false;
    if (isPublic === null) return true;
    return flavor['os-flavor-access:is_public'] === isPublic || (isPublic && hasAccess(flavor));
  });
}

/** A single flavor: a private one without access is not found, except for an admin. */
export function flavorVisible(region: RegionData, flavor: Json, caller: Caller): boolean {
  return caller.admin || flavor['os-flavor-access:is_public'] !== false || (!!caller.projectId && (region.flavorAccess?.[flavor.id] ?? []).includes(caller.projectId));
}

/**
 * The region's compute services and aggregates: those a test set, else derived from its
 * zone listing on each call (so a test that changes `zones` changes them too): each host of
 * a user zone runs an enabled, up nova-compute in that zone (unless `hostStates` says it is
 * disabled or down); the `internal` zone's hosts run its other binaries; every user zone but
 * the default one is an aggregate's availability_zone (Nova puts a compute host in no such
 * aggregate in the default zone).
 */
export function inventoryOf(region: RegionData): { services: Json[]; aggregates: Json[] } {
  let id = 0;
  const services =
    region.services ??
    region.zones.flatMap((zone) =>
      Object.entries(zone.hosts ?? {}).flatMap(([host, binaries]) =>
        Object.keys(binaries as Json).map((binary) => ({
          id: (id += 1),
          binary,
          disabled_reason: null,
          host,
          state: 'up',
          status: 'enabled',
          updated_at: null,
          zone: zone.zoneName,
          ...(binary === 'nova-compute' ? region.hostStates?.[host] : {}),
        })),
      ),
    );
  const aggregates =
    region.aggregates ??
    region.zones
      .filter((zone) => zone.zoneName !== INTERNAL_ZONE && zone.zoneName !== DEFAULT_ZONE)
      .map((zone, index) => aggregate(index + 1, `${zone.zoneName}-aggregate`, zone.zoneName, Object.keys(zone.hosts ?? {})));
  return { services, aggregates };
}

/** An aggregate as `POST /os-aggregates` and `add_host` leave it (the reference list's shape). */
export function aggregate(id: number, name: string, zone: string | null, hosts: string[]): Json {
  return {
    availability_zone: zone,
    created_at: '2016-12-27T23:47:32.911515',
    deleted: false,
    deleted_at: null,
    hosts,
    id,
    metadata: zone ? { availability_zone: zone } : {},
    name,
    updated_at: null,
    uuid: `6ba28ba7-f29b-45cc-a30b-${String(id).padStart(12, '0')}`,
  };
}

/**
 * `GET /os-services`: filtered by `binary` and `host`; `forced_down` from 2.11, a uuid id
 * from 2.53 (as the API samples of those microversions).
 */
export function servicesAnswer(region: RegionData, query: URLSearchParams, microversion: number): Json {
  const { services } = inventoryOf(region);
  const binary = query.get('binary');
  const host = query.get('host');
  return {
    services: services
      .filter((s) => (!binary || s.binary === binary) && (!host || s.host === host))
      .map(({ forced_down, ...s }) => ({
        ...s,
        ...(microversion >= 53 ? { id: `4c8a9c1e-0000-4000-8000-${String(s.id).padStart(12, '0')}` } : {}),
        ...(microversion >= 11 ? { forced_down: forced_down ?? false } : {}),
      })),
  };
}

/** `GET /os-aggregates`: `uuid` only from 2.41 (nova-os-aggregates-list-v2.41.json). */
export function aggregatesAnswer(region: RegionData, microversion: number): Json {
  return { aggregates: inventoryOf(region).aggregates.map(({ uuid, ...a }) => (microversion >= 41 ? { ...a, uuid } : a)) };
}

/**
 * `GET /os-availability-zone/detail` as Nova builds it from the enabled services only: a
 * disabled service (a locked StarlingX host's nova-compute) is left out of its zone's
 * hosts, a down one is listed `available: false`, and a zone left with no enabled host is
 * `{"zoneState": {"available": false}, "hosts": null}`. While every service is as the zone
 * listing says (no services set, no host locked or down), the region's stored listing as it is.
 */
export function zoneListing(region: RegionData): Json[] {
  if (!region.services && !Object.keys(region.hostStates ?? {}).length) return region.zones;
  const { services, aggregates } = inventoryOf(region);
  const zones = new Map<string, Json>();
  for (const zone of region.zones) zones.set(zone.zoneName, { zoneName: zone.zoneName, zoneState: { available: false }, hosts: null });
  for (const name of aggregates.map((a) => a.availability_zone).filter(Boolean)) {
    if (!zones.has(name)) zones.set(name, { zoneName: name, zoneState: { available: false }, hosts: null });
  }
  for (const service of services.filter((s) => s.status === 'enabled')) {
    const name = service.zone ?? DEFAULT_ZONE;
    const zone = zones.get(name) ?? { zoneName: name, zoneState: { available: false }, hosts: null };
    zones.set(name, zone);
    zone.zoneState = { available: true };
    zone.hosts ??= {};
    zone.hosts[service.host] ??= {};
    zone.hosts[service.host][service.binary] = { active: true, available: service.state === 'up', updated_at: service.updated_at ?? null };
  }
  // Nova lists a zone without enabled services only when an aggregate still names it.
  const named = new Set(aggregates.map((a) => a.availability_zone));
  return [...zones.values()].filter((zone) => zone.hosts !== null || named.has(zone.zoneName));
}

/** As StarlingX does on `system host-lock`: the host's nova-compute is disabled (it stays in its aggregates). */
export function lockHost(region: RegionData, host: string): void {
  setComputeService(region, host, { status: 'disabled', disabled_reason: 'host locked' });
}

/** The host stopped reporting (its nova-compute is `down`, still enabled). */
export function downHost(region: RegionData, host: string): void {
  setComputeService(region, host, { state: 'down' });
}

function setComputeService(region: RegionData, host: string, change: Json): void {
  if (!inventoryOf(region).services.some((s) => s.binary === 'nova-compute' && s.host === host)) throw new Error(`the double has no nova-compute on ${host}`);
  const set = region.services?.find((s) => s.binary === 'nova-compute' && s.host === host);
  if (set) Object.assign(set, change);
  else region.hostStates = { ...region.hostStates, [host]: { ...region.hostStates?.[host], ...change } };
}
