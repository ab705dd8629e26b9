import { memorySessionCache } from './keystone-session-cache';
import { ADMIN_PROJECT_ID, HPA_ALL_ID } from '../../../test/servers/openstack-data';
import { OpenStackDouble } from '../../../test/servers/openstack.server';
import { collectWarnings } from '../../application/jobs/call-scope';
import { Redactor } from '../../application/jobs/redactor';
import { RemoteCallError } from '../../application/ports/remote-call.error';
import { CloudAccess } from '../../domain/cloud-region';
import { desiredZones } from '../../domain/compute-inventory';
import { PROVEN } from '../../domain/listing';
import { loadAppConfig } from '../../config/app.config';
import { OutboundHttp } from '../outbound/outbound-http';
import { OpenStackHttpClient } from './openstack-http.client';

const DEMO_ID = '0cbd49cbf76d405d9c86562e1d579bd3';

/** What each listing proves (SPEC 7, proof before delete), read from the OpenStack double. */
describe('OpenStack listings and their proof', () => {
  let cloud: OpenStackDouble;
  let access: CloudAccess;

  beforeEach(async () => {
    cloud = new OpenStackDouble();
    await cloud.start();
    access = { serviceUrl: cloud.keystoneV3, userName: 'admin', password: 'os-secret-password', domain: 'Default', defaultTenant: 'admin', insecure: true };
  });
  afterEach(() => cloud.close());

  const client = (env: Record<string, string> = {}) => {
    const config = loadAppConfig({ HTTP_RETRIES: '0', HTTP_TIMEOUT_MS: '2000', ...env });
    return new OpenStackHttpClient(new OutboundHttp(config), new Redactor(), config, memorySessionCache());
  };
  const signIn = (c: OpenStackHttpClient, project = 'admin', serviceUrl = access.serviceUrl) => c.authenticate({ ...access, serviceUrl }, { projectName: project });
  const ids = (items: Array<{ id?: unknown }>) => items.map((item) => String(item.id));
  const region = () => cloud.region('RegionOne');
  /** A private flavor no project has access to: only an admin's `is_public=None` lists it. */
  const addPrivateFlavor = () => region().flavors.push({ ...region().flavors[0], id: '900', name: 'private.nobody', 'os-flavor-access:is_public': false });

  describe('complete', () => {
    it('proves projects, every flavor (private ones included) and every image, across pages', async () => {
      addPrivateFlavor();
      cloud.behaviour.novaMaxLimit = 3;
      cloud.behaviour.glanceMaxLimit = 2;
      const c = client();
      const session = await signIn(c);
      const [projects, flavors, images] = await Promise.all([c.listProjects(session), c.listFlavors(session, 'RegionOne'), c.listImages(session, 'RegionOne')]);
      expect(projects).toEqual({ items: cloud.cloud.projects.map((p) => ({ id: p.id, name: p.name })), proof: PROVEN });
      expect(ids(flavors.items)).toEqual(ids(region().flavors));
      expect(flavors.items.map((f) => f.name)).toContain('private.nobody');
      expect(flavors.proof).toEqual(PROVEN);
      expect(images).toEqual({ items: region().images, proof: PROVEN });
      // Every flavor page asked with is_public=None, also those Nova's next links lead to.
      const pages = cloud.callsTo('nova').filter((r) => r.path.endsWith('/flavors/detail'));
      expect(pages.length).toBe(Math.ceil(region().flavors.length / 3));
      expect(pages.map((r) => r.query.get('is_public'))).toEqual(pages.map(() => 'None'));
    });

    it("is not complete when Glance's next points back at a page already read", async () => {
      cloud.behaviour.glanceMaxLimit = 2;
      const all = region().images;
      cloud.failMatching((r) => r.path.endsWith('/v2/images') && r.query.has('marker'), {
        status: 200,
        body: { images: all.slice(2, 4), schema: '/v2/schemas/images', first: '/v2/images', next: '/v2/images?limit=1000' },
      });
      const c = client();
      const listing = await c.listImages(await signIn(c), 'RegionOne');
      expect(listing).toEqual({ items: all.slice(0, 4), proof: { complete: false, authoritative: true, reason: 'listing incomplete: Glance next did not advance' } });
    });

    it('is not complete when next advances to a page of nothing new', async () => {
      cloud.behaviour.glanceMaxLimit = 2;
      const all = region().images;
      cloud.failMatching((r) => r.path.endsWith('/v2/images') && r.query.has('marker'), {
        status: 200,
        body: { images: all.slice(0, 2), next: '/v2/images?marker=elsewhere&limit=2' },
      });
      const c = client();
      const listing = await c.listImages(await signIn(c), 'RegionOne');
      expect(listing).toEqual({ items: all.slice(0, 2), proof: { complete: false, authoritative: true, reason: 'listing incomplete: Glance next did not advance' } });
    });

    it('is not complete, and warns, when the page cap (HTTP_MAX_PAGES) cuts the list', async () => {
      cloud.behaviour.glanceMaxLimit = 1;
      const c = client({ HTTP_MAX_PAGES: '2' });
      const session = await signIn(c);
      const { value, warnings } = await collectWarnings(() => c.listImages(session, 'RegionOne'));
      expect(value).toEqual({
        items: region().images.slice(0, 2),
        proof: { complete: false, authoritative: true, reason: 'listing incomplete: Glance list cut after 2 pages (HTTP_MAX_PAGES)' },
      });
      expect(warnings).toEqual([`Glance GET ${cloud.url}/RegionOne/image/v2/images: list cut after 2 pages (HTTP_MAX_PAGES)`]);
    });

    it('fails, naming the call, when a page after the first fails (never a shorter list)', async () => {
      cloud.behaviour.glanceMaxLimit = 2;
      cloud.failMatching((r) => r.path.endsWith('/v2/images') && r.query.has('marker'), { status: 500, body: { message: 'glance is down' } });
      const c = client();
      const session = await signIn(c);
      const error = await c.listImages(session, 'RegionOne').catch((e: unknown) => e);
      expect(RemoteCallError.is(error, 500)).toBe(true);
      expect((error as Error).message).toBe(`Glance GET ${cloud.url}/RegionOne/image/v2/images answered 500`);
    });

    it('is not complete when Keystone cuts the projects at its list_limit ("truncated": true)', async () => {
      cloud.behaviour.keystoneListLimit = 3;
      const c = client();
      const listing = await c.listProjects(await signIn(c));
      expect(listing).toEqual({
        items: cloud.cloud.projects.slice(0, 3).map((p) => ({ id: p.id, name: p.name })),
        proof: { complete: false, authoritative: true, reason: 'listing incomplete: Keystone list truncated' },
      });
    });

    it('fails a region discovery that Keystone truncated (a region left out would read as a subcloud gone)', async () => {
      cloud.cloud.regionIds = ['RegionOne', 'SystemController', 'sc1', 'sc2'];
      cloud.behaviour.keystoneListLimit = 3;
      const c = client();
      const session = await signIn(c);
      await expect(c.listRegions(session)).rejects.toThrow(`Keystone GET ${cloud.keystoneV3}/regions failed: listing incomplete: Keystone list truncated`);
      cloud.behaviour.keystoneListLimit = 4;
      expect(await c.listRegions(session)).toEqual(['RegionOne', 'SystemController', 'sc1', 'sc2']);
    });
  });

  describe('authoritative', () => {
    it("a 403 on /projects gives the token's own project, proving nothing about the others", async () => {
      cloud.behaviour.forbidProjects = true;
      const c = client();
      const listing = await c.listProjects(await signIn(c));
      expect(listing).toEqual({
        items: [{ id: ADMIN_PROJECT_ID, name: 'admin' }],
        proof: { complete: true, authoritative: false, reason: "listing not authoritative: Keystone /projects answered 403, tenants from the token's own project" },
      });
    });

    it('a non-admin token (a Project header scoping to a project where the user is a member) proves nothing about what it cannot see', async () => {
      addPrivateFlavor();
      cloud.cloud.rolesOf = { admin: { [DEMO_ID]: ['member', 'reader'] } };
      region().flavorAccess = { [HPA_ALL_ID]: [DEMO_ID] };
      const c = client();
      const session = await signIn(c, 'demo');
      const [projects, flavors, images] = await Promise.all([c.listProjects(session), c.listFlavors(session, 'RegionOne'), c.listImages(session, 'RegionOne')]);
      expect(projects).toEqual({
        items: [{ id: DEMO_ID, name: 'demo' }],
        proof: { complete: true, authoritative: false, reason: "listing not authoritative: Keystone /projects answered 403, tenants from the token's own project" },
      });
      // Nova ignores is_public for it: the public flavors and those shared with demo, not private.nobody.
      expect(ids(flavors.items)).toEqual(ids(region().flavors.filter((f) => f['os-flavor-access:is_public'] || f.id === HPA_ALL_ID)));
      expect(flavors.proof).toEqual({ complete: true, authoritative: false, reason: 'listing not authoritative: flavors listed without admin rights' });
      expect(images.proof).toEqual({ complete: true, authoritative: false, reason: 'listing not authoritative: images listed without admin rights' });
    });

    it('an incomplete listing of a non-admin token says both', async () => {
      cloud.cloud.rolesOf = { admin: { [DEMO_ID]: ['member'] } };
      cloud.behaviour.glanceMaxLimit = 1;
      const c = client({ HTTP_MAX_PAGES: '1' });
      const listing = await c.listImages(await signIn(c, 'demo'), 'RegionOne');
      expect(listing.proof).toEqual({
        complete: false,
        authoritative: false,
        reason: 'listing incomplete: Glance list cut after 1 pages (HTTP_MAX_PAGES); listing not authoritative: images listed without admin rights',
      });
    });

    it('a Keystone v2.0 tenant list proves nothing about tenants the user has no role on', async () => {
      const c = client();
      const listing = await c.listProjects(await signIn(c, 'admin', cloud.keystoneV2));
      expect(listing).toEqual({
        items: cloud.cloud.projects.map((p) => ({ id: p.id, name: p.name })),
        proof: { complete: true, authoritative: false, reason: "listing not authoritative: Keystone v2.0 /tenants lists the user's own tenants" },
      });
    });

    it('reads the roles of a v2.0 token too', async () => {
      cloud.cloud.rolesOf = { admin: { [DEMO_ID]: ['_member_'] } };
      const c = client();
      const admin = await signIn(c, 'admin', cloud.keystoneV2);
      const member = await signIn(c, 'demo', cloud.keystoneV2);
      expect((await c.listFlavors(admin, 'RegionOne')).proof).toEqual(PROVEN);
      expect((await c.listFlavors(member, 'RegionOne')).proof.authoritative).toBe(false);
    });
  });

  describe('compute services and aggregates', () => {
    it("keep a locked host (its nova-compute disabled) and a down one, which Nova's zone listing leaves out or marks", async () => {
      cloud.lockHost('RegionOne', 'compute-1');
      cloud.downHost('RegionOne', 'compute-2');
      const c = client();
      const session = await signIn(c);
      const [services, aggregates] = await Promise.all([c.listComputeServices(session, 'RegionOne'), c.listAggregates(session, 'RegionOne')]);
      expect(services.map((s) => [s.host, s.zone, s.status, s.state, s.disabled_reason])).toEqual([
        ['compute', 'nova', 'enabled', 'up', null],
        ['compute-1', 'az2', 'disabled', 'up', 'host locked'],
        ['compute-2', 'az2', 'enabled', 'down', null],
      ]);
      expect(aggregates.map((a) => [a.name, a.availability_zone, a.hosts])).toEqual([['az2-aggregate', 'az2', ['compute-1', 'compute-2']]]);
      expect(desiredZones(services, aggregates)).toEqual({
        zones: [
          { name: 'az2', available: true, hosts: ['compute-1', 'compute-2'] },
          { name: 'nova', available: true, hosts: ['compute'] },
        ],
        proof: PROVEN,
      });
    });
  });
});
