import { ApiVersion } from '../../domain/cloud-region';

export interface AuditedRegion {
  vimId: string;
  /** The API the region was registered on: it sets the default interval. */
  apiVersion: ApiVersion;
  /** The `Project` header the registration came with. */
  project?: string;
}

/** A region taken off the schedule by this replica, and when it was due. */
export interface DueAudit {
  region: AuditedRegion;
  dueAt: number;
}

/**
 * The regions whose capacity is audited, shared by every replica and kept across
 * restarts, and their schedule: each region's next due time, shared too, so that one
 * replica audits a region per interval and replicas take regions earliest due first.
 */
export abstract class AuditRegistryPort {
  /** Audits the region from now on, next at `dueAt` (a count of not-found answers starts again). */
  abstract add(region: AuditedRegion, dueAt: number): Promise<void>;
  abstract remove(vimId: string): Promise<void>;
  abstract list(): Promise<AuditedRegion[]>;
  abstract has(vimId: string): Promise<boolean>;
  /** Counts one more "not in A&AI" answer in a row for the region (every replica's); the count. */
  abstract countNotFound(vimId: string): Promise<number>;
  /** A&AI has the region: its count of not-found answers starts again. */
  abstract clearNotFound(vimId: string): Promise<void>;
  /**
   * Takes up to `limit` regions due at `now`, earliest due first, each one's next due
   * time moved to now + its interval (atomically: a region another replica took is left out).
   */
  abstract takeDue(now: number, limit: number, intervalOf: (region: AuditedRegion) => number): Promise<DueAudit[]>;
  /** When the earliest region is due (every replica's); undefined when none is audited. */
  abstract nextDueAt(): Promise<number | undefined>;
  /** How many regions were due before `before`, and when the earliest is due. */
  abstract overdue(before: number): Promise<{ count: number; earliestDueAt?: number }>;
}
