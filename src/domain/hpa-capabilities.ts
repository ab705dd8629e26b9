import { createHash } from 'node:crypto';

import { AaiObject } from './aai-object';

/** The Nova flavor fields HPA derivation reads. */
export interface HpaFlavor {
  id: string;
  vcpus?: number;
  ram?: number;
  disk?: number;
  swap?: number | string;
  ephemeral?: number;
}

export type ExtraSpecs = Record<string, string>;

type Attribute = { key: string; value: string | number; unit?: string };
type Feature = { feature: string; architecture: string; attributes: Attribute[] };

/**
 * The hpa-capabilities of an `onap.*` flavor (SPEC section 4), in table order.
 * Ids are derived from the flavor id and the feature, so registering again writes
 * the same objects.
 */
export function deriveHpaCapabilities(flavor: HpaFlavor, specs: ExtraSpecs): AaiObject[] {
  const features = [
    basicCapabilities(flavor),
    cpuPinning(specs),
    cpuTopology(specs),
    hugePages(specs),
    numa(specs),
    localStorage(flavor),
    instructionSetExtensions(specs),
    pciePassthrough(specs),
    sriovNicNetwork(specs),
    ovsDpdk(),
  ].filter((feature): feature is Feature => feature !== undefined);
  return features.map((feature) => toAai(flavor.id, feature));
}

/** A stable UUID (RFC 4122 v5 layout over SHA-1) for one feature of one flavor. */
export function hpaCapabilityId(flavorId: string, feature: string): string {
  const hash = createHash('sha1').update(`onap-hpa:${flavorId}:${feature}`).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function toAai(flavorId: string, { feature, architecture, attributes }: Feature): AaiObject {
  return {
    'hpa-capability-id': hpaCapabilityId(flavorId, feature),
    'hpa-feature': feature,
    architecture,
    'hpa-version': 'v1',
    'hpa-feature-attributes': attributes.map(({ key, value, unit }) => ({
      'hpa-attribute-key': key,
      'hpa-attribute-value': JSON.stringify(
        unit === undefined ? { value: String(value) } : { value: String(value), unit },
      ),
    })),
  };
}

function has(specs: ExtraSpecs, key: string): boolean {
  return specs[key] !== undefined && specs[key] !== null;
}

function basicCapabilities(flavor: HpaFlavor): Feature {
  return {
    feature: 'basicCapabilities',
    architecture: 'generic',
    attributes: [
      { key: 'numVirtualCpu', value: flavor.vcpus ?? 0 },
      { key: 'virtualMemSize', value: flavor.ram ?? 0, unit: 'MB' },
    ],
  };
}

function cpuPinning(specs: ExtraSpecs): Feature | undefined {
  if (!has(specs, 'hw:cpu_policy') && !has(specs, 'hw:cpu_thread_policy')) return undefined;
  const attributes: Attribute[] = [];
  if (has(specs, 'hw:cpu_thread_policy')) {
    attributes.push({ key: 'logicalCpuThreadPinningPolicy', value: specs['hw:cpu_thread_policy'] });
  }
  if (has(specs, 'hw:cpu_policy')) {
    attributes.push({ key: 'logicalCpuPinningPolicy', value: specs['hw:cpu_policy'] });
  }
  return { feature: 'cpuPinning', architecture: 'generic', attributes };
}

function cpuTopology(specs: ExtraSpecs): Feature | undefined {
  const keys: Array<[string, string]> = [
    ['hw:cpu_sockets', 'numCpuSockets'],
    ['hw:cpu_cores', 'numCpuCores'],
    ['hw:cpu_threads', 'numCpuThreads'],
  ];
  const attributes = keys
    .filter(([spec]) => has(specs, spec))
    .map(([spec, key]) => ({ key, value: specs[spec] }));
  return attributes.length ? { feature: 'cpuTopology', architecture: 'generic', attributes } : undefined;
}

function hugePages(specs: ExtraSpecs): Feature | undefined {
  if (!has(specs, 'hw:mem_page_size')) return undefined;
  const size = String(specs['hw:mem_page_size']).trim();
  const attributes: Attribute[] =
    size === 'large'
      ? [{ key: 'memoryPageSize', value: 2, unit: 'MB' }]
      : size === 'small'
        ? [{ key: 'memoryPageSize', value: 4, unit: 'KB' }]
        : size === 'any'
          ? []
          : [{ key: 'memoryPageSize', value: size, unit: 'KB' }];
  return { feature: 'hugePages', architecture: 'generic', attributes };
}

function numa(specs: ExtraSpecs): Feature | undefined {
  if (!has(specs, 'hw:numa_nodes')) return undefined;
  const nodes = specs['hw:numa_nodes'] || '0';
  const attributes: Attribute[] = [{ key: 'numaNodes', value: nodes }];
  const count = Number.parseInt(nodes, 10);
  for (let i = 0; Number.isFinite(count) && i < count; i += 1) {
    const cpus = specs[`hw:numa_cpus.${i}`];
    const mem = specs[`hw:numa_mem.${i}`];
    if (cpus !== undefined && mem !== undefined) {
      attributes.push({ key: `numaCpu-${i}`, value: cpus });
      attributes.push({ key: `numaMem-${i}`, value: mem, unit: 'MB' });
    }
  }
  return { feature: 'numa', architecture: 'generic', attributes };
}

function localStorage(flavor: HpaFlavor): Feature {
  return {
    feature: 'localStorage',
    architecture: 'generic',
    attributes: [
      { key: 'diskSize', value: flavor.disk || 0, unit: 'GB' },
      { key: 'swapMemSize', value: flavor.swap || 0, unit: 'MB' },
      { key: 'ephemeralDiskSize', value: flavor.ephemeral || 0, unit: 'GB' },
    ],
  };
}

function instructionSetExtensions(specs: ExtraSpecs): Feature | undefined {
  const features = specs['hw:capabilities:cpu_info:features'];
  if (features === undefined || features === null) return undefined;
  return {
    feature: 'instructionSetExtensions',
    architecture: 'Intel64',
    attributes: [{ key: 'instructionSetExtensions', value: features }],
  };
}

/** `a-b-ARCH-VENDOR-DEVICE:COUNT`; a malformed alias gives no capability. */
function pciePassthrough(specs: ExtraSpecs): Feature | undefined {
  const parsed = parseDeviceSpec(specs['pci_passthrough:alias'], 5, false);
  if (!parsed) return undefined;
  const [, , arch, vendor, device] = parsed.fields;
  return pciDevice('pciePassthrough', arch, parsed.count, vendor, device);
}

/** `a-b-ARCH-VENDOR-DEVICE-PHYSNET:COUNT` (the physical network may contain '-'). */
function sriovNicNetwork(specs: ExtraSpecs): Feature | undefined {
  const parsed = parseDeviceSpec(specs['aggregate_instance_extra_specs:sriov_nic'], 6, true);
  if (!parsed) return undefined;
  const [, , arch, vendor, device, physnet] = parsed.fields;
  return pciDevice('sriovNICNetwork', arch, parsed.count, vendor, device, { key: 'physicalNetwork', value: physnet });
}

/** A PCI device feature: how many, which vendor and device, and what else it has. */
function pciDevice(
  feature: string,
  architecture: string,
  count: Attribute['value'],
  vendor: string,
  device: string,
  ...more: Attribute[]
): Feature {
  return {
    feature,
    architecture,
    attributes: [
      { key: 'pciCount', value: count },
      { key: 'pciVendorId', value: vendor },
      { key: 'pciDeviceId', value: device },
      ...more,
    ],
  };
}

function ovsDpdk(): Feature {
  return {
    feature: 'ovsDpdk',
    architecture: 'Intel64',
    attributes: [{ key: 'dataProcessingAccelerationLibrary', value: 'v17.02' }],
  };
}

/**
 * Splits `NAME:COUNT`, then NAME on '-' into at least `parts` fields; with `keepRest`
 * the last field keeps the remaining dashes (as Python's `split('-', parts - 1)`).
 */
function parseDeviceSpec(
  spec: string | undefined,
  parts: number,
  keepRest: boolean,
): { fields: string[]; count: string } | undefined {
  if (typeof spec !== 'string') return undefined;
  const colon = spec.indexOf(':');
  if (colon < 0) return undefined;
  const name = spec.slice(0, colon);
  const count = spec.slice(colon + 1).split(':')[0];
  const pieces = name.split('-');
  if (pieces.length < parts || count === '') return undefined;
  const fields = keepRest
    ? [...pieces.slice(0, parts - 1), pieces.slice(parts - 1).join('-')]
    : pieces.slice(0, parts);
  return fields.slice(2).every((field) => field !== '') ? { fields, count } : undefined;
}
