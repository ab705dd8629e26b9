import request from 'supertest';

import { HeatCloud } from '../servers/heat-double';
import { pollWorkload, soCreateRequest } from '../support/infra-workload';
import { PREFIX, eventually, onboardRegion, registerCloudOwnerRegion } from '../support/regions';
import { describeWithRedis, withRedis } from '../support/redis';
import { Doubles, serveReplicas } from '../support/start-app';

const ADMIN_PROJECT = '0c4e939acacf4376bdcd1129f1a054ad';
const SO_HEADERS = { Project: ADMIN_PROJECT, 'Content-Type': 'application/json' };
const IDS = { vnf: '7a3b1c5e-vnf-0003', vfModule: 'c9d8e7f6-vfm-0003' };
const BASE = `${PREFIX}/v1/CloudOwner/RegionOne/infra_workload`;
const VSERVERS = `/cloud-infrastructure/cloud-regions/cloud-region/CloudOwner/RegionOne/tenants/tenant/${ADMIN_PROJECT}/vservers`;
const VNF = `/network/generic-vnfs/generic-vnf/${IDS.vnf}`;

/**
 * Workload jobs are jobs of SPEC 11: their records live in the store (plain JSON, no
 * secret), one job per workload runs at a time across replicas, and a heatbridge a
 * stopping replica left is resumed by another.
 */
describeWithRedis('infra_workload jobs: stored, one per workload, resumed by another replica', () => {
  let doubles: Doubles;
  const replica = serveReplicas((started) => (doubles = started), { JOB_CLAIM_TTL_MS: '1500' });
  let heat: HeatCloud;

  beforeAll(async () => {
    const region = doubles.openstack.region('RegionOne');
    heat = region.heat = new HeatCloud(region);
    heat.pollsToComplete = 0;
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'RegionOne' });
    const first = await replica();
    expect((await registerCloudOwnerRegion(first.http, 'RegionOne')).code).toBe(0);
    doubles.aai.seed(VNF, { 'vnf-id': IDS.vnf, 'vnf-type': 'vFW/vFW 0' });
    doubles.aai.seed(`${VNF}/vf-modules/vf-module/${IDS.vfModule}`, { 'vf-module-id': IDS.vfModule });
  });
  afterEach(() => doubles.aai.clearFaults());

  async function createdStack(http: import('node:http').Server, name: string): Promise<string> {
    const created = await request(http).post(BASE).set(SO_HEADERS).send(soCreateRequest(name, IDS)).expect(201);
    const id = created.body.workload_id;
    expect((await pollWorkload(http, `${BASE}/${id}`, SO_HEADERS, 'CREATE_IN_PROGRESS', [])).body.workload_status).toBe('CREATE_COMPLETE');
    return id;
  }

  it('a heatbridge interrupted by a replica that stops is resumed by another, and its record is plain JSON in Redis', async () => {
    const a = await replica();
    const id = await createdStack(a.http, 'resumed');
    // A&AI takes the vserver's PUT and never answers while A runs the heatbridge.
    doubles.aai.failNext('PUT', /\/vservers\/vserver\//, 'hang', 1);
    await request(a.http).post(`${BASE}/${id}`).set(SO_HEADERS).send({ 'generic-vnf-id': IDS.vnf, 'vf-module-id': IDS.vfModule }).expect(202);
    await eventually(() => doubles.aai.count('PUT', /\/vservers\/vserver\//) === 1);
    await a.close();
    const record = await withRedis((client) => client.get(`mcstx:workload_job:CloudOwner_RegionOne/${id}`));
    expect(JSON.parse(record!)).toEqual(expect.objectContaining({ kind: 'register', state: 'in-progress', interruption: 'the service instance running it stopped' }));
    expect(record).not.toContain('os-secret-password');

    const b = await replica();
    const done = await pollWorkload(b.http, `${BASE}/${id}`, SO_HEADERS, 'UPDATE_IN_PROGRESS', [], 15_000);
    expect(done.body).toEqual({
      template_type: 'HEAT',
      workload_id: id,
      workload_status: 'UPDATE_COMPLETE',
      workload_status_reason: `heatbridge of stack ${id}: 1 vserver(s) and 2 l-interface(s) written, 0 already in A&AI`,
    });
    expect(doubles.aai.get(VSERVERS.replace(/\/vservers$/, ''))?.vservers.vserver).toHaveLength(1);
  });

  it('one job per workload: a heatbridge asked again while one runs is absorbed, and A&AI is written once', async () => {
    const a = await replica();
    const id = await createdStack(a.http, 'once');
    doubles.aai.slowDown(/\/vservers\/vserver\//, 300);
    const before = doubles.aai.count('PUT', /\/vservers\/vserver\//);
    const reads = doubles.aai.count('GET', /\/vservers\/vserver\/[^/]+$/);
    for (let i = 0; i < 3; i += 1) await request(a.http).post(`${BASE}/${id}`).set(SO_HEADERS).send({}).expect(202);
    const done = await pollWorkload(a.http, `${BASE}/${id}`, SO_HEADERS, 'UPDATE_IN_PROGRESS', [], 15_000);
    expect(done.body.workload_status).toBe('UPDATE_COMPLETE');
    // One run: the vserver read once, it and its two l-interfaces each PUT once.
    expect(doubles.aai.count('GET', /\/vservers\/vserver\/[^/]+$/) - reads).toBe(1);
    expect(doubles.aai.count('PUT', /\/vservers\/vserver\//) - before).toBe(3);
  });
});
