import { AuditedRegion } from './audit-registry.port';

/**
 * A region registered through the API, registered again on every sync interval (SPEC 12),
 * with the API and the `Project` scope of its last POST: what the audit keeps of it too.
 */
export type SyncedRegion = AuditedRegion;

/**
 * The synced regions, shared by every replica and kept across restarts, and their
 * schedule (each region's next due time, shared) that lets one replica sync a region per interval.
 */
export abstract class SyncRegistryPort {
  /** Syncs the region from now on, next at `dueAt` (a POST restarts its clock). */
  abstract add(region: SyncedRegion, dueAt: number): Promise<void>;
  abstract remove(vimId: string): Promise<void>;
  abstract list(): Promise<SyncedRegion[]>;
  /** Takes up to `limit` regions due at `now`, earliest due first, each next due `intervalMs` later. */
  abstract takeDue(now: number, limit: number, intervalMs: number): Promise<SyncedRegion[]>;
  /** When the earliest region is due; undefined when none is synced. */
  abstract nextDueAt(): Promise<number | undefined>;
}
