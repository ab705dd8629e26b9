import { AuditRecord } from '../../domain/capacity-freshness';
import { ZoneCapacity } from '../../domain/az-capacity';

/**
 * Per-zone capacity of audited regions: the plugin's keys `cap_azlist_{vimid}` and
 * `cap_{vimid}_{zone}` for operators, and the per-host audit record capacity_check reads
 * (24 h TTL, shared by every replica on one store).
 */
export abstract class CapacityStorePort {
  /** A good audit: replaces the region's zones (zones gone from the cloud are dropped) and its record. */
  abstract saveAudit(vimId: string, zones: ZoneCapacity[], record: AuditRecord): Promise<void>;
  abstract readAudit(vimId: string): Promise<AuditRecord | undefined>;
  /** A failed or malformed audit: the previous figures stay, marked stale (no record: nothing to mark). */
  abstract markFailed(vimId: string, at: number): Promise<void>;
  abstract dropRegion(vimId: string): Promise<void>;
}
