import { AuditedRegion } from './audit-registry.port';

/**
 * A region registered through the API, registered again on every sync interval (SPEC 12),
 * with the API and the `Project` scope of its last POST: what the audit keeps of it too.
 */
export type SyncedRegion = AuditedRegion;

/**
 * The synced regions, shared by every replica and kept across restarts, and the
 * per-region lease that lets one replica sync a region per interval.
 */
export abstract class SyncRegistryPort {
  abstract add(region: SyncedRegion): Promise<void>;
  abstract remove(vimId: string): Promise<void>;
  abstract list(): Promise<SyncedRegion[]>;
  /** Takes the region's lease for `ms` unless held; on refusal, says in how many ms it ends. */
  abstract tryLease(vimId: string, ms: number): Promise<{ won: boolean; retryInMs: number }>;
  /** Holds the region's lease for `ms` from now, whoever held it (a POST restarts the clock). */
  abstract restartLease(vimId: string, ms: number): Promise<void>;
}
