import { ZoneCapacity, ZoneFigures } from '../../domain/az-capacity';

/**
 * Per-zone capacity of audited regions, under the plugin's keys
 * `cap_azlist_{vimid}` and `cap_{vimid}_{zone}` (24 h TTL).
 */
export abstract class CapacityStorePort {
  /**
   * Replaces the region's zones (zones gone from the cloud are dropped), in one atomic
   * step, only while the region is audited; false (nothing written) once it is not.
   */
  abstract saveZones(vimId: string, zones: ZoneCapacity[]): Promise<boolean>;
  abstract readZones(vimId: string): Promise<Array<{ zone: string; figures: ZoneFigures }>>;
  abstract dropRegion(vimId: string): Promise<void>;
}
