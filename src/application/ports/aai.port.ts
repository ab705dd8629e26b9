import { AaiObject } from '../../domain/aai-object';
import { VimId } from '../../domain/vim-id';

/** The objects that live under a cloud region and are written one by one. */
export type RegionChildKind = 'tenant' | 'flavor' | 'image' | 'availability-zone' | 'snapshot';

/**
 * A&AI, narrowed to what registration and unregistration do. A missing object (404)
 * reads as undefined, an empty collection as []. Writes carry the resource-version the
 * caller put in the body (PUT) or passed (DELETE); A&AI answers 412 when it is stale.
 * Every method throws RemoteCallError on failure.
 */
export abstract class AaiPort {
  abstract getCloudRegion(vimId: VimId, depth: '0' | 'all'): Promise<AaiObject | undefined>;
  abstract getEsrSystemInfoList(vimId: VimId): Promise<AaiObject[]>;
  abstract putCloudRegion(vimId: VimId, body: AaiObject): Promise<void>;
  abstract deleteCloudRegion(vimId: VimId, resourceVersion: string): Promise<void>;

  /** Every child of a kind, with its own children (depth=all). */
  abstract listRegionChildren(vimId: VimId, kind: RegionChildKind): Promise<AaiObject[]>;
  abstract getRegionChild(vimId: VimId, kind: RegionChildKind, id: string): Promise<AaiObject | undefined>;
  abstract putRegionChild(vimId: VimId, kind: RegionChildKind, id: string, body: AaiObject): Promise<void>;
  abstract deleteRegionChild(
    vimId: VimId,
    kind: RegionChildKind,
    id: string,
    resourceVersion: string,
  ): Promise<void>;

  abstract deleteFlavorHpaCapability(
    vimId: VimId,
    flavorId: string,
    capabilityId: string,
    resourceVersion: string,
  ): Promise<void>;
  abstract deleteVserver(vimId: VimId, tenantId: string, vserverId: string, resourceVersion: string): Promise<void>;
  abstract deleteLInterface(
    vimId: VimId,
    tenantId: string,
    vserverId: string,
    interfaceName: string,
    resourceVersion: string,
  ): Promise<void>;
  abstract deleteAvailabilityZoneRelationship(vimId: VimId, zone: string, relationship: AaiObject): Promise<void>;

  abstract getPserver(hostname: string): Promise<AaiObject | undefined>;
  abstract putPserver(hostname: string, body: AaiObject): Promise<void>;
  abstract deletePserver(hostname: string, resourceVersion: string): Promise<void>;
}
