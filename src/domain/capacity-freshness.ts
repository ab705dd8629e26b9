import { CapacityDemand } from './capacity-demand';
import { HostCapacity, HostRoom, ZoneTotals, hostFits, zoneTotals } from './host-capacity';

/** What a resource provider gave at a generation; reused while its generation stays. */
export interface ProviderRoom {
  generation: number;
  name: string;
  room: HostRoom;
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
  zones: Array<{ zone: string; hosts: HostCapacity[] }>;
  /** Placement providers by uuid, so that only providers whose generation moved are read again. */
  providers?: Record<string, ProviderRoom>;
}

/** After this many intervals without a good audit, a zone's figures are stale. */
export const STALE_AFTER_INTERVALS = 3;

export type AzCapacityState = 'fresh' | 'stale' | 'unknown';

/** One entry of capacity_check's `AZs`. */
export interface AzInfo extends ZoneTotals {
  'availability-zone-name': string;
  /** ISO time of the audit the figures come from. */
  asOf: string;
  stale: boolean;
  /** One host of the zone takes the whole demand at once. */
  fits: boolean;
}

export function isStale(record: AuditRecord, now: number): boolean {
  return record.failedAt !== undefined || now - record.asOf > STALE_AFTER_INTERVALS * record.intervalMs;
}

export function azEntries(record: AuditRecord | undefined, demand: CapacityDemand, now: number): AzInfo[] {
  if (!record) return [];
  const stale = isStale(record, now);
  const asOf = new Date(record.asOf).toISOString();
  return record.zones.map(({ zone, hosts }) => ({
    'availability-zone-name': zone,
    ...zoneTotals(hosts),
    asOf,
    stale,
    fits: hosts.some((host) => hostFits(host, demand)),
  }));
}

/** `unknown`: no zone figures at all; `fresh`: some zone's are fresh; else `stale`. */
export function capacityState(entries: AzInfo[]): AzCapacityState {
  if (entries.length === 0) return 'unknown';
  return entries.some((entry) => !entry.stale) ? 'fresh' : 'stale';
}

/** SPEC section 9: the limits rule, and, when some zone's figures are fresh, one fresh zone fits. */
export function capacityResult(limitsFit: boolean, entries: AzInfo[]): boolean {
  const fresh = entries.filter((entry) => !entry.stale);
  return limitsFit && (fresh.length === 0 || fresh.some((entry) => entry.fits));
}
