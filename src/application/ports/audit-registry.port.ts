import { ApiVersion } from '../../domain/cloud-region';

export interface AuditedRegion {
  vimId: string;
  /** The API the region was registered on: it sets the default interval. */
  apiVersion: ApiVersion;
  /** The `Project` header the registration came with. */
  project?: string;
}

/**
 * The regions whose capacity is audited, shared by every replica and kept across
 * restarts, and the per-region lease that lets one replica audit a region per interval.
 */
export abstract class AuditRegistryPort {
  /** Audits the region from now on (a count of not-found answers starts again). */
  abstract add(region: AuditedRegion): Promise<void>;
  abstract remove(vimId: string): Promise<void>;
  abstract list(): Promise<AuditedRegion[]>;
  abstract has(vimId: string): Promise<boolean>;
  /** Counts one more "not in A&AI" answer in a row for the region (every replica's); the count. */
  abstract countNotFound(vimId: string): Promise<number>;
  /** A&AI has the region: its count of not-found answers starts again. */
  abstract clearNotFound(vimId: string): Promise<void>;
  /**
   * Takes the region's lease for `ms` unless another holder has it; on refusal, says
   * in how many ms the current lease ends.
   */
  abstract tryLease(vimId: string, ms: number): Promise<{ won: boolean; retryInMs: number }>;
}
