import { FakeOpenStack } from '../../test/fakes/fake-openstack';
import { readPlacement } from './placement-capacity';

const inventory = (total: number) => ({ total, reserved: 0, allocation_ratio: 1, max_unit: total });

/** Two compute nodes, a provider that matches no host; every Placement read counted by kind. */
function cloud() {
  const openstack = new FakeOpenStack();
  openstack.placement = [
    { uuid: 'n1', name: 'node-1', generation: 1, inventories: { VCPU: inventory(8), PCPU: inventory(4) }, usages: { VCPU: 2, PCPU: 1 }, aggregates: ['agg'] },
    { uuid: 'n2', name: 'node-2', generation: 1, inventories: { VCPU: inventory(8), DISK_GB: inventory(100) }, usages: {}, aggregates: [] },
    { uuid: 'x1', name: 'orphan', generation: 1, inventories: { VCPU: inventory(8) }, usages: {} },
  ];
  const calls: string[] = [];
  for (const method of ['getProviderInventories', 'getProviderUsages', 'getProviderAggregates', 'getProviderTraits'] as const) {
    const original = openstack[method].bind(openstack) as (...args: any[]) => Promise<any>;
    (openstack as any)[method] = (...args: any[]) => {
      calls.push(`${method.replace('getProvider', '')} ${args[2]}`);
      return original(...args);
    };
  }
  return { openstack, calls };
}

const session = { project: { id: 'p', name: 'p' } };
const wanted = new Set(['node-1', 'node-2']);

describe('readPlacement', () => {
  it('reads PCPU with the rest, traits of the non-compute roots, and no aggregates while nothing shares', async () => {
    const { openstack, calls } = cloud();
    const read = await readPlacement(openstack, session, 'R', (await openstack.listResourceProviders())!, wanted, new Set(['node-1', 'node-2']));
    expect(calls.sort()).toEqual(['Inventories n1', 'Inventories n2', 'Traits x1', 'Usages n1', 'Usages n2']);
    expect(read.rooms.get('node-1')!.pcpu).toEqual({ capacity: 4, free: 3, maxUnit: 4 });
    expect(read.sharing).toEqual([]);
    expect(read.nonSharing).toEqual({ x1: 1 });

    calls.length = 0;
    await readPlacement(openstack, session, 'R', (await openstack.listResourceProviders())!, wanted, new Set(['node-1', 'node-2']), read);
    expect(calls).toEqual([]);
  });

  it("once a provider shares its disk: reads it whole, the compute nodes' aggregates only, and links those of its aggregate", async () => {
    const { openstack, calls } = cloud();
    const computeNodes = new Set(['node-1', 'node-2']);
    const first = await readPlacement(openstack, session, 'R', (await openstack.listResourceProviders())!, wanted, computeNodes);
    openstack.placement!.push({
      uuid: 's1',
      name: 'ceph',
      generation: 1,
      inventories: { DISK_GB: inventory(1000) },
      usages: { DISK_GB: 100 },
      aggregates: ['agg'],
      traits: ['MISC_SHARES_VIA_AGGREGATE'],
    });
    calls.length = 0;
    const second = await readPlacement(openstack, session, 'R', (await openstack.listResourceProviders())!, wanted, computeNodes, first);
    expect(calls.sort()).toEqual(['Aggregates n1', 'Aggregates n2', 'Aggregates s1', 'Inventories s1', 'Traits s1', 'Usages s1']);
    expect(second.sharing).toEqual([{ uuid: 's1', name: 'ceph', diskGb: { capacity: 1000, free: 900, maxUnit: 1000 } }]);
    expect(second.rooms.get('node-1')!.sharedDisk).toEqual(['s1']);
    expect(second.rooms.get('node-2')!.sharedDisk).toBeUndefined();

    calls.length = 0;
    await readPlacement(openstack, session, 'R', (await openstack.listResourceProviders())!, wanted, computeNodes, second);
    expect(calls).toEqual([]);
  });
});
