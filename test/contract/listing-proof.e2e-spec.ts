import request from 'supertest';

import { AaiDouble } from '../servers/aai.server';
import { AaiVersion } from '../servers/aai-schema';
import { HPA_ALL_ID, Json } from '../servers/openstack-data';
import { OpenStackDouble } from '../servers/openstack.server';
import { PREFIX, REGIONS, onboardRegion, registerCloudOwnerRegion } from '../support/regions';
import { resetStore } from '../support/redis';
import { Doubles, TestApp, startApp, startDoubles, stopDoubles } from '../support/start-app';

/**
 * SPEC 7, proof before delete: a listing that is not complete or not authoritative never
 * reads as "gone". Each case registers the sample cloud, then brings one listing fault
 * (or a host Nova's zone listing leaves out) and registers again; A&AI must then hold
 * everything the cloud still has, and the job say what it kept and why. On v13 (single
 * writes) and v16 (bulk).
 */
const VIM = 'CloudOwner_RegionOne';
const REGISTRY = `${PREFIX}/v1/CloudOwner/RegionOne/registry`;
const DEMO = 'demo';
const DEMO_ID = '0cbd49cbf76d405d9c86562e1d579bd3';
const ADMIN_ID = '0c4e939acacf4376bdcd1129f1a054ad';
const PRIVATE_IMAGE = '7d2c1b0a-9f8e-4d7c-b6a5-948372615a0b';

type Kept = { kind: string; id: string; reason: string };

interface Case {
  name: string;
  /** The app's environment beyond the usual. */
  env?: Record<string, string>;
  /** The cloud before the first registration, when not the sample's. */
  cloud?: (cloud: OpenStackDouble) => void;
  /** The fault, brought after a first, fault-free registration. */
  fault: (cloud: OpenStackDouble) => void;
  /** Headers of the second registration (a `Project` scope). */
  headers?: Record<string, string>;
  /** What A&AI holds afterwards, from what it held after the first registration. */
  after?: (held: Json, cloud: OpenStackDouble) => void;
  /** The second job: its status, and the objects it kept (none deleted in any case); `held` is A&AI after the first. */
  job: (cloud: OpenStackDouble, doubles: Doubles, held: Json) => { status: Json; kept: Kept[] };
}

const region = (cloud: OpenStackDouble) => cloud.region('RegionOne');
const images = (cloud: OpenStackDouble) => region(cloud).images;
const finished = { code: 0, state: 'succeeded', status: `Registration finished for Cloud Region: ${VIM}` };
const keptAll = (kind: string, ids: string[], reason: string): Kept[] => ids.map((id) => ({ kind, id, reason }));
const tenantsBut = (cloud: OpenStackDouble, ...names: string[]) => cloud.cloud.projects.filter((p) => !names.includes(p.name)).map((p) => p.id);
const FORBIDDEN_PROJECTS = "listing not authoritative: Keystone /projects answered 403, tenants from the token's own project";

const CASES: Case[] = [
  {
    name: 'a failed page (Glance answers 500 on page 2)',
    fault: (cloud) => {
      cloud.behaviour.glanceMaxLimit = 1;
      cloud.failMatching((r) => r.path.endsWith('/v2/images') && r.query.has('marker'), { status: 500, body: { message: 'glance is down' } });
    },
    job: (cloud, doubles) => ({
      status: { code: 500, state: 'failed', status: expect.stringContaining(`images: Glance GET ${doubles.openstack.url}/RegionOne/image/v2/images answered 500`) },
      kept: [],
    }),
  },
  {
    name: 'a looping next (Glance page 2 points back at page 1)',
    fault: (cloud) => {
      cloud.behaviour.glanceMaxLimit = 1;
      cloud.failMatching((r) => r.path.endsWith('/v2/images') && r.query.has('marker'), {
        status: 200,
        body: { images: [images(cloud)[1]], schema: '/v2/schemas/images', first: '/v2/images', next: '/v2/images?limit=1000' },
      });
    },
    job: (cloud) => ({ status: finished, kept: keptAll('image', [images(cloud)[2].id], 'listing incomplete: Glance next did not advance') }),
  },
  {
    name: 'the page cap (HTTP_MAX_PAGES) cutting the image list',
    env: { HTTP_MAX_PAGES: '2' },
    fault: (cloud) => (cloud.behaviour.glanceMaxLimit = 1),
    job: (cloud, doubles) => ({
      status: {
        ...finished,
        status: finished.status,
        warnings: [`Glance GET ${doubles.openstack.url}/RegionOne/image/v2/images: list cut after 2 pages (HTTP_MAX_PAGES)`],
      },
      kept: keptAll('image', [images(cloud)[2].id], 'listing incomplete: Glance list cut after 2 pages (HTTP_MAX_PAGES)'),
    }),
  },
  {
    name: 'Keystone\'s list_limit ("truncated": true)',
    fault: (cloud) => (cloud.behaviour.keystoneListLimit = 3),
    job: (cloud) => ({
      status: finished,
      kept: keptAll(
        'tenant',
        cloud.cloud.projects.slice(3).map((p) => p.id),
        'listing incomplete: Keystone list truncated',
      ),
    }),
  },
  {
    name: 'a 403 on /projects',
    fault: (cloud) => (cloud.behaviour.forbidProjects = true),
    job: (cloud) => ({ status: finished, kept: keptAll('tenant', tenantsBut(cloud, 'admin'), FORBIDDEN_PROJECTS) }),
  },
  {
    name: 'a non-admin token (a Project header scoping to a project where the user is a member)',
    // An image private to the admin project: Glance does not list it to demo's token.
    cloud: (cloud) =>
      images(cloud).push({ ...images(cloud)[0], id: PRIVATE_IMAGE, name: 'admin-only', self: `/v2/images/${PRIVATE_IMAGE}`, visibility: 'private', owner: ADMIN_ID }),
    fault: (cloud) => (cloud.cloud.rolesOf = { admin: { [DEMO_ID]: ['member', 'reader'] } }),
    headers: { Project: DEMO },
    // Nova's zone detail is admin-only: that read fails and the job says so; nothing is lost.
    job: (cloud, doubles) => ({
      status: { code: 403, state: 'failed', status: expect.stringContaining(`Nova GET ${doubles.openstack.url}/RegionOne/compute/v2.1/${DEMO_ID}/os-`) },
      kept: [
        ...keptAll('tenant', tenantsBut(cloud, DEMO), FORBIDDEN_PROJECTS),
        // onap.hpa.all is private, shared with the admin project only: demo's token cannot see it (its capabilities stay with it).
        { kind: 'flavor', id: HPA_ALL_ID, reason: 'listing not authoritative: flavors listed without admin rights' },
        { kind: 'image', id: PRIVATE_IMAGE, reason: 'listing not authoritative: images listed without admin rights' },
      ],
    }),
  },
  {
    name: 'a private flavor shared with no project (listed with is_public=None)',
    fault: (cloud) => region(cloud).flavors.push({ ...region(cloud).flavors[0], id: '900', name: 'private.nobody', 'os-flavor-access:is_public': false, links: [] }),
    after: (held) =>
      held.regions[`CloudOwner/RegionOne`].flavors.flavor.push({
        'flavor-id': '900',
        'flavor-name': 'private.nobody',
        'flavor-vcpus': 1,
        'flavor-ram': 512,
        'flavor-disk': 1,
        'flavor-ephemeral': 0,
        'flavor-swap': '',
        'flavor-is-public': false,
        'flavor-disabled': false,
        'flavor-selflink': 'http://0.0.0.0',
      }),
    job: () => ({ status: { ...finished, changes: { [VIM]: expect.objectContaining({ created: { flavor: 1 } }) } }, kept: [] }),
  },
  {
    name: 'a locked host (its nova-compute disabled, left out of the zone listing)',
    fault: (cloud) => cloud.lockHost('RegionOne', 'compute-1'),
    job: () => ({ status: finished, kept: [] }),
  },
  {
    name: 'every host of a zone locked (Nova lists the zone unavailable, without hosts)',
    fault: (cloud) => {
      cloud.lockHost('RegionOne', 'compute-1');
      cloud.lockHost('RegionOne', 'compute-2');
    },
    after: (held) => {
      const az2 = held.regions['CloudOwner/RegionOne']['availability-zones']['availability-zone'].find((z: Json) => z['availability-zone-name'] === 'az2');
      az2['operational-status'] = 'false';
    },
    job: () => ({ status: { ...finished, changes: { [VIM]: expect.objectContaining({ updated: { 'availability-zone': 1 } }) } }, kept: [] }),
  },
  {
    name: 'a down host',
    fault: (cloud) => cloud.downHost('RegionOne', 'compute-2'),
    job: () => ({ status: finished, kept: [] }),
  },
];

describe.each<AaiVersion>(['v13', 'v16'])('listing faults on A&AI %s: A&AI keeps everything the cloud still has', (version) => {
  let doubles: Doubles | undefined;
  let service: TestApp | undefined;

  async function start(env: Record<string, string> = {}): Promise<Doubles> {
    await resetStore();
    doubles = await startDoubles({ version });
    service = await startApp(doubles, { HTTP_RETRIES: '0', ...env });
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'RegionOne' });
    return doubles;
  }

  afterEach(async () => {
    await service?.close();
    await stopDoubles(doubles);
    service = doubles = undefined;
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { aai, openstack } = await start(c.env);
    c.cloud?.(openstack);
    expect(await registerCloudOwnerRegion(service!.http, 'RegionOne')).toMatchObject(finished);
    const held = snapshot(aai);

    c.fault(openstack);
    const status = await registerCloudOwnerRegion(service!.http, 'RegionOne', c.headers);
    const expected = c.job(openstack, doubles!, held);
    expect(status).toMatchObject(expected.status);
    const changes = status.changes?.[VIM];
    expect(changes?.deleted ?? {}).toEqual({});
    expect(sortedKept(changes?.kept ?? [])).toEqual(sortedKept(expected.kept));
    expect(changes?.failed ?? []).toEqual([]);

    c.after?.(held, openstack);
    expect(snapshot(aai)).toEqual(normal(held));
  });

  it('the plan route shows the same: a truncated project list deletes nothing and keeps the rest with the reason', async () => {
    const { aai, openstack } = await start();
    await registerCloudOwnerRegion(service!.http, 'RegionOne');
    const held = snapshot(aai);
    openstack.behaviour.keystoneListLimit = 3;
    const plan = await request(service!.http).get(`${REGISTRY}/plan`).expect(200);
    expect(plan.body).toEqual({
      vimid: VIM,
      regions: [
        {
          vimid: VIM,
          openstackRegionId: 'RegionOne',
          action: 'unchanged',
          unchanged: { tenant: 3, flavor: 8, 'hpa-capability': 14, image: 3, 'availability-zone': 2, pserver: 3 },
          kept: sortedKept(
            keptAll(
              'tenant',
              openstack.cloud.projects.slice(3).map((p) => p.id),
              'listing incomplete: Keystone list truncated',
            ),
          ),
        },
      ],
    });
    expect(snapshot(aai)).toEqual(held);
    expect(openstack.cloud.projects[0].id).toBe(ADMIN_ID);
  });
});

function sortedKept(kept: Kept[]): Kept[] {
  return [...kept].sort((a, b) => `${a.kind} ${a.id}`.localeCompare(`${b.kind} ${b.id}`));
}

/** Every region and pserver A&AI holds, without resource-versions, esr ids or list order. */
function snapshot(aai: AaiDouble): Json {
  const regions = Object.fromEntries(aai.regionIds().map((id) => [id, normal(aai.get(`${REGIONS}/${id}`))]));
  const pservers = Object.fromEntries(aai.pserverNames().map((name) => [name, normal(aai.pserver(name))]));
  return { regions, pservers };
}

function normal(value: any): any {
  if (Array.isArray(value)) return value.map(normal).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== 'resource-version' && key !== 'esr-system-info-id')
        .map(([key, item]) => [key, key === 'cloud-extra-info' && typeof item === 'string' ? JSON.parse(item) : normal(item)]),
    );
  }
  return value;
}
