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

/** NUMA nodes a flavor may describe; a spec naming more is capped (and warned about). */
export const MAX_NUMA_NODES = 64;

type Attribute = { key: string; value: string | number; unit?: string };
type Feature = { feature: string; architecture: string; attributes: Attribute[] };

/**
 * The hpa-capabilities of an `onap.*` flavor (SPEC section 4), in table order.
 * Ids are derived from the flavor id and the feature, so registering again writes
 * the same objects.
 */
export function deriveHpaCapabilities(flavor: HpaFlavor, specs: ExtraSpecs, warnings: string[] = []): AaiObject[] {
  const features = [
    basicCapabilities(flavor),
    cpuPinning(specs),
    cpuTopology(specs),
    hugePages(specs),
    numa(flavor.id, specs, warnings),
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
      'hpa-attribute-value': JSON.stringify(unit === undefined ? { value: String(value) } : { value: String(value), unit }),
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
  const attributes = keys.filter(([spec]) => has(specs, spec)).map(([spec, key]) => ({ key, value: specs[spec] }));
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

/**
 * `hw:numa_nodes` and the per-node `hw:numa_cpus.N` / `hw:numa_mem.N` pairs the flavor
 * actually has: the work is sized by the keys present, never by the count a spec claims
 * (a count above MAX_NUMA_NODES is capped and warned about).
 */
function numa(flavorId: string, specs: ExtraSpecs, warnings: string[]): Feature | undefined {
  if (!has(specs, 'hw:numa_nodes')) return undefined;
  let nodes = String(specs['hw:numa_nodes'] || '0');
  const claimed = Number.parseInt(nodes, 10);
  if (claimed > MAX_NUMA_NODES) {
    warnings.push(`flavor ${flavorId}: hw:numa_nodes ${nodes.slice(0, 20)} capped to ${MAX_NUMA_NODES}`);
    nodes = String(MAX_NUMA_NODES);
  }
  const count = Math.min(Number.isFinite(claimed) ? claimed : 0, MAX_NUMA_NODES);
  const indexes = Object.keys(specs)
    .map((key) => /^hw:numa_cpus\.(0|[1-9]\d?)$/.exec(key)?.[1])
    .filter((index): index is string => index !== undefined)
    .map(Number)
    .filter((i) => i < count && specs[`hw:numa_mem.${i}`] !== undefined)
    .sort((a, b) => a - b);
  const attributes: Attribute[] = [{ key: 'numaNodes', value: nodes }];
  for (const i of indexes) {
    attributes.push({ key: `numaCpu-${i}`, value: specs[`hw:numa_cpus.${i}`] });
    attributes.push({ key: `numaMem-${i}`, value: specs[`hw:numa_mem.${i}`], unit: 'MB' });
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
function pciDevice(feature: string, architecture: string, count: Attribute['value'], vendor: string, device: string, ...more: Attribute[]): Feature {
  return {
    feature,
    architecture,
    attributes: [{ key: 'pciCount', value: count }, { key: 'pciVendorId', value: vendor }, { key: 'pciDeviceId', value: device }, ...more],
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
function parseDeviceSpec(spec: string | undefined, parts: number, keepRest: boolean): { fields: string[]; count: string } | undefined {
  if (typeof spec !== 'string') return undefined;
  const colon = spec.indexOf(':');
  if (colon < 0) return undefined;
  const name = spec.slice(0, colon);
  const count = spec.slice(colon + 1).split(':')[0];
  const pieces = name.split('-');
  if (pieces.length < parts || count === '') return undefined;
  const fields = keepRest ? [...pieces.slice(0, parts - 1), pieces.slice(parts - 1).join('-')] : pieces.slice(0, parts);
  return fields.slice(2).every((field) => field !== '') ? { fields, count } : undefined;
}
