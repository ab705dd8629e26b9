import { ExtraSpecs, HpaFlavor, deriveHpaCapabilities, hpaCapabilityId } from './hpa-capabilities';

type Capability = Record<string, any>;

const FLAVOR: HpaFlavor = { id: '110', vcpus: 6, ram: 4096, disk: 0, swap: '', ephemeral: 0 };

function byFeature(capabilities: Capability[]): Record<string, Capability> {
  return Object.fromEntries(capabilities.map((c) => [c['hpa-feature'], c]));
}

function attributes(capability: Capability | undefined): Array<[string, string]> {
  return (capability?.['hpa-feature-attributes'] ?? []).map((a: Capability) => [a['hpa-attribute-key'], a['hpa-attribute-value']]);
}

describe('deriveHpaCapabilities', () => {
  it('always gives basicCapabilities, localStorage and ovsDpdk, in table order', () => {
    const capabilities = deriveHpaCapabilities(FLAVOR, {});
    expect(capabilities.map((c) => [c['hpa-feature'], c.architecture, c['hpa-version']])).toEqual([
      ['basicCapabilities', 'generic', 'v1'],
      ['localStorage', 'generic', 'v1'],
      ['ovsDpdk', 'Intel64', 'v1'],
    ]);
    const features = byFeature(capabilities);
    expect(attributes(features.basicCapabilities)).toEqual([
      ['numVirtualCpu', '{"value":"6"}'],
      ['virtualMemSize', '{"value":"4096","unit":"MB"}'],
    ]);
    expect(attributes(features.localStorage)).toEqual([
      ['diskSize', '{"value":"0","unit":"GB"}'],
      ['swapMemSize', '{"value":"0","unit":"MB"}'],
      ['ephemeralDiskSize', '{"value":"0","unit":"GB"}'],
    ]);
    expect(attributes(features.ovsDpdk)).toEqual([['dataProcessingAccelerationLibrary', '{"value":"v17.02"}']]);
  });

  it.each<[string, ExtraSpecs, string, string, Array<[string, string]>]>([
    [
      'cpuPinning, both policies',
      { 'hw:cpu_policy': 'dedicated', 'hw:cpu_thread_policy': 'prefer' },
      'cpuPinning',
      'generic',
      [
        ['logicalCpuThreadPinningPolicy', '{"value":"prefer"}'],
        ['logicalCpuPinningPolicy', '{"value":"dedicated"}'],
      ],
    ],
    ['cpuPinning, thread policy only', { 'hw:cpu_thread_policy': 'isolate' }, 'cpuPinning', 'generic', [['logicalCpuThreadPinningPolicy', '{"value":"isolate"}']]],
    [
      'cpuTopology',
      { 'hw:cpu_sockets': '2', 'hw:cpu_cores': '4', 'hw:cpu_threads': '8' },
      'cpuTopology',
      'generic',
      [
        ['numCpuSockets', '{"value":"2"}'],
        ['numCpuCores', '{"value":"4"}'],
        ['numCpuThreads', '{"value":"8"}'],
      ],
    ],
    ['cpuTopology, cores only', { 'hw:cpu_cores': '4' }, 'cpuTopology', 'generic', [['numCpuCores', '{"value":"4"}']]],
    ['hugePages large', { 'hw:mem_page_size': 'large' }, 'hugePages', 'generic', [['memoryPageSize', '{"value":"2","unit":"MB"}']]],
    ['hugePages small', { 'hw:mem_page_size': 'small' }, 'hugePages', 'generic', [['memoryPageSize', '{"value":"4","unit":"KB"}']]],
    ['hugePages any', { 'hw:mem_page_size': 'any' }, 'hugePages', 'generic', []],
    ['hugePages N', { 'hw:mem_page_size': '1048576' }, 'hugePages', 'generic', [['memoryPageSize', '{"value":"1048576","unit":"KB"}']]],
    [
      'numa with per-node cpus and memory',
      {
        'hw:numa_nodes': '2',
        'hw:numa_cpus.0': '0,1',
        'hw:numa_mem.0': '2048',
        'hw:numa_cpus.1': '2,3,4,5',
        'hw:numa_mem.1': '2048',
      },
      'numa',
      'generic',
      [
        ['numaNodes', '{"value":"2"}'],
        ['numaCpu-0', '{"value":"0,1"}'],
        ['numaMem-0', '{"value":"2048","unit":"MB"}'],
        ['numaCpu-1', '{"value":"2,3,4,5"}'],
        ['numaMem-1', '{"value":"2048","unit":"MB"}'],
      ],
    ],
    [
      'numa, a node missing its memory',
      { 'hw:numa_nodes': '2', 'hw:numa_cpus.0': '0', 'hw:numa_mem.0': '1024', 'hw:numa_cpus.1': '1' },
      'numa',
      'generic',
      [
        ['numaNodes', '{"value":"2"}'],
        ['numaCpu-0', '{"value":"0"}'],
        ['numaMem-0', '{"value":"1024","unit":"MB"}'],
      ],
    ],
    [
      'instructionSetExtensions',
      { 'hw:capabilities:cpu_info:features': 'avx,sse4.2' },
      'instructionSetExtensions',
      'Intel64',
      [['instructionSetExtensions', '{"value":"avx,sse4.2"}']],
    ],
    [
      'pciePassthrough',
      { 'pci_passthrough:alias': 'a-b-Intel64-8086-0443:2' },
      'pciePassthrough',
      'Intel64',
      [
        ['pciCount', '{"value":"2"}'],
        ['pciVendorId', '{"value":"8086"}'],
        ['pciDeviceId', '{"value":"0443"}'],
      ],
    ],
    [
      'sriovNICNetwork (physnet with dashes)',
      { 'aggregate_instance_extra_specs:sriov_nic': 'sriov-nic-Intel64-8086-154C-phys-net-1:4' },
      'sriovNICNetwork',
      'Intel64',
      [
        ['pciCount', '{"value":"4"}'],
        ['pciVendorId', '{"value":"8086"}'],
        ['pciDeviceId', '{"value":"154C"}'],
        ['physicalNetwork', '{"value":"phys-net-1"}'],
      ],
    ],
  ])('%s', (_name, specs, feature, architecture, expected) => {
    const capability = byFeature(deriveHpaCapabilities(FLAVOR, specs))[feature];
    expect(capability).toMatchObject({ 'hpa-feature': feature, architecture, 'hpa-version': 'v1' });
    expect(attributes(capability)).toEqual(expected);
  });

  it('reads disk, swap and ephemeral into localStorage', () => {
    const capability = byFeature(deriveHpaCapabilities({ id: 'x', vcpus: 2, ram: 512, disk: 40, swap: 1024, ephemeral: 10 }, {})).localStorage;
    expect(attributes(capability)).toEqual([
      ['diskSize', '{"value":"40","unit":"GB"}'],
      ['swapMemSize', '{"value":"1024","unit":"MB"}'],
      ['ephemeralDiskSize', '{"value":"10","unit":"GB"}'],
    ]);
  });

  it.each([
    ['pci_passthrough:alias', 'no-colon-Intel64-8086-0443'],
    ['pci_passthrough:alias', 'too-short:2'],
    ['aggregate_instance_extra_specs:sriov_nic', 'a-b-Intel64-8086-154C:4'],
  ])('gives no capability for a malformed %s %j', (key, value) => {
    const features = deriveHpaCapabilities(FLAVOR, { [key]: value }).map((c) => c['hpa-feature']);
    expect(features).toEqual(['basicCapabilities', 'localStorage', 'ovsDpdk']);
  });

  it('writes a value with quotes as valid JSON', () => {
    const capability = byFeature(deriveHpaCapabilities(FLAVOR, { 'hw:capabilities:cpu_info:features': '<or> "avx"' })).instructionSetExtensions;
    expect(JSON.parse(attributes(capability)[0][1])).toEqual({ value: '<or> "avx"' });
  });

  it('derives the same ids every time: by flavor and feature', () => {
    const first = deriveHpaCapabilities(FLAVOR, { 'hw:cpu_policy': 'dedicated' }).map((c) => c['hpa-capability-id']);
    const again = deriveHpaCapabilities(FLAVOR, { 'hw:cpu_policy': 'dedicated' }).map((c) => c['hpa-capability-id']);
    expect(again).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
    first.forEach((id) => expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/));
    expect(hpaCapabilityId('110', 'numa')).not.toBe(hpaCapabilityId('111', 'numa'));
    // Pinned: a change here would make every existing capability a duplicate after an upgrade.
    expect(hpaCapabilityId('110', 'numa')).toBe('2ba8c0bd-86ff-5605-9d45-2a5cf5203075');
  });

  it('sizes NUMA attributes by the per-node keys present, capping a huge hw:numa_nodes with a warning', () => {
    const warnings: string[] = [];
    const specs = { 'hw:numa_nodes': '1000000000000', 'hw:numa_cpus.0': '0,1', 'hw:numa_mem.0': '1024', 'hw:numa_cpus.70': '2', 'hw:numa_mem.70': '512' };
    const numa = byFeature(deriveHpaCapabilities(FLAVOR, specs, warnings)).numa;
    expect(attributes(numa)).toEqual([
      ['numaNodes', '{"value":"64"}'],
      ['numaCpu-0', '{"value":"0,1"}'],
      ['numaMem-0', '{"value":"1024","unit":"MB"}'],
    ]);
    expect(warnings).toEqual(['flavor 110: hw:numa_nodes 1000000000000 capped to 64']);
  });
});
