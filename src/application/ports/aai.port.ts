import { AaiObject } from '../../domain/aai-object';
import { AaiCloudRegion } from '../../domain/cloud-region';
import { VimId } from '../../domain/vim-id';

/** The objects that live under a cloud region and are written one by one. */
export type RegionChildKind = 'tenant' | 'flavor' | 'image' | 'availability-zone' | 'snapshot';

/**
 * A&AI, narrowed to what registration and de-registration do. A missing object (404)
 * reads as undefined, an empty collection as []. Every method throws RemoteCallError
 * on failure.
 *
 * Writes are optimistic: a save takes what the caller wants and what A&AI `held` when
 * it last read (undefined: nothing), PUTs the wanted properties merged over the held
 * ones with the held resource-version, and on a 412 (the version went stale) reads the
 * object again and retries, a bounded number of times. A delete carries the held
 * resource-version; without a held object it reads the version first, and a 412 reads
 * it again (bounded). A missing object counts as deleted.
 */
export abstract class AaiPort {
  abstract getCloudRegion(vimId: VimId, depth: '0' | 'all'): Promise<AaiObject | undefined>;
  /** The region (depth 0) with its esr-system-info list, as a registration reads and writes it. */
  abstract readCloudRegion(vimId: VimId): Promise<AaiCloudRegion | undefined>;
  abstract saveCloudRegion(vimId: VimId, wanted: AaiObject, held: AaiCloudRegion | undefined): Promise<void>;
  abstract deleteCloudRegion(vimId: VimId): Promise<void>;

  /** Every child of a kind, with its own children (depth=all). */
  abstract listRegionChildren(vimId: VimId, kind: RegionChildKind): Promise<AaiObject[]>;
  abstract getRegionChild(vimId: VimId, kind: RegionChildKind, id: string): Promise<AaiObject | undefined>;
  abstract saveRegionChild(
    vimId: VimId,
    kind: RegionChildKind,
    id: string,
    wanted: AaiObject,
    held: AaiObject | undefined,
  ): Promise<void>;
  abstract deleteRegionChild(vimId: VimId, kind: RegionChildKind, id: string, held: AaiObject | undefined): Promise<void>;

  /** Nested objects deleted with the version held, never re-read: their 412 is reported. */
  abstract deleteFlavorHpaCapability(vimId: VimId, flavorId: string, held: AaiObject): Promise<void>;
  abstract deleteVserver(vimId: VimId, tenantId: string, held: AaiObject): Promise<void>;
  abstract deleteLInterface(vimId: VimId, tenantId: string, vserverId: string, held: AaiObject): Promise<void>;
  abstract deleteAvailabilityZoneRelationship(vimId: VimId, zone: string, relationship: AaiObject): Promise<void>;

  abstract getPserver(hostname: string): Promise<AaiObject | undefined>;
  /** A pserver created (nothing held) gets the create-only defaults too. */
  abstract savePserver(hostname: string, wanted: AaiObject, held: AaiObject | undefined): Promise<void>;
  abstract deletePserver(hostname: string): Promise<void>;
}
