import request from 'supertest';

import { PREFIX, onboardRegion, waitForJob } from '../support/regions';
import { Doubles, TestApp, serveSuite } from '../support/start-app';

type Json = Record<string, any>;

const REGISTRY = `${PREFIX}/v1/CloudOwner/RegionOne/registry`;
const CHECK = `${PREFIX}/v1/CloudOwner/RegionOne/capacity_check`;
const DEMAND = { vCPU: 1, Memory: 1, Storage: 1 };

/** SPEC 11: a 200 that is not the documented shape is an error naming the call, never data. */
describe('remote answers of the wrong shape', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started), { env: { HTTP_RETRIES: '0', HTTP_MAX_PAGES: '2' } });
  const compute = () => `${doubles.openstack.url}/RegionOne/compute/v2.1/${doubles.openstack.cloud.projects.find((p) => p.name === 'admin')!.id}`;
  const glance = () => `${doubles.openstack.url}/RegionOne/image`;

  async function register(): Promise<Json> {
    await request(service.http).post(REGISTRY).expect(202);
    return waitForJob(service.http, REGISTRY);
  }

  beforeAll(async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'RegionOne' });
    expect(await register()).toMatchObject({ code: 0 });
  });

  afterEach(() => {
    doubles.openstack.clearFaults();
    delete doubles.openstack.behaviour.glanceMaxLimit;
  });

  it('capacity_check fails closed on an HTML page where Nova limits should be', async () => {
    doubles.openstack.failNext('GET', /\/limits$/, { status: 200, body: '<html>maintenance</html>', headers: { 'Content-Type': 'text/html' } });
    const answer = await request(service.http).post(CHECK).send(DEMAND);
    expect({ status: answer.status, body: answer.body }).toEqual({
      status: 500,
      body: { result: false, error: `Nova GET ${compute()}/limits failed: malformed answer: not JSON` },
    });
  });

  it('capacity_check fails closed when a quota figure is missing (never "unlimited")', async () => {
    doubles.openstack.failNext('GET', /compute\/.*\/limits$/, { status: 200, body: { limits: { absolute: { maxTotalRAMSize: 51200, totalRAMUsed: 0, totalCoresUsed: 0 } } } });
    const answer = await request(service.http).post(CHECK).send(DEMAND);
    expect({ status: answer.status, body: answer.body }).toEqual({
      status: 500,
      body: { result: false, error: `Nova GET ${compute()}/limits failed: malformed answer: limits.absolute lacks the number(s) maxTotalCores` },
    });
  });

  it('a flavor list without "flavors" fails the registration naming the call, instead of zero flavors', async () => {
    doubles.openstack.failNext('GET', /flavors\/detail$/, { status: 200, body: {} });
    const status = await register();
    expect(status).toMatchObject({ code: 11, state: 'failed' });
    expect(status.status).toContain(`flavors: Nova GET ${compute()}/flavors/detail failed: malformed answer: "flavors" is not a list of objects`);
    expect(doubles.aai.region('CloudOwner', 'RegionOne')!.flavors.flavor).toHaveLength(8);
  });

  it("an HTML page where A&AI's region should be fails the job naming the call", async () => {
    doubles.aai.failNext('GET', /\/cloud-region\/CloudOwner\/RegionOne$/, { status: 200, body: '<html>login</html>', headers: { 'Content-Type': 'text/html' } });
    const status = await register();
    expect(status).toMatchObject({ state: 'failed', code: 11 });
    expect(status.status).toContain(
      `A&AI GET ${doubles.aai.serviceUrl}/v13/cloud-infrastructure/cloud-regions/cloud-region/CloudOwner/RegionOne failed: malformed answer: not JSON`,
    );
  });

  it('stops paging when next does not advance and drops repeated ids', async () => {
    const image = doubles.openstack.region('RegionOne').images[0];
    const page = { status: 200, body: { images: [image, image], next: '/v2/images?marker=stuck&limit=1000' } };
    doubles.openstack.failNext('GET', /\/image\/v2\/images$/, page, 5);
    const before = doubles.openstack.callsTo('glance').length;
    const status = await register();
    expect(status).toMatchObject({ code: 0, counts: { images: 1 } });
    expect(doubles.openstack.callsTo('glance').length - before).toBe(2);
  });

  it('says so in the status when a list is cut at HTTP_MAX_PAGES', async () => {
    doubles.openstack.behaviour.glanceMaxLimit = 1;
    const status = await register();
    expect(status).toMatchObject({ code: 0, counts: { images: 2 } });
    expect(status.warnings).toEqual([`Glance GET ${glance()}/v2/images: list cut after 2 pages (HTTP_MAX_PAGES)`]);
  });
});
