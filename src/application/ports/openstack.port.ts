import { NovaAggregate, NovaComputeService } from '../../domain/compute-service';
import { NovaHypervisor } from '../../domain/az-capacity';
import { AtGeneration, PlacementInventory, PlacementProvider } from '../../domain/host-capacity';
import { ComputeLimits, HypervisorStatistics, VolumeLimits } from '../../domain/capacity-demand';
import { CloudAccess } from '../../domain/cloud-region';
import { NovaFlavor } from '../../domain/flavor';
import { ExtraSpecs } from '../../domain/hpa-capabilities';
import { GlanceImage } from '../../domain/image';
import { Subcloud } from '../../domain/subcloud';
import { Listing } from '../../domain/listing';
import { CloudProject } from '../../domain/tenant';

/** A Keystone-authenticated session; what else it holds is the adapter's business. */
export interface CloudSession {
  /** The project the token is scoped to. */
  readonly project: CloudProject;
}

/** Scope a session to a project by id, or by name (in the user's domain). */
export type ProjectScope = { projectId: string } | { projectName: string };

/** The StarlingX system (sysinv /isystems), as cloud-extra-info `isystem` records it. */
export interface SystemInfo {
  software_version?: string;
  system_mode?: string;
  system_type?: string;
}

/**
 * The OpenStack / StarlingX APIs the service reads. Calls other than identity go to
 * the session catalog's public endpoint in `openstackRegionId`.
 * Every method throws RemoteCallError on failure.
 */
export abstract class OpenStackPort {
  abstract authenticate(access: CloudAccess, scope: ProjectScope): Promise<CloudSession>;
  /** Identity regions; a Keystone without a regions API (v2.0) gives []. */
  abstract listRegions(session: CloudSession): Promise<string[]>;
  /** Listings a registration prunes by carry their proof (SPEC 7): complete and authoritative, or why not. */
  abstract listProjects(session: CloudSession): Promise<Listing<CloudProject>>;
  /** Listed with `is_public=None`: an admin sees private flavors too. */
  abstract listFlavors(session: CloudSession, openstackRegionId: string): Promise<Listing<NovaFlavor>>;
  abstract getFlavorExtraSpecs(session: CloudSession, openstackRegionId: string, flavorId: string): Promise<ExtraSpecs>;
  abstract listImages(session: CloudSession, openstackRegionId: string): Promise<Listing<GlanceImage>>;
  /** Nova compute services (`/os-services?binary=nova-compute`), disabled and down ones included. */
  abstract listComputeServices(session: CloudSession, openstackRegionId: string): Promise<NovaComputeService[]>;
  /** Nova host aggregates (`/os-aggregates`): the zones with their hosts, disabled hosts included. */
  abstract listAggregates(session: CloudSession, openstackRegionId: string): Promise<NovaAggregate[]>;
  abstract listHypervisors(session: CloudSession, openstackRegionId: string): Promise<NovaHypervisor[]>;
  /** Placement's resource providers; undefined when the catalog has no `placement` in that openstackRegionId. */
  abstract listResourceProviders(session: CloudSession, openstackRegionId: string): Promise<PlacementProvider[] | undefined>;
  abstract getProviderInventories(session: CloudSession, openstackRegionId: string, uuid: string): Promise<AtGeneration<Record<string, PlacementInventory>>>;
  abstract getProviderUsages(session: CloudSession, openstackRegionId: string, uuid: string): Promise<AtGeneration<Record<string, number>>>;
  /** A provider's Placement aggregates (uuids), at the generation they were read. */
  abstract getProviderAggregates(session: CloudSession, openstackRegionId: string, uuid: string): Promise<AtGeneration<string[]>>;
  /** A provider's traits, at the generation they were read. */
  abstract getProviderTraits(session: CloudSession, openstackRegionId: string, uuid: string): Promise<AtGeneration<string[]>>;
  abstract getComputeLimits(session: CloudSession, openstackRegionId: string): Promise<ComputeLimits>;
  abstract getHypervisorStatistics(session: CloudSession, openstackRegionId: string): Promise<HypervisorStatistics>;
  /** undefined when the catalog has no volume service in that region. */
  abstract getVolumeLimits(session: CloudSession, openstackRegionId: string): Promise<VolumeLimits | undefined>;
  /** undefined when the cloud reports no system (not StarlingX: no `platform` service). */
  abstract getSystemInfo(session: CloudSession, openstackRegionId: string): Promise<SystemInfo | undefined>;
  /**
   * dcmanager's subclouds (`GET /v1.0/subclouds`); undefined when the SystemController
   * region's catalog has no `dcmanager` (the catalog is not refreshed to look for it).
   */
  abstract listSubclouds(session: CloudSession): Promise<Subcloud[] | undefined>;
}
