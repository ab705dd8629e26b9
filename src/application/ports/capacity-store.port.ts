import { AuditMark, AuditRecord } from '../../domain/capacity-freshness';
import { ZoneCapacity } from '../../domain/az-capacity';

/**
 * Per-zone capacity of audited regions: the plugin's keys `cap_azlist_{vimid}` and
 * `cap_{vimid}_{zone}` for operators, and the per-host audit record capacity_check reads
 * (24 h TTL, shared by every replica on one store).
 */
export abstract class CapacityStorePort {
  /**
   * A good audit: replaces the region's zones (zones gone from the cloud are dropped) and
   * its record, in one atomic step, only while the region is audited; false (nothing
   * written) once it is not, so an audit in flight never writes a de-registered region back.
   */
  abstract saveAudit(vimId: string, zones: ZoneCapacity[], record: AuditRecord, inputs?: string): Promise<boolean>;
  /** The record, with the freshness of its mark (`asOf`, `failedAt`). */
  abstract readAudit(vimId: string): Promise<AuditRecord | undefined>;
  abstract readAuditMark(vimId: string): Promise<AuditMark | undefined>;
  /**
   * An audit that read what the mark's audit read: `asOf` moves on and `failedAt` goes, in
   * one atomic step, only while the mark is still `seen` (no other audit, failure or
   * de-registration came between); false (nothing written) otherwise.
   */
  abstract touchAudit(vimId: string, seen: AuditMark, asOf: number): Promise<boolean>;
  /**
   * A failed or malformed audit: the previous figures stay, marked stale (no record:
   * nothing to mark; only while the region is audited, as saveAudit).
   */
  abstract markFailed(vimId: string, at: number): Promise<void>;
  abstract dropRegion(vimId: string): Promise<void>;
}
