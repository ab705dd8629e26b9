import { Subcloud } from '../../src/domain/subcloud';
import { CloudSession, OpenStackPort, SystemInfo } from '../../src/application/ports/openstack.port';
import { NovaAvailabilityZone, userZones, zoneHosts } from '../../src/domain/availability-zone';
import { NovaAggregate, NovaComputeService } from '../../src/domain/compute-service';
import { NovaHypervisor } from '../../src/domain/az-capacity';
import { AtGeneration, PlacementInventory, PlacementProvider } from '../../src/domain/host-capacity';
import { ComputeLimits, HypervisorStatistics, VolumeLimits } from '../../src/domain/capacity-demand';
import { NovaFlavor } from '../../src/domain/flavor';
import { GlanceImage } from '../../src/domain/image';
import { CloudProject } from '../../src/domain/tenant';
import { Listing, ListingProof, provenListing } from '../../src/domain/listing';
import { RemoteCallError } from '../../src/application/ports/remote-call.error';

/**
 * What a listing does instead of answering in full: `fail` throws (a call failed),
 * `403` throws a 403 (on projects: the token's own project, not authoritative, as the adapter answers), `partial` answers the first `keep` items with `proof` (a failed
 * page, a looping `next`, Keystone's `truncated`, a scoped token's view).
 */
export type ListingFault = { kind: 'fail' } | { kind: '403' } | { kind: 'partial'; keep: number; proof: ListingProof };
export type ListedResource = 'projects' | 'flavors' | 'images' | 'zones';

/** A small cloud in memory: one region, what each list answers is a field a test may change. */
export class FakeOpenStack extends OpenStackPort {
  signIn: () => Promise<CloudSession> = async () => ({ project: { id: 'p-admin', name: 'admin' } });
  regions = ['RegionOne'];
  projects: CloudProject[] = [{ id: 'p-admin', name: 'admin' }];
  flavors: NovaFlavor[] = [{ id: 'f1', name: 'm1.small', vcpus: 1, ram: 2048, disk: 20 }];
  images: GlanceImage[] = [{ id: 'i1', name: 'cirros', self: '/v2/images/i1' }];
  zones: NovaAvailabilityZone[] = [{ zoneName: 'nova', zoneState: { available: true }, hosts: { compute1: {} } }];
  hypervisors: NovaHypervisor[] = [
    { hypervisor_hostname: 'compute1', service: { host: 'compute1' }, vcpus: 8, vcpus_used: 2, memory_mb: 8192, free_ram_mb: 4096, local_gb: 100, free_disk_gb: 60 },
  ];
  /** Nova's compute services; undefined: one enabled and up per host of `zones`. */
  services?: NovaComputeService[];
  /** undefined: no Placement in the catalog. */
  placement?: Array<PlacementProvider & { inventories: Record<string, PlacementInventory>; usages: Record<string, number>; aggregates?: string[]; traits?: string[] }>;
  system?: SystemInfo;
  computeLimits: ComputeLimits = { maxTotalCores: 20, totalCoresUsed: 4, maxTotalRAMSize: 51200, totalRAMUsed: 4096 };
  statistics: HypervisorStatistics = { vcpus: 8, vcpus_used: 2, free_ram_mb: 4096, free_disk_gb: 60 };
  volumeLimits?: VolumeLimits = { maxTotalVolumeGigabytes: 1000, totalGigabytesUsed: 100 };

  authenticate(): Promise<CloudSession> {
    return this.signIn();
  }
  async listRegions(): Promise<string[]> {
    return this.regions;
  }
  /** Faults of the next listings, by resource (cleared by the test). */
  faults: Partial<Record<ListedResource, ListingFault>> = {};
  private listing<T>(resource: ListedResource, items: T[]): Listing<T> {
    const fault = this.faults[resource];
    if (!fault) return provenListing(items);
    if (fault.kind === 'fail') throw new RemoteCallError('Nova', `GET /${resource}`, undefined, 'connection reset');
    if (fault.kind === '403') throw new RemoteCallError('Keystone', `GET /${resource}`, 403);
    return { items: items.slice(0, fault.keep), proof: fault.proof };
  }
  /** As the adapter does: Keystone's 403 on /projects reads as the token's own project, not authoritative. */
  async listProjects(session: CloudSession): Promise<Listing<CloudProject>> {
    if (this.faults.projects?.kind === '403') {
      return {
        items: [session.project],
        proof: { complete: true, authoritative: false, reason: "listing not authoritative: Keystone /projects answered 403, tenants from the token's own project" },
      };
    }
    return this.listing('projects', this.projects);
  }
  async listFlavors(): Promise<Listing<NovaFlavor>> {
    return this.listing('flavors', this.flavors);
  }
  async getFlavorExtraSpecs(): Promise<Record<string, string>> {
    return {};
  }
  async listImages(): Promise<Listing<GlanceImage>> {
    return this.listing('images', this.images);
  }
  /** Aggregates derived from `zones` unless a test sets them. */
  aggregates?: NovaAggregate[];
  async listAggregates(): Promise<NovaAggregate[]> {
    return this.aggregates ?? this.zones.map((z, i) => ({ id: i + 1, name: z.zoneName, availability_zone: z.zoneName, hosts: Object.keys(z.hosts ?? {}) }));
  }
  async listHypervisors(): Promise<NovaHypervisor[]> {
    return this.hypervisors;
  }
  /** The `zones` fault applies here: the zones and their hosts come from the compute services. */
  async listComputeServices(): Promise<NovaComputeService[]> {
    if (this.services) return this.listing('zones', this.services).items;
    return this.listing(
      'zones',
      userZones(this.zones).flatMap((zone) => zoneHosts(zone).map((host) => ({ binary: 'nova-compute', host, zone: zone.zoneName, status: 'enabled', state: 'up' }))),
    ).items;
  }
  async listResourceProviders(): Promise<PlacementProvider[] | undefined> {
    return this.placement?.map(({ uuid, name, generation }) => ({ uuid, name, generation, parentProviderUuid: null }));
  }
  async getProviderAggregates(_s: CloudSession, _r: string, uuid: string): Promise<AtGeneration<string[]>> {
    const provider = this.placement!.find((p) => p.uuid === uuid)!;
    return { generation: provider.generation, value: provider.aggregates ?? [] };
  }
  async getProviderTraits(_s: CloudSession, _r: string, uuid: string): Promise<AtGeneration<string[]>> {
    const provider = this.placement!.find((p) => p.uuid === uuid)!;
    return { generation: provider.generation, value: provider.traits ?? [] };
  }
  async getProviderInventories(_s: CloudSession, _r: string, uuid: string): Promise<AtGeneration<Record<string, PlacementInventory>>> {
    const provider = this.placement!.find((p) => p.uuid === uuid)!;
    return { generation: provider.generation, value: provider.inventories };
  }
  async getProviderUsages(_s: CloudSession, _r: string, uuid: string): Promise<AtGeneration<Record<string, number>>> {
    const provider = this.placement!.find((p) => p.uuid === uuid)!;
    return { generation: provider.generation, value: provider.usages };
  }
  async getComputeLimits(): Promise<ComputeLimits> {
    return this.computeLimits;
  }
  async getHypervisorStatistics(): Promise<HypervisorStatistics> {
    return this.statistics;
  }
  async getVolumeLimits(): Promise<VolumeLimits | undefined> {
    return this.volumeLimits;
  }
  async getSystemInfo(): Promise<SystemInfo | undefined> {
    return this.system;
  }
  /** dcmanager's list; undefined: no dcmanager in the catalog. */
  subclouds?: Subcloud[];
  async listSubclouds(): Promise<Subcloud[] | undefined> {
    return this.subclouds;
  }
}
