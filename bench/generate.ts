import { CloudData, Json, RegionData, defaultRegion, fixture, hypervisor } from '../test/servers/openstack-data';

export interface RegionShape {
  flavors: number;
  /** How many of the flavors are `onap.*` (with HPA extra specs). */
  onapFlavors: number;
  images: number;
  zones: number;
  hosts: number;
  /** `host`: each host's node (hypervisor, resource provider) named after the host, as StarlingX names them; `fqdn` (default): `{host}.example.com`. */
  nodeNames?: 'host' | 'fqdn';
}

const ONAP_SPECS: Record<string, string> = {
  ...fixture('nova-flavor-os-extra_specs-onap-hpa.DERIVED.json').extra_specs,
  'hw:capabilities:cpu_info:features': 'avx,avx2,sse4.2',
  'pci_passthrough:alias': 'pci-alias-Intel64-8086-0443:2',
  'aggregate_instance_extra_specs:sriov_nic': 'sriov-nic-Intel64-8086-154C-phys-net-1:4',
};

/** A region of the given size, shaped like Nova 2.1 / Glance v2 answers. */
export function generatedRegion(shape: RegionShape): RegionData {
  const region = defaultRegion();
  const template = region.flavors[0];
  region.flavors = [];
  region.extraSpecs = {};
  for (let i = 0; i < shape.flavors; i += 1) {
    const id = `fl-${String(i).padStart(5, '0')}`;
    const onap = i < shape.onapFlavors;
    region.flavors.push({
      ...template,
      id,
      name: onap ? `onap.bench.${i}` : `bench.m${i}`,
      vcpus: 1 + (i % 16),
      ram: 512 * (1 + (i % 32)),
      disk: 10 * (i % 8),
      links: [{ href: `http://nova.example.com/v2.1/flavors/${id}`, rel: 'self' }],
    });
    region.extraSpecs[id] = onap ? { ...ONAP_SPECS, 'hw:cpu_sockets': String(1 + (i % 2)) } : { 'hw:cpu_policy': 'shared' };
  }
  const image = region.images[0];
  region.images = Array.from({ length: shape.images }, (_, i) => {
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    return { ...image, id, name: `bench-image-${i}`, self: `/v2/images/${id}` };
  });
  const internal = region.zones.find((zone) => zone.zoneName === 'internal')!;
  region.zones = [internal];
  region.hypervisors = [];
  for (let z = 0; z < shape.zones; z += 1) {
    region.zones.push({ zoneName: `az-${String(z + 1).padStart(2, '0')}`, zoneState: { available: true }, hosts: {} as Json });
  }
  for (let h = 0; h < shape.hosts; h += 1) {
    const host = `compute-${String(h).padStart(4, '0')}`;
    region.zones[1 + (h % shape.zones)].hosts[host] = { 'nova-compute': { active: true, available: true, updated_at: null } };
    region.hypervisors.push(
      hypervisor(h + 1, host, shape.nodeNames === 'host' ? host : `${host}.example.com`, {
        vcpus: 64,
        vcpus_used: h % 64,
        memory_mb: 262144,
        free_ram_mb: 262144 - 1024 * (h % 64),
        local_gb: 2000,
        free_disk_gb: 2000 - 10 * (h % 64),
      }),
    );
  }
  return region;
}

export function generatedProjects(count: number): CloudData['projects'] {
  return Array.from({ length: count }, (_, i) => ({
    id: i === 0 ? 'admin-project-id' : `project-${String(i).padStart(4, '0')}`,
    name: i === 0 ? 'admin' : `project-${i}`,
    domain: 'Default',
  }));
}
