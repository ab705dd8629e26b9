import { OpenStackDouble } from './openstack.server';
import { fixture, placementOf, providerUuid } from './openstack-data';

/** The Placement of the OpenStack double answers as Placement does, or the audit tests prove nothing. */
describe('OpenStackDouble Placement', () => {
  const openstack = new OpenStackDouble();
  let token: string;
  let root: string;
  let catalog: any[];
  const fetchCatalogUrl = async (type: string) => catalog.find((s: any) => s.type === type).endpoints.find((e: any) => e.interface === 'public').url;

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
    catalog = ((await auth.json()) as any).token.catalog;
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
      Object.keys(reference)
        .filter((k) => !k.endsWith('_provider_uuid'))
        .sort(),
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

  describe('aggregates, traits and the list filters, at their microversions', () => {
    beforeAll(() => {
      const providers = openstack.region('RegionOne').placement!;
      providers[1].aggregates = ['42896e0d-205d-4fe3-bd1e-100924931787'];
      providers[1].traits = ['MISC_SHARES_VIA_AGGREGATE'];
    });

    it('serves aggregates from 1.1, with the generation from 1.19, shaped on the api-ref samples', async () => {
      const uuid = providerUuid(2);
      expect((await get(`/resource_providers/${uuid}/aggregates`)).status).toBe(404);
      const at11 = await get(`/resource_providers/${uuid}/aggregates`, 'placement 1.1');
      expect(Object.keys(at11.body)).toEqual(Object.keys(fixture('placement-resource_provider-aggregates.json')));
      const at19 = await get(`/resource_providers/${uuid}/aggregates`, 'placement 1.19');
      expect(Object.keys(at19.body).sort()).toEqual(Object.keys(fixture('placement-resource_provider-aggregates-v1.19.json')).sort());
      expect(at19.body).toEqual({ aggregates: ['42896e0d-205d-4fe3-bd1e-100924931787'], resource_provider_generation: 1 });
    });

    it('serves traits from 1.6, shaped on the api-ref sample', async () => {
      const uuid = providerUuid(2);
      expect((await get(`/resource_providers/${uuid}/traits`, 'placement 1.5')).status).toBe(404);
      const traits = await get(`/resource_providers/${uuid}/traits`, 'placement 1.6');
      expect(Object.keys(traits.body).sort()).toEqual(Object.keys(fixture('placement-resource_provider-traits.json')).sort());
      expect(traits.body).toEqual({ resource_provider_generation: 1, traits: ['MISC_SHARES_VIA_AGGREGATE'] });
      expect((await get(`/resource_providers/${providerUuid(1)}/traits`, 'placement 1.6')).body.traits).toEqual([]);
    });

    it('filters the list by member_of from 1.3 and required from 1.18; before, the parameter is a 400', async () => {
      const names = async (query: string, version: string) => (await get(`/resource_providers?${query}`, version)).body.resource_providers?.map((p: any) => p.name);
      expect((await get('/resource_providers?member_of=42896e0d-205d-4fe3-bd1e-100924931787', 'placement 1.2')).status).toBe(400);
      expect(await names('member_of=42896e0d-205d-4fe3-bd1e-100924931787', 'placement 1.3')).toEqual(['compute-1.example.com']);
      expect(await names('member_of=in:nope,42896e0d-205d-4fe3-bd1e-100924931787', 'placement 1.3')).toEqual(['compute-1.example.com']);
      expect((await get('/resource_providers?required=MISC_SHARES_VIA_AGGREGATE', 'placement 1.17')).status).toBe(400);
      expect(await names('required=MISC_SHARES_VIA_AGGREGATE', 'placement 1.18')).toEqual(['compute-1.example.com']);
      expect(await names('required=!MISC_SHARES_VIA_AGGREGATE', 'placement 1.22')).toEqual(['fake-mini', 'compute-2']);
    });
  });

  describe('Nova os-services', () => {
    it("lists each zone host's services in the 2.1 shape of the api sample, down or disabled as told", async () => {
      const region = openstack.region('RegionOne');
      region.hostStates = { 'compute-1': { status: 'disabled', disabled_reason: 'maintenance' }, 'compute-2': { state: 'down' } };
      try {
        const compute = (await fetchCatalogUrl('compute')) as string;
        const answer = await fetch(`${compute}/os-services?binary=nova-compute`, { headers: { 'X-Auth-Token': token } });
        const services = ((await answer.json()) as any).services;
        expect(Object.keys(services[0]).sort()).toEqual(Object.keys(fixture('nova-os-services-list-v2.1.json').services[0]).sort());
        expect(services.map((s: any) => [s.host, s.zone, s.status, s.state, s.disabled_reason])).toEqual([
          ['compute', 'nova', 'enabled', 'up', null],
          ['compute-1', 'az2', 'disabled', 'up', 'maintenance'],
          ['compute-2', 'az2', 'enabled', 'down', null],
        ]);
        const zones = await (await fetch(`${compute}/os-availability-zone/detail`, { headers: { 'X-Auth-Token': token } })).json();
        // As Nova: the disabled host is left out of the zone detail, the down one is not available.
        expect((zones as any).availabilityZoneInfo.find((z: any) => z.zoneName === 'az2').hosts).toEqual({
          'compute-2': { 'nova-compute': { active: true, available: false, updated_at: null } },
        });
      } finally {
        delete region.hostStates;
      }
    });
  });
});
