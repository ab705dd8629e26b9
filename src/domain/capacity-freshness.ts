import { CapacityDemand } from './capacity-demand';
import type { NovaHypervisor } from './az-capacity';
import { NovaComputeService } from './compute-service';
import { HostCapacity, HostRoom, PlacementProvider, SharedDisk, ZoneTotals, hostFits, zoneTotals } from './host-capacity';

/** What a resource provider gave at a generation; reused while its generation stays. */
export interface ProviderRoom {
  generation: number;
  name: string;
  room: HostRoom;
  /** Its Placement aggregates (read while the region has a sharing provider). */
  aggregates?: string[];
  /** It shares its DISK_GB with its aggregates (trait MISC_SHARES_VIA_AGGREGATE). */
  sharing?: boolean;
}

/**
 * The small part of a region's audit state that moves on every audit: when the last good
 * audit ended, whether one failed since, and a digest of what the last full audit read
 * (its compute services and provider list). An audit that reads the same again has
 * nothing new to compute: it moves `asOf` on and writes nothing else.
 */
export interface AuditMark {
  asOf: number;
  failedAt?: number;
  /** Digest of the inputs of the audit that wrote the record; absent after a failure. */
  inputs?: string;
  /** When the record and the cap_* keys were last written whole. */
  savedAt: number;
}

/** A mark older than this is written whole again with its record (the store's keys expire a day after their last whole write). */
export const WHOLE_AUDIT_EVERY_MS = 10 * 60 * 1000;

/**
 * What an audit of a region with Placement computes from, as text: each compute
 * service's host, zone, status and state, each provider's uuid, name, generation and
 * parent (Placement bumps a generation on every inventory, allocation, trait or aggregate
 * change), the interval, and, where the hypervisor listing was read to map hosts to
 * providers, each node's name and host. Two audits with the same text compute the same record.
 */
export function auditInputs(services: NovaComputeService[], providers: PlacementProvider[], intervalMs: number, nodes: NovaHypervisor[] = []): string {
  const lines = [`interval ${intervalMs}`];
  for (const s of services) lines.push(`service ${s.binary} ${s.host} ${s.zone ?? ''} ${s.status} ${s.state}`);
  for (const p of providers) lines.push(`provider ${p.uuid} ${p.generation} ${p.parentProviderUuid ?? ''} ${p.name}`);
  for (const h of nodes) lines.push(`node ${h.id ?? ''} ${h.service?.host ?? ''} ${h.hypervisor_hostname ?? ''}`);
  return lines.join('\n');
}

/** A record whose every provider was read at one generation: what an audit of the same inputs would compute again. */
export function settled(record: Pick<AuditRecord, 'providers' | 'nonSharing'>): boolean {
  return Object.values(record.providers ?? {}).every((p) => p.generation >= 0) && Object.values(record.nonSharing ?? {}).every((generation) => generation >= 0);
}

/**
 * What the last good audit of a region found, per zone and host, and how fresh it is.
 * Stored beside the plugin's `cap_*` keys (see docs/capacity.md).
 */
export interface AuditRecord {
  source: 'placement' | 'hypervisors';
  /** When the last good audit ended (ms since the epoch). */
  asOf: number;
  /** The region's audit interval when it was written. */
  intervalMs: number;
  /** Set when an audit after `asOf` failed or was malformed. */
  failedAt?: number;
  zones: AuditedZone[];
  /** Placement providers by uuid, so that only providers whose generation moved are read again. */
  providers?: Record<string, ProviderRoom>;
  /** Other root providers whose traits said they share nothing: uuid → the generation they were read at. */
  nonSharing?: Record<string, number>;
}

export interface AuditedZone {
  zone: string;
  hosts: HostCapacity[];
  /** Sharing providers the hosts may take DISK_GB from (counted once). */
  shared?: SharedDisk[];
  /** Schedulable hosts, none matched to a provider or hypervisor: no figures. */
  unknown?: boolean;
}

/** After this many intervals without a good audit, a zone's figures are stale. */
export const STALE_AFTER_INTERVALS = 3;

export type AzCapacityState = 'fresh' | 'stale' | 'unknown';

/** One entry of capacity_check's `AZs`. */
export interface KnownAzInfo extends ZoneTotals {
  'availability-zone-name': string;
  /** ISO time of the audit the figures come from. */
  asOf: string;
  stale: boolean;
  /** One host of the zone takes the whole demand at once. */
  fits: boolean;
}

/** A zone whose schedulable hosts match no provider: no figures at all (never zeros). */
export interface UnknownAzInfo {
  'availability-zone-name': string;
  asOf: string;
  stale: boolean;
  unknown: true;
  fits: false;
}

export type AzInfo = KnownAzInfo | UnknownAzInfo;

export function isStale(record: AuditRecord, now: number): boolean {
  return record.failedAt !== undefined || now - record.asOf > STALE_AFTER_INTERVALS * record.intervalMs;
}

/** `forceStale`: figures kept while the region is not audited (a subcloud in maintenance). */
export function azEntries(record: AuditRecord | undefined, demand: CapacityDemand, now: number, forceStale = false): AzInfo[] {
  if (!record) return [];
  const stale = forceStale || isStale(record, now);
  const asOf = new Date(record.asOf).toISOString();
  return record.zones.map(({ zone, hosts, shared, unknown }): AzInfo => {
    if (unknown) return { 'availability-zone-name': zone, asOf, stale, unknown: true, fits: false };
    return {
      'availability-zone-name': zone,
      ...zoneTotals(hosts, shared),
      asOf,
      stale,
      fits: hosts.some((host) => hostFits(host, demand, shared)),
    };
  });
}

function known(entries: AzInfo[]): KnownAzInfo[] {
  return entries.filter((entry): entry is KnownAzInfo => !('unknown' in entry));
}

/** `unknown`: no zone figures at all; `fresh`: some zone's are fresh; else `stale`. */
export function capacityState(entries: AzInfo[]): AzCapacityState {
  const figures = known(entries);
  if (figures.length === 0) return 'unknown';
  return figures.some((entry) => !entry.stale) ? 'fresh' : 'stale';
}

/**
 * SPEC section 9: the limits rule and one zone that fits, fresh zones first: with no
 * fresh zone a stale one must fit (stale never answers more than fresh would). A region
 * audited without any zone figures fits nothing; one never audited (audit off) answers
 * by the limits rule alone. `limitsFit` undefined: the limits could not be asked (a
 * subcloud in maintenance), the zones alone answer.
 */
export function capacityResult(limitsFit: boolean | undefined, entries: AzInfo[], audited = entries.length > 0): boolean {
  if (limitsFit === false) return false;
  const figures = known(entries);
  const fresh = figures.filter((entry) => !entry.stale);
  if (fresh.length) return fresh.some((entry) => entry.fits);
  if (figures.length) return figures.some((entry) => entry.fits);
  return !audited && limitsFit === true;
}
