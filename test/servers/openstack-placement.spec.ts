import { OpenStackDouble } from './openstack.server';
import { fixture, placementOf, providerUuid } from './openstack-data';

/** The Placement of the OpenStack double answers as Placement does, or the audit tests prove nothing. */
describe('OpenStackDouble Placement', () => {
  const openstack = new OpenStackDouble();
  let token: string;
  let root: string;

  beforeAll(async () => {
    await openstack.start();
    const region = openstack.region('RegionOne');
    region.placement = placementOf(region);
    const auth = await fetch(`${openstack.keystoneV3}/auth/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: { methods: ['password'], password: { user: { name: 'admin', password: 'os-secret-password', domain: { name: 'Default' } } } },
          scope: { project: { name: 'admin', domain: { name: 'Default' } } },
        },
      }),
    });
    token = auth.headers.get('x-subject-token')!;
    const catalog = ((await auth.json()) as any).token.catalog;
    root = catalog.find((s: any) => s.type === 'placement').endpoints.find((e: any) => e.interface === 'public').url;
  });

  afterAll(() => openstack.close());

  async function get(path: string, version?: string) {
    const response = await fetch(`${root}${path}`, {
      headers: { 'X-Auth-Token': token, ...(version ? { 'OpenStack-API-Version': version } : {}) },
    });
    return { status: response.status, version: response.headers.get('openstack-api-version'), body: (await response.json()) as any };
  }

  it('lists providers at 1.0 as the reference payload does, without the 1.14 tree fields', async () => {
    const { status, version, body } = await get('/resource_providers');
    expect([status, version]).toEqual([200, 'placement 1.0']);
    const reference = fixture('placement-resource_providers-list.json').resource_providers[1];
    expect(Object.keys(body.resource_providers[0]).sort()).toEqual(
      Object.keys(reference).filter((k) => !k.endsWith('_provider_uuid')).sort(),
    );
    expect(body.resource_providers[0]).toMatchObject({ uuid: providerUuid(1), name: 'fake-mini', generation: 1 });
    expect(body.resource_providers[0].links.map((l: any) => l.rel)).toEqual(['self', 'inventories', 'usages']);
  });

  it('adds the tree fields and every link from 1.14, and answers latest at its maximum', async () => {
    const at14 = await get('/resource_providers', 'placement 1.14');
    expect(at14.body.resource_providers[0]).toMatchObject({ parent_provider_uuid: null, root_provider_uuid: providerUuid(1) });
    expect(at14.body.resource_providers[0].links.map((l: any) => l.rel)).toEqual(['self', 'aggregates', 'inventories', 'usages', 'traits', 'allocations']);
    expect((await get('/resource_providers', 'placement latest')).version).toBe('placement 1.39');
  });

  it('serves inventories and usages with the provider generation, shaped on the reference payloads', async () => {
    const inventories = await get(`/resource_providers/${providerUuid(2)}/inventories`);
    expect(Object.keys(inventories.body).sort()).toEqual(Object.keys(fixture('placement-resource_provider-inventories.json')).sort());
    expect(inventories.body.inventories.VCPU).toEqual({ total: 16, reserved: 0, min_unit: 1, max_unit: 16, step_size: 1, allocation_ratio: 16 });
    const usages = await get(`/resource_providers/${providerUuid(2)}/usages`);
    expect(usages.body).toEqual({ resource_provider_generation: 1, usages: { VCPU: 4, MEMORY_MB: 16384, DISK_GB: 100 } });
  });

  it('refuses a version out of range (406) or malformed (400), and an unknown provider (404)', async () => {
    const tooNew = await get('/resource_providers', 'placement 1.99');
    expect(tooNew.status).toBe(406);
    expect(tooNew.body.errors[0]).toMatchObject({ title: 'Not Acceptable', detail: 'Unacceptable version header: 1.99', max_version: '1.39', min_version: '1.0' });
    expect((await get('/resource_providers', 'placement pony.horse')).status).toBe(400);
    expect((await get('/resource_providers/nope/usages')).status).toBe(404);
  });
});
