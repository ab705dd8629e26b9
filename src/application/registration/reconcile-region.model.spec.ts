import fc from 'fast-check';

import { itemsOf, relationshipsOf } from '../../domain/aai-object';
import { NovaAvailabilityZone } from '../../domain/availability-zone';
import { NovaFlavor } from '../../domain/flavor';
import { VimId } from '../../domain/vim-id';
import { FakeAai } from '../../../test/fakes/fake-aai';
import { FakeOpenStack, ListedResource, ListingFault } from '../../../test/fakes/fake-openstack';
import { testSettings } from '../../../test/fakes/settings';
import { TaskBudget } from '../jobs/task-budget';
import { ReconcileRegion } from './reconcile-region';

/**
 * SPEC 7, model-based: random clouds and random listing faults (a failed call, a failed
 * page, a `next` that loops, Keystone's `truncated`, a 403 on /projects, a scoped
 * token's partial view, a session that fell back to another scope). After any
 * sequence of registrations A&AI keeps every object it held that the cloud still has;
 * after a fault-free registration (deletes confirmed) it equals the cloud.
 */
export const MODEL_RUNS = 300;

const VIM = VimId.of('Owner', 'R1');
const SESSION = { project: { id: 'p0', name: 'admin' } };

interface Cloud {
  projects: string[];
  flavors: string[];
  images: string[];
  /** Zone name → its hosts (a host in one zone at most). */
  zones: Record<string, string[]>;
}

type Faults = Partial<Record<ListedResource, ListingFault>> & { scopeFallback?: boolean };

const ids = (prefix: string, n: number) => fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: n }).map((list) => list.map((i) => `${prefix}${i}`));

const cloudArb: fc.Arbitrary<Cloud> = fc
  .record({
    projects: ids('p', 6),
    flavors: ids('f', 12),
    images: ids('i', 6),
    hosts: fc.array(fc.constantFrom<string | null>(null, 'z0', 'z1', 'z2'), { minLength: 6, maxLength: 6 }),
    empty: fc.uniqueArray(fc.constantFrom('z0', 'z1', 'z2'), { maxLength: 3 }),
  })
  .map(({ projects, flavors, images, hosts, empty }) => {
    const zones: Record<string, string[]> = Object.fromEntries(empty.map((z) => [z, []]));
    hosts.forEach((zone, i) => {
      if (zone) (zones[zone] ??= []).push(`h${i}`);
    });
    return { projects, flavors, images, zones };
  });

const partial = (reason: string, authoritative = true): fc.Arbitrary<ListingFault> =>
  fc.integer({ min: 0, max: 12 }).map((keep) => ({ kind: 'partial', keep, proof: { complete: !authoritative ? true : false, authoritative, reason } }));

/**
 * Zones come from Nova's compute services (one unpaged list) and aggregates: the
 * services listing either answers in full or fails.
 */
const faultArb = (resource: ListedResource): fc.Arbitrary<ListingFault | undefined> =>
  resource === 'zones'
    ? fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant<ListingFault>({ kind: 'fail' }) })
    : fc.oneof(
        { weight: 4, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constant<ListingFault>({ kind: 'fail' }) },
        { weight: 1, arbitrary: partial('listing incomplete: a page failed') },
        { weight: 1, arbitrary: partial('listing incomplete: next did not advance') },
        { weight: 1, arbitrary: partial('listing incomplete: Keystone truncated the list') },
        { weight: 1, arbitrary: partial('a scoped token sees only its own', false) },
        ...(resource === 'projects' ? [{ weight: 1, arbitrary: fc.constant<ListingFault>({ kind: '403' }) }] : []),
      );

const faultsArb: fc.Arbitrary<Faults> = fc.record({
  projects: faultArb('projects'),
  flavors: faultArb('flavors'),
  images: faultArb('images'),
  zones: faultArb('zones'),
  scopeFallback: fc.boolean(),
});

function apply(openstack: FakeOpenStack, cloud: Cloud): void {
  openstack.projects = cloud.projects.map((id) => ({ id, name: `name-${id}` }));
  openstack.flavors = cloud.flavors.map((id, i): NovaFlavor => ({
    id,
    name: i % 3 === 0 ? `onap.${id}` : `m1.${id}`,
    vcpus: 2,
    ram: 2048,
    disk: 20,
    extra_specs: i % 3 === 0 ? { 'hw:cpu_policy': 'dedicated' } : undefined,
  }));
  openstack.images = cloud.images.map((id) => ({ id, name: `image-${id}`, self: `/v2/images/${id}` }));
  openstack.zones = Object.entries(cloud.zones).map(([zoneName, hosts]): NovaAvailabilityZone => ({
    zoneName,
    zoneState: { available: true },
    hosts: Object.fromEntries(hosts.map((h) => [h, {}])),
  }));
}

/** What A&AI holds of the region, as id sets per kind. */
function held(aai: FakeAai): Record<string, Set<string>> {
  const region = aai.regions.get(VIM.toString())!;
  const list = (wrapper: string, item: string, key: string) => new Set(itemsOf(region[wrapper], item).map((o) => String(o[key])));
  const pservers = new Set(
    [region, ...itemsOf(region['availability-zones'], 'availability-zone')]
      .flatMap((o) => relationshipsOf(o))
      .map((r) => String(r['related-link']).split('/pservers/pserver/')[1])
      .filter(Boolean),
  );
  return {
    tenant: list('tenants', 'tenant', 'tenant-id'),
    flavor: list('flavors', 'flavor', 'flavor-id'),
    image: list('images', 'image', 'image-id'),
    'availability-zone': list('availability-zones', 'availability-zone', 'availability-zone-name'),
    pserver: pservers,
  };
}

function inCloud(cloud: Cloud): Record<string, Set<string>> {
  return {
    tenant: new Set(cloud.projects),
    flavor: new Set(cloud.flavors),
    image: new Set(cloud.images),
    // An availability-zone aggregate without hosts is no zone to Nova.
    'availability-zone': new Set(Object.keys(cloud.zones).filter((zone) => cloud.zones[zone].length > 0)),
    pserver: new Set(
      Object.values(cloud.zones)
        .flat()
        .map((h) => `${VIM}_${h}`),
    ),
  };
}

async function register(aai: FakeAai, openstack: FakeOpenStack, faults: Faults, confirmDeletes: boolean): Promise<void> {
  const { scopeFallback, ...listings } = faults;
  openstack.faults = listings;
  const settings = testSettings();
  const reconcile = new ReconcileRegion(aai, openstack, settings, new TaskBudget(settings));
  const region = await aai.getCloudRegion(VIM, '0');
  await reconcile.execute({ vimId: VIM, openstackRegionId: 'R1' }, SESSION, region!, aai.writer(), {
    confirmDeletes,
    ...(scopeFallback ? { scopeFallback: 'the session fell back from project p3 to admin' } : {}),
  });
  openstack.faults = {};
}

describe('reconcile, model-based (fast-check)', () => {
  it(`A&AI keeps every object the cloud still has, whatever the listing faults; a fault-free registration makes it equal the cloud (${MODEL_RUNS} runs)`, async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ cloud: cloudArb, faults: faultsArb, confirm: fc.boolean() }), { minLength: 1, maxLength: 6 }), cloudArb, async (steps, last) => {
        runs += 1;
        const aai = new FakeAai();
        aai.seedRegion(VIM.toString(), { 'cloud-owner': 'Owner', 'cloud-region-id': 'R1' });
        const openstack = new FakeOpenStack();
        for (const { cloud, faults, confirm } of steps) {
          apply(openstack, cloud);
          const before = held(aai);
          await register(aai, openstack, faults, confirm);
          const after = held(aai);
          const now = inCloud(cloud);
          for (const kind of Object.keys(now)) {
            for (const id of before[kind]) if (now[kind].has(id)) expect(after[kind].has(id) ? `${kind} ${id} kept` : `${kind} ${id} lost`).toBe(`${kind} ${id} kept`);
          }
        }
        apply(openstack, last);
        await register(aai, openstack, {}, true);
        const after = held(aai);
        const now = inCloud(last);
        for (const kind of Object.keys(now)) expect([kind, [...after[kind]].sort()]).toEqual([kind, [...now[kind]].sort()]);
      }),
      { numRuns: MODEL_RUNS, seed: 21 },
    );
    expect(runs).toBe(MODEL_RUNS);
  });
});
