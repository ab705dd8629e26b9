import { AaiObject } from '../../domain/aai-object';
import { AaiCloudRegion } from '../../domain/cloud-region';
import { RegionKind } from '../../domain/object-kinds';
import { VimId } from '../../domain/vim-id';

/**
 * One write of a reconcile, by A&AI path (`/cloud-infrastructure/…`): a create PUTs
 * `wanted`; an update PUTs `wanted` merged over `held` without any relationship-list
 * (with its resource-version; an update held without one reads the object first), so
 * edges others made stay; a delete carries `held`'s resource-version. `relate` and
 * `unrelate` PUT and DELETE the one relationship `wanted` on `uri`
 * (`…/relationship-list/relationship`).
 */
export interface AaiWrite {
  uri: string;
  action: 'create' | 'update' | 'delete' | 'relate' | 'unrelate';
  wanted?: AaiObject;
  held?: AaiObject;
  /** Written only on create (a pserver's in-maint). */
  createDefaults?: AaiObject;
  /**
   * A delete re-planned after a 412: what A&AI holds now, read again, may have to stay
   * (an edge someone added since the plan's read); the reason, or undefined to delete.
   */
  keep?: (current: AaiObject) => string | undefined;
}

/** How one write ended; a failed one names the status and A&AI's message; `kept`: a delete re-planned as kept. */
export type AaiWriteResult = { ok: true; kept?: string } | { ok: false; status?: number; message: string };

/**
 * A job's writer: batches of up to `batchSize` writes, each batch one A&AI
 * bulk/single-transaction (from schema v14, AAI_BULK_OPERATIONS > 0) or single-object
 * writes. A batch never throws: every write gets its result, in order. A&AI without
 * the bulk API (404/405) turns the writer to single writes for the rest of the job.
 */
export interface AaiWriter {
  readonly batchSize: number;
  write(batch: AaiWrite[]): Promise<AaiWriteResult[]>;
}

/** The objects that live under a cloud region and are written one by one: the registration's kinds, and snapshots (de-registration deletes them). */
export type RegionChildKind = RegionKind | 'snapshot';

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
  /** depth 1: with its direct children (what else lives in a region). */
  abstract getCloudRegion(vimId: VimId, depth: '0' | '1' | 'all'): Promise<AaiObject | undefined>;
  /** The region (depth 0) with its esr-system-info list, as a registration reads and writes it. */
  abstract readCloudRegion(vimId: VimId): Promise<AaiCloudRegion | undefined>;
  abstract saveCloudRegion(vimId: VimId, wanted: AaiObject, held: AaiCloudRegion | undefined): Promise<void>;
  abstract deleteCloudRegion(vimId: VimId): Promise<void>;

  /** Every child of a kind, with its own children (depth=all). */
  abstract listRegionChildren(vimId: VimId, kind: RegionChildKind): Promise<AaiObject[]>;
  abstract getRegionChild(vimId: VimId, kind: RegionChildKind, id: string): Promise<AaiObject | undefined>;
  abstract saveRegionChild(vimId: VimId, kind: RegionChildKind, id: string, wanted: AaiObject, held: AaiObject | undefined): Promise<void>;
  abstract deleteRegionChild(vimId: VimId, kind: RegionChildKind, id: string, held: AaiObject | undefined): Promise<void>;

  /** A vserver under a tenant with its l-interfaces (depth=all); undefined when A&AI has none. */
  abstract getVserver(vimId: VimId, tenantId: string, vserverId: string): Promise<AaiObject | undefined>;

  /** Nested objects deleted with the version held, never re-read: their 412 is reported. */
  abstract deleteFlavorHpaCapability(vimId: VimId, flavorId: string, held: AaiObject): Promise<void>;
  abstract deleteVserver(vimId: VimId, tenantId: string, held: AaiObject): Promise<void>;
  abstract deleteLInterface(vimId: VimId, tenantId: string, vserverId: string, held: AaiObject): Promise<void>;
  abstract deleteAvailabilityZoneRelationship(vimId: VimId, zone: string, relationship: AaiObject): Promise<void>;

  /** A writer for one job (its bulk fallback lasts as long as the job). */
  abstract writer(): AaiWriter;
  /** The cloud regions of an owner (depth 0), to find the subcloud regions a registration composed. */
  abstract listCloudRegions(cloudOwner: string): Promise<AaiObject[]>;

  abstract getPserver(hostname: string): Promise<AaiObject | undefined>;
  /** A pserver created (nothing held) gets the create-only defaults too. */
  abstract savePserver(hostname: string, wanted: AaiObject, held: AaiObject | undefined): Promise<void>;
  abstract deletePserver(hostname: string): Promise<void>;
}
