import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const FIXTURES = join(__dirname, '..', 'fixtures', 'openstack');

export function fixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as T;
}

export type Json = Record<string, any>;

/** What one openstack region of the double serves. */
export interface RegionData {
  flavors: Json[];
  extraSpecs: Record<string, Record<string, string>>;
  images: Json[];
  /** Projects a `shared` image is shared with (Glance image members, accepted), by image id. */
  imageMembers?: Record<string, string[]>;
  zones: Json[];
  /** Nova's compute services (`/os-services`); absent: derived from `zones` (nova-inventory.ts). */
  services?: Json[];
  /** A derived nova-compute's status, state and disabled_reason, by host (a locked or down host). */
  hostStates?: Record<string, Json>;
  /** Nova's host aggregates (`/os-aggregates`); absent: derived from `zones`. */
  aggregates?: Json[];
  /** Projects with access to a private flavor (`os-flavor-access`), by flavor id. */
  flavorAccess?: Record<string, string[]>;
  hypervisors: Json[];
  computeLimits: Json;
  /** undefined: the catalog has no volume service in this region. */
  volumeLimits?: Json;
  /** undefined: not StarlingX (no `platform` service in the catalog). */
  isystem?: Json;
  /** undefined: no `placement` service in the catalog (the audit reads hypervisors). */
  placement?: ResourceProvider[];
  /** undefined: no `orchestration` (Heat) nor `network` (Neutron) in the catalog (heat-double.ts). */
  heat?: import('./heat-double').HeatCloud;
}

/** A Placement resource provider: what GET /resource_providers, /inventories and /usages serve. */
export interface ResourceProvider {
  uuid: string;
  name: string;
  /** Bumped by Placement on every inventory or allocation change (see `allocate`). */
  generation: number;
  parentProviderUuid: string | null;
  inventories: Record<string, { total: number; reserved: number; min_unit: number; max_unit: number; step_size: number; allocation_ratio: number }>;
  usages: Record<string, number>;
  /** Placement aggregates (uuids): GET /resource_providers/{uuid}/aggregates (1.1+), `member_of` (1.3+). */
  aggregates?: string[];
  /** GET /resource_providers/{uuid}/traits (1.6+), `required` (1.18+). */
  traits?: string[];
}

export interface CloudData {
  users: Array<{ name: string; password: string; domain: string }>;
  /** A user's role names per project id (Keystone role assignments); absent: `admin` everywhere. */
  rolesOf?: Record<string, Record<string, string[]>>;
  projects: Array<{ id: string; name: string; domain: string }>;
  /** What GET /v3/regions lists. */
  regionIds: string[];
  /** Services per region; a listed region without data has no endpoints. */
  regions: Record<string, RegionData>;
  /** Regions a user's token catalog lists (Keystone endpoint filtering); absent: all. */
  catalogRegionsOf?: Record<string, string[]>;
  /** Per region: the origin (scheme://host:port) its Nova endpoint is on, when not this double's own. */
  computeOriginOf?: Record<string, string>;
  /** StarlingX dcmanager on the SystemController region (GET /v1.0/subclouds); absent: no dcmanager in the catalog. */
  dcmanager?: { subclouds: Json[] };
}

/** The admin project of keystone-v3-projects-list.json. */
export const ADMIN_PROJECT_ID = '0c4e939acacf4376bdcd1129f1a054ad';
/** The `onap.*` flavor of the HPA tutorial (nova flavor-key onap.hpa.medium set …). */
export const HPA_MEDIUM_ID = '110';
/** An `onap.*` flavor carrying every remaining HPA feature of SPEC section 4. */
export const HPA_ALL_ID = '111';

export function defaultRegion(): RegionData {
  const flavors: Json[] = fixture('nova-flavors-detail-v2.1.json').flavors;
  flavors.push(
    {
      'OS-FLV-DISABLED:disabled': false,
      disk: 0,
      'OS-FLV-EXT-DATA:ephemeral': 0,
      'os-flavor-access:is_public': true,
      id: HPA_MEDIUM_ID,
      links: [{ href: `http://openstack.example.com/v2.1/flavors/${HPA_MEDIUM_ID}`, rel: 'self' }],
      name: 'onap.hpa.medium',
      ram: 4096,
      swap: '',
      vcpus: 6,
      rxtx_factor: 1.0,
    },
    {
      'OS-FLV-DISABLED:disabled': false,
      disk: 40,
      'OS-FLV-EXT-DATA:ephemeral': 10,
      'os-flavor-access:is_public': false,
      id: HPA_ALL_ID,
      links: [],
      name: 'onap.hpa.all',
      ram: 8192,
      swap: 1024,
      vcpus: 8,
      rxtx_factor: 1.0,
    },
  );
  const specsOf: Record<string, Record<string, string>> = {};
  for (const flavor of flavors) specsOf[flavor.id] = fixture('nova-flavor-os-extra_specs-list.json').extra_specs;
  specsOf[HPA_MEDIUM_ID] = fixture('nova-flavor-os-extra_specs-onap-hpa.DERIVED.json').extra_specs;
  specsOf[HPA_ALL_ID] = {
    'hw:mem_page_size': '1048576',
    'hw:capabilities:cpu_info:features': 'avx,avx2,sse4.2',
    'pci_passthrough:alias': 'pci-alias-Intel64-8086-0443:2',
    'aggregate_instance_extra_specs:sriov_nic': 'sriov-nic-Intel64-8086-154C-phys-net-1:4',
  };

  const images: Json[] = fixture('glance-v2-images-list.json').images;
  images.push({
    ...fixture('glance-v2-image-show.json'),
    id: '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9',
    name: 'ubuntu-18.04-vnf',
    self: '/v2/images/0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9',
    os_distro: 'ubuntu',
    os_version: '18.04',
    application: 'vFW',
    application_vendor: 'ONAP',
    application_version: '1.0',
    architecture: 'x86_64',
  });

  const zones: Json[] = fixture('nova-os-availability-zone-detail.json').availabilityZoneInfo;
  zones.push({
    zoneName: 'az2',
    zoneState: { available: true },
    hosts: {
      'compute-1': { 'nova-compute': { active: true, available: true, updated_at: null } },
      'compute-2': { 'nova-compute': { active: true, available: true, updated_at: null } },
    },
  });

  const sample = fixture('nova-hypervisors-detail-v2.1.json').hypervisors[0];
  const hypervisors: Json[] = [
    // Nova's sample: service host "compute" (the nova zone's host), hostname "fake-mini".
    { ...sample, id: 1, service: { ...sample.service, host: 'compute' } },
    hypervisor(2, 'compute-1', 'compute-1.example.com', { vcpus: 16, vcpus_used: 4, memory_mb: 65536, free_ram_mb: 49152, local_gb: 500, free_disk_gb: 400 }),
    // Found only through hypervisor_hostname (the service host differs).
    hypervisor(3, 'svc-compute-2', 'compute-2', { vcpus: 32, vcpus_used: 8, memory_mb: 131072, free_ram_mb: 98304, local_gb: 1000, free_disk_gb: 900 }),
  ];

  return {
    flavors,
    // The private onap.hpa.all is shared with the admin project, as `openstack flavor set --project admin` does.
    flavorAccess: { [HPA_ALL_ID]: [ADMIN_PROJECT_ID] },
    extraSpecs: specsOf,
    images,
    zones,
    hypervisors,
    computeLimits: fixture('nova-limits-v2.1.json').limits.absolute,
    volumeLimits: fixture('cinder-v3-limits.json').limits.absolute,
    isystem: fixture('starlingx-sysinv-v1-isystems-list.json').isystems[0],
  };
}

export function hypervisor(
  id: number,
  serviceHost: string,
  hostname: string,
  figures: { vcpus: number; vcpus_used: number; memory_mb: number; free_ram_mb: number; local_gb: number; free_disk_gb: number },
): Json {
  return {
    cpu_info: '{"arch": "x86_64", "model": "Nehalem", "vendor": "Intel", "features": ["pge"], "topology": {"cores": 1, "threads": 1, "sockets": 4}}',
    current_workload: 0,
    status: 'enabled',
    state: 'up',
    disk_available_least: 0,
    host_ip: `10.0.0.${id}`,
    hypervisor_hostname: hostname,
    hypervisor_type: 'QEMU',
    hypervisor_version: 2012000,
    id,
    local_gb_used: figures.local_gb - figures.free_disk_gb,
    memory_mb_used: figures.memory_mb - figures.free_ram_mb,
    running_vms: 0,
    service: { host: serviceHost, id: 100 + id, disabled_reason: null },
    ...figures,
  };
}

/**
 * Placement's view of the region's hypervisors, as Nova's resource tracker reports it:
 * one root provider per compute node, named by its hypervisor_hostname, VCPU / MEMORY_MB /
 * DISK_GB inventories (max_unit = total) and the usages of its instances.
 */
export function placementOf(region: RegionData, ratios: { VCPU?: number; MEMORY_MB?: number; DISK_GB?: number } = {}): ResourceProvider[] {
  return region.hypervisors.map((h, index) => {
    const inventory = (total: number, ratio: number) => ({ total, reserved: 0, min_unit: 1, max_unit: total, step_size: 1, allocation_ratio: ratio });
    return {
      uuid: providerUuid(index + 1),
      name: h.hypervisor_hostname,
      generation: 1,
      parentProviderUuid: null,
      inventories: {
        VCPU: inventory(h.vcpus, ratios.VCPU ?? 16),
        MEMORY_MB: inventory(h.memory_mb, ratios.MEMORY_MB ?? 1.5),
        DISK_GB: inventory(h.local_gb, ratios.DISK_GB ?? 1),
      },
      usages: { VCPU: h.vcpus_used, MEMORY_MB: h.memory_mb - h.free_ram_mb, DISK_GB: h.local_gb - h.free_disk_gb },
    };
  });
}

export function providerUuid(n: number): string {
  return `5c8a4f0e-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

/** As Placement does on an allocation change: new usages, next generation. */
export function allocate(provider: ResourceProvider, usages: Partial<Record<string, number>>): void {
  Object.assign(provider.usages, usages);
  provider.generation += 1;
}

/** As Placement does on an aggregates change at 1.19+ (what Nova's report client uses): next generation. */
export function setAggregates(provider: ResourceProvider, aggregates: string[]): void {
  provider.aggregates = aggregates;
  provider.generation += 1;
}

/**
 * Dedicated cores as Nova (Train+) reports them for `[compute] cpu_dedicated_set`: a PCPU
 * inventory beside VCPU, allocation_ratio 1.0 (PCPU is never overcommitted).
 */
export function addPcpu(provider: ResourceProvider, total: number, used = 0): void {
  provider.inventories.PCPU = { total, reserved: 0, min_unit: 1, max_unit: total, step_size: 1, allocation_ratio: 1 };
  provider.usages.PCPU = used;
}

/**
 * A shared storage pool (Ceph) as a sharing provider: a root provider with DISK_GB only,
 * the trait MISC_SHARES_VIA_AGGREGATE, in `aggregate`; the compute nodes that may use it
 * are in the same aggregate (see `setAggregates`).
 */
export function sharingProvider(n: number, name: string, aggregate: string, disk: { total: number; used: number }): ResourceProvider {
  return {
    uuid: providerUuid(n),
    name,
    generation: 1,
    parentProviderUuid: null,
    inventories: { DISK_GB: { total: disk.total, reserved: 0, min_unit: 1, max_unit: disk.total, step_size: 1, allocation_ratio: 1 } },
    usages: { DISK_GB: disk.used },
    aggregates: [aggregate],
    traits: ['MISC_SHARES_VIA_AGGREGATE'],
  };
}

/** As Placement does on an inventory change (e.g. a new allocation ratio or reserved amount). */
export function setInventory(provider: ResourceProvider, resourceClass: string, change: Partial<ResourceProvider['inventories'][string]>): void {
  Object.assign(provider.inventories[resourceClass], change);
  provider.generation += 1;
}

export function defaultCloud(): CloudData {
  const projects = fixture('keystone-v3-projects-list.json').projects.map((p: Json) => ({
    id: p.id,
    name: p.name,
    domain: p.domain_id === 'default' ? 'Default' : p.domain_id,
  }));
  return {
    users: [{ name: 'admin', password: 'os-secret-password', domain: 'Default' }],
    projects,
    regionIds: ['RegionOne'],
    regions: { RegionOne: defaultRegion() },
  };
}

/** A StarlingX distributed cloud: the central region, SystemController and subclouds. */
export function distributedCloud(subclouds: string[]): CloudData {
  const cloud = defaultCloud();
  cloud.regionIds = ['RegionOne', 'SystemController', ...subclouds];
  cloud.regions = { RegionOne: defaultRegion(), SystemController: defaultRegion() };
  subclouds.forEach((id, index) => {
    const region = defaultRegion();
    region.flavors = region.flavors.filter((f) => f.name.startsWith('onap.') || f.id === '1');
    region.zones = region.zones.map((zone) => (zone.zoneName === 'internal' ? zone : { ...zone, zoneName: `${zone.zoneName}-sc${index + 1}` }));
    cloud.regions[id] = region;
  });
  return cloud;
}

/**
 * dcmanager's subclouds of `regionIds` (subcloud{i+1}, managed, online, shaped on the
 * reference list); `byName`: an older release without `region-name`.
 */
export function dcmanagerSubclouds(regionIds: string[], byName = false): { subclouds: Json[] } {
  const [template] = fixture('starlingx-dcmanager-v1.0-subclouds-list.json').subclouds;
  return {
    subclouds: regionIds.map((region, index) => {
      const subcloud: Json = { ...template, id: index + 1, subcloud_id: index + 1, name: byName ? region : `subcloud${index + 1}` };
      if (byName) delete subcloud['region-name'];
      else subcloud['region-name'] = region;
      return { ...subcloud, 'management-state': 'managed', 'availability-status': 'online', 'deploy-status': 'complete' };
    }),
  };
}
