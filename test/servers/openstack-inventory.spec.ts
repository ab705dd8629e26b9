import { ADMIN_PROJECT_ID, HPA_ALL_ID, fixture } from './openstack-data';
import { OpenStackDouble } from './openstack.server';

const DEMO_ID = '0cbd49cbf76d405d9c86562e1d579bd3';

/** The OpenStack double keeps the real services' visibility rules (what the listings' proofs are about). */
describe('OpenStack double: visibility, list_limit, compute services and aggregates', () => {
  let cloud: OpenStackDouble;

  beforeEach(async () => {
    cloud = new OpenStackDouble();
    await cloud.start();
    cloud.region('RegionOne').flavors.push({ ...cloud.region('RegionOne').flavors[0], id: '900', name: 'private.nobody', 'os-flavor-access:is_public': false });
    cloud.region('RegionOne').flavors.push({ ...cloud.region('RegionOne').flavors[0], id: '901', name: 'disabled.public', 'OS-FLV-DISABLED:disabled': true });
  });
  afterEach(() => cloud.close());

  async function token(project: string): Promise<string> {
    const response = await fetch(`${cloud.keystoneV3}/auth/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: { methods: ['password'], password: { user: { name: 'admin', password: 'os-secret-password', domain: { name: 'Default' } } } },
          scope: { project: { name: project, domain: { name: 'Default' } } },
        },
      }),
    });
    return response.headers.get('x-subject-token')!;
  }

  async function get(path: string, project = 'admin', microversion = '2.1'): Promise<{ status: number; body: any }> {
    const projectId = cloud.cloud.projects.find((p) => p.name === project)!.id;
    const response = await fetch(`${cloud.url}/RegionOne/compute/v2.1/${projectId}/${path}`, {
      headers: { 'X-Auth-Token': await token(project), 'X-OpenStack-Nova-API-Version': microversion },
    });
    return { status: response.status, body: await response.json() };
  }

  const flavorIds = async (query: string, project = 'admin') => (await get(`flavors/detail${query}`, project)).body.flavors.map((f: any) => f.id);

  it("lists flavors to an admin as Nova does: is_public true (default) with its project's, false private only, None all", async () => {
    expect(cloud.region('RegionOne').flavorAccess).toEqual({ [HPA_ALL_ID]: [ADMIN_PROJECT_ID] });
    // Public (the disabled one too: an admin sees it) and the private one shared with the admin project.
    expect(await flavorIds('')).toEqual(
      cloud
        .region('RegionOne')
        .flavors.filter((f) => f['os-flavor-access:is_public'] || f.id === HPA_ALL_ID)
        .map((f) => f.id),
    );
    expect(await flavorIds('?is_public=true')).toEqual(await flavorIds(''));
    expect(await flavorIds('?is_public=false')).toEqual([HPA_ALL_ID, '900']);
    expect(await flavorIds('?is_public=None')).toEqual(cloud.region('RegionOne').flavors.map((f) => f.id));
    expect(await flavorIds('?is_public=none')).toEqual(cloud.region('RegionOne').flavors.map((f) => f.id));
    expect(await get('flavors/detail?is_public=maybe')).toEqual({ status: 400, body: { badRequest: { code: 400, message: 'Invalid is_public filter [maybe]' } } });
  });

  it('ignores is_public for a non-admin token: public flavors and those shared with its project, disabled ones left out', async () => {
    cloud.cloud.rolesOf = { admin: { [DEMO_ID]: ['member'] } };
    cloud.region('RegionOne').flavorAccess = { '900': [DEMO_ID] };
    const expected = cloud
      .region('RegionOne')
      .flavors.filter((f) => (f['os-flavor-access:is_public'] && f.id !== '901') || f.id === '900')
      .map((f) => f.id);
    expect(await flavorIds('?is_public=None', 'demo')).toEqual(expected);
    expect(await flavorIds('?is_public=false', 'demo')).toEqual(expected);
    expect((await get(`flavors/${HPA_ALL_ID}`, 'demo')).status).toBe(404);
    expect((await get('flavors/900', 'demo')).status).toBe(200);
  });

  it("keeps the request's parameters in the next link, as Nova does", async () => {
    cloud.behaviour.novaMaxLimit = 2;
    const page = await get('flavors/detail?is_public=None');
    expect(page.body.flavors_links).toEqual([
      { rel: 'next', href: `http://nova.internal.example:8774/v2.1/flavors/detail?is_public=None&limit=2&marker=${page.body.flavors[1].id}` },
    ]);
  });

  it('cuts /v3/projects at Keystone\'s list_limit with "truncated": true, and forbids it to a non-admin', async () => {
    cloud.behaviour.keystoneListLimit = 2;
    const list = async (project: string) => {
      const response = await fetch(`${cloud.keystoneV3}/projects`, { headers: { 'X-Auth-Token': await token(project) } });
      return { status: response.status, body: (await response.json()) as any };
    };
    const cut = await list('admin');
    expect(cut.body.projects.map((p: any) => p.name)).toEqual(['admin', 'demo']);
    expect(cut.body.truncated).toBe(true);
    cloud.behaviour.keystoneListLimit = 100;
    expect((await list('admin')).body).not.toHaveProperty('truncated');
    cloud.cloud.rolesOf = { admin: { [DEMO_ID]: ['member'] } };
    expect((await list('demo')).status).toBe(403);
  });

  it("answers os-services in the shape of Nova's sample, per microversion, filtered by binary", async () => {
    const sample = fixture('nova-os-services-list-v2.1.json').services[0];
    cloud.lockHost('RegionOne', 'compute-1');
    const at21 = (await get('os-services?binary=nova-compute')).body.services;
    expect(at21.map((s: any) => Object.keys(s).sort())).toEqual(at21.map(() => Object.keys(sample).sort()));
    expect(at21.map((s: any) => [s.binary, s.host, s.zone, s.status, s.state, s.disabled_reason])).toEqual([
      ['nova-compute', 'compute', 'nova', 'enabled', 'up', null],
      ['nova-compute', 'compute-1', 'az2', 'disabled', 'up', 'host locked'],
      ['nova-compute', 'compute-2', 'az2', 'enabled', 'up', null],
    ]);
    const all = (await get('os-services')).body.services;
    expect(all.map((s: any) => s.binary)).toEqual(['nova-conductor', 'nova-scheduler', 'nova-compute', 'nova-compute', 'nova-compute']);
    const at253 = (await get('os-services?binary=nova-compute', 'admin', '2.53')).body.services[0];
    expect(at253).toMatchObject({ forced_down: false, id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it('answers os-aggregates in the reference shape, uuid only from 2.41', async () => {
    const reference = fixture('nova-os-aggregates-list-v2.41.json').aggregates[0];
    const at241 = (await get('os-aggregates', 'admin', '2.41')).body.aggregates;
    expect(at241.map((a: any) => Object.keys(a).sort())).toEqual([Object.keys(reference).sort()]);
    expect(at241[0]).toMatchObject({ availability_zone: 'az2', hosts: ['compute-1', 'compute-2'], metadata: { availability_zone: 'az2' } });
    const at21 = (await get('os-aggregates')).body.aggregates;
    expect(at21[0]).not.toHaveProperty('uuid');
  });

  it('leaves a disabled nova-compute out of the zone listing, marks a down one, and shows a zone without enabled hosts unavailable', async () => {
    const before = (await get('os-availability-zone/detail')).body.availabilityZoneInfo;
    expect(before).toEqual(cloud.region('RegionOne').zones);
    cloud.lockHost('RegionOne', 'compute-1');
    cloud.downHost('RegionOne', 'compute-2');
    const zones = (await get('os-availability-zone/detail')).body.availabilityZoneInfo;
    expect(zones.find((z: any) => z.zoneName === 'az2')).toEqual({
      zoneName: 'az2',
      zoneState: { available: true },
      hosts: { 'compute-2': { 'nova-compute': { active: true, available: false, updated_at: null } } },
    });
    cloud.lockHost('RegionOne', 'compute-2');
    cloud.lockHost('RegionOne', 'compute');
    const locked = (await get('os-availability-zone/detail')).body.availabilityZoneInfo;
    // az2 is still an aggregate's zone; nova (the default zone, no aggregate) is gone.
    expect(locked.map((z: any) => [z.zoneName, z.zoneState.available, z.hosts === null])).toEqual([
      ['internal', true, false],
      ['az2', false, true],
    ]);
  });

  it('lists images as Glance does: all to an admin; public, own and shared-with-it to another token', async () => {
    const image = (id: string, visibility: string, owner: string) => ({ ...fixture('glance-v2-image-show.json'), id, name: id, self: `/v2/images/${id}`, visibility, owner });
    const region = cloud.region('RegionOne');
    region.images.push(
      image('admin-private', 'private', ADMIN_PROJECT_ID),
      image('demo-private', 'private', DEMO_ID),
      image('shared-demo', 'shared', ADMIN_PROJECT_ID),
      image('shared-other', 'shared', ADMIN_PROJECT_ID),
    );
    region.imageMembers = { 'shared-demo': [DEMO_ID] };
    cloud.cloud.rolesOf = { admin: { [DEMO_ID]: ['member'] } };
    const list = async (project: string) => {
      const response = await fetch(`${cloud.url}/RegionOne/image/v2/images?limit=1000`, { headers: { 'X-Auth-Token': await token(project) } });
      return ((await response.json()) as any).images.map((i: any) => i.id);
    };
    const publicIds = region.images.filter((i) => i.visibility === 'public').map((i) => i.id);
    expect(await list('admin')).toEqual(region.images.map((i) => i.id));
    expect(await list('demo')).toEqual([...publicIds, 'demo-private', 'shared-demo']);
  });

  it('forbids os-services, os-aggregates and the zone detail to a non-admin token', async () => {
    cloud.cloud.rolesOf = { admin: { [DEMO_ID]: ['member'] } };
    for (const path of ['os-services', 'os-aggregates', 'os-availability-zone/detail']) expect((await get(path, 'demo')).status).toBe(403);
  });
});
