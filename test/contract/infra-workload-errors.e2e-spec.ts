import request from 'supertest';

import { HeatCloud } from '../servers/heat-double';
import { pollWorkload, soCreateRequest, soRefuses } from '../support/infra-workload';
import { PREFIX, eventually, onboardRegion, registerCloudOwnerRegion } from '../support/regions';
import { Doubles, TestApp, serveSuite } from '../support/start-app';

const ADMIN_PROJECT = '0c4e939acacf4376bdcd1129f1a054ad';
const SO_HEADERS = { Project: ADMIN_PROJECT, 'Content-Type': 'application/json' };
const IDS = { vnf: '7a3b1c5e-vnf-0002', vfModule: 'c9d8e7f6-vfm-0002' };
const CHANGING = { vnf: '7a3b1c5e-vnf-0009', vfModule: 'c9d8e7f6-vfm-0009' };

describe('infra_workload: paths, bad requests, Heat errors and failed writes (Heat region)', () => {
  let doubles: Doubles;
  let service: TestApp;
  let heat: HeatCloud;
  const seen: unknown[] = [];
  serveSuite((started) => ({ doubles, service } = started), { aai: { version: 'v16' } });

  beforeAll(async () => {
    const region = doubles.openstack.region('RegionOne');
    heat = region.heat = new HeatCloud(region);
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'RegionOne' });
    expect((await registerCloudOwnerRegion(service.http, 'RegionOne')).code).toBe(0);
  });
  afterAll(() => expect(seen.map(soRefuses).filter(Boolean)).toEqual([]));

  const v1 = `${PREFIX}/v1/CloudOwner/RegionOne/infra_workload`;
  const v0 = `${PREFIX}/v0/CloudOwner_RegionOne/infra_workload`;
  const keep = (response: request.Response) => (seen.push(response.body), response);
  const failure = (id: string, status: string, reason: unknown) => ({ template_type: 'HEAT', workload_id: id, workload_status: status, workload_status_reason: reason });

  it('v0 and v1, with or without a trailing slash, answer the same', async () => {
    for (const path of [`${v0}?name=none`, `${v0}/?name=none`, `${v1}?name=none`, `${v1}/?name=none`]) {
      const response = keep(await request(service.http).get(path).set(SO_HEADERS).expect(200));
      expect(response.body).toEqual({ template_type: 'HEAT', workload_id: '', workload_status: 'GET_COMPLETE', workload_status_reason: { stacks: [] } });
    }
  });

  it('a vimid that does not decode, a region A&AI lacks, no name or id: errors in the envelope', async () => {
    const bad = keep(await request(service.http).get(`${PREFIX}/v0/nounderscore/infra_workload/abc`).expect(400));
    expect(bad.body).toEqual(failure('abc', 'GET_FAILED', expect.stringContaining('nounderscore')));
    const absent = keep(await request(service.http).post(`${PREFIX}/v1/CloudOwner/Nowhere/infra_workload`).set(SO_HEADERS).send(soCreateRequest('x', IDS)).expect(404));
    expect(absent.body).toEqual(failure('', 'CREATE_FAILED', 'Cloud Region not found in AAI: CloudOwner_Nowhere'));
    const neither = keep(await request(service.http).get(v1).set(SO_HEADERS).expect(400));
    expect(neither.body).toEqual(failure('', 'GET_FAILED', 'workload id is not found in API url: give ?name= or ?id='));
    const deleteAll = keep(await request(service.http).delete(v1).set(SO_HEADERS).expect(400));
    expect(deleteAll.body).toEqual(failure('', 'DELETE_FAILED', 'workload id is not found in API url'));
  });

  it('a create body that is not JSON, lacks template_data or names another template type: 400 CREATE_FAILED, nothing sent to Heat', async () => {
    const before = doubles.openstack.callsTo('heat').length;
    const notJson = keep(await request(service.http).post(v1).set(SO_HEADERS).send('{"template_data":').expect(400));
    expect(notJson.body).toEqual(failure('', 'CREATE_FAILED', 'the body is not valid JSON'));
    const missing = keep(await request(service.http).post(v1).set(SO_HEADERS).send({ template_type: 'heat' }).expect(400));
    expect(missing.body).toEqual(failure('', 'CREATE_FAILED', 'bad request body: template_data should not be null or undefined'));
    const nameless = keep(
      await request(service.http)
        .post(v1)
        .set(SO_HEADERS)
        .send({ template_data: { template: {}, timeout_mins: 'soon' } })
        .expect(400),
    );
    expect(nameless.body).toEqual(
      failure(
        '',
        'CREATE_FAILED',
        'bad request body: template_data.stack_name should not be empty; template_data.stack_name must be a string; template_data.timeout_mins must not be less than 1; template_data.timeout_mins must be an integer number',
      ),
    );
    const tosca = keep(
      await request(service.http)
        .post(v1)
        .set(SO_HEADERS)
        .send({ ...soCreateRequest('t', IDS), template_type: 'tosca' })
        .expect(400),
    );
    expect(tosca.body).toEqual(failure('', 'CREATE_FAILED', 'Bad parameters: template type tosca is not heat'));
    expect(doubles.openstack.callsTo('heat').length).toBe(before);
  });

  it("Heat's refusal passes on as 400 CREATE_FAILED with Heat's message, credentials masked", async () => {
    keep(await request(service.http).post(v1).set(SO_HEADERS).send(soCreateRequest('twice', IDS)).expect(201));
    const again = keep(await request(service.http).post(v1).set(SO_HEADERS).send(soCreateRequest('twice', IDS)).expect(400));
    const stacks = `${doubles.openstack.url}/RegionOne/orchestration/v1/${ADMIN_PROJECT}/stacks`;
    expect(again.body).toEqual(failure('', 'CREATE_FAILED', `Heat POST ${stacks} answered 409: The Stack (twice) already exists.`));
    doubles.openstack.failNext('POST', /\/stacks$/, {
      status: 400,
      body: {
        explanation: 'bad',
        code: 400,
        error: { message: 'keystone refused user admin with password os-secret-password', type: 'AuthorizationFailure' },
        title: 'Bad Request',
      },
    });
    const leaky = keep(await request(service.http).post(v1).set(SO_HEADERS).send(soCreateRequest('leaky', IDS)).expect(400));
    expect(leaky.body).toEqual(failure('', 'CREATE_FAILED', `Heat POST ${stacks} answered 400: keystone refused user admin with password ***`));
  });

  it('a heatbridge after the cloud changed writes only what changed (updates with resource-versions, address entries included)', async () => {
    heat.pollsToComplete = 0;
    doubles.aai.seed(`/network/generic-vnfs/generic-vnf/${CHANGING.vnf}`, { 'vnf-id': CHANGING.vnf, 'vnf-type': 'vFW/vFW 0' });
    doubles.aai.seed(`/network/generic-vnfs/generic-vnf/${CHANGING.vnf}/vf-modules/vf-module/${CHANGING.vfModule}`, { 'vf-module-id': CHANGING.vfModule });
    const created = keep(await request(service.http).post(v1).set(SO_HEADERS).send(soCreateRequest('changing', CHANGING)).expect(201));
    const id = created.body.workload_id;
    await pollWorkload(service.http, `${v1}/${id}`, SO_HEADERS, 'CREATE_IN_PROGRESS', seen);
    const bridge = async () => {
      keep(await request(service.http).post(`${v1}/${id}`).set(SO_HEADERS).send({ 'generic-vnf-id': CHANGING.vnf, 'vf-module-id': CHANGING.vfModule }).expect(202));
      return (await pollWorkload(service.http, `${v1}/${id}`, SO_HEADERS, 'UPDATE_IN_PROGRESS', seen)).body;
    };
    expect((await bridge()).workload_status).toBe('UPDATE_COMPLETE');
    // The server was stopped and its OAM port got a second address.
    const stackServers = [...heat.servers.values()].filter((s) => s.name === 'vfw-from-user');
    const server = stackServers[stackServers.length - 1];
    server.status = 'SHUTOFF';
    const port = [...heat.ports.values()].find((p) => p.device_id === server.id && p.name === 'vfw_oam_port')!;
    port.fixed_ips.push({ subnet_id: port.fixed_ips[0].subnet_id, ip_address: '10.0.0.99' });
    const before = doubles.aai.writes();
    expect(await bridge()).toEqual(failure(id, 'UPDATE_COMPLETE', `heatbridge of stack ${id}: 1 vserver(s) and 1 l-interface(s) written, 1 already in A&AI`));
    const after = doubles.aai.writes();
    expect([after.bulkRequests - before.bulkRequests, after.bulk.put - before.bulk.put]).toEqual([2, 2]);
    const vserver = doubles.aai.get(`/cloud-infrastructure/cloud-regions/cloud-region/CloudOwner/RegionOne/tenants/tenant/${ADMIN_PROJECT}/vservers/vserver/${server.id}`)!;
    expect(vserver['prov-status']).toBe('SHUTOFF');
    expect(vserver['relationship-list'].relationship).toHaveLength(5);
    const oam = vserver['l-interfaces']['l-interface'].find((l: any) => l['interface-name'] === 'vfw_oam_port');
    expect(oam['l3-interface-ipv4-address-list'].map((a: any) => a['l3-interface-ipv4-address'])).toEqual([port.fixed_ips[0].ip_address, '10.0.0.99']);
  });

  it("Heat's refusal of a read keeps its status and message", async () => {
    const id = '99999999-2222-4333-8444-555555555555';
    doubles.openstack.failNext('GET', new RegExp(`/stacks/${id}$`), {
      status: 403,
      body: {
        explanation: 'Access was denied to this resource.',
        code: 403,
        error: { message: 'You are not authorized to use stacks:show.', type: 'Forbidden' },
        title: 'Forbidden',
      },
    });
    const refused = keep(await request(service.http).get(`${v1}/${id}`).set(SO_HEADERS).expect(403));
    expect(refused.body).toEqual(
      failure(
        id,
        'GET_FAILED',
        `Heat GET ${doubles.openstack.url}/RegionOne/orchestration/v1/${ADMIN_PROJECT}/stacks/${id} answered 403: You are not authorized to use stacks:show.`,
      ),
    );
  });

  it('a DELETE while the heatbridge runs stops it; the delete runs next and ends DELETE_COMPLETE', async () => {
    heat.pollsToComplete = 0;
    const created = keep(await request(service.http).post(v1).set(SO_HEADERS).send(soCreateRequest('interrupted', IDS)).expect(201));
    const id = created.body.workload_id;
    await pollWorkload(service.http, `${v1}/${id}`, SO_HEADERS, 'CREATE_IN_PROGRESS', seen);
    // A&AI takes the heatbridge's first write and never answers.
    doubles.aai.failNext('POST', /\/bulk\/single-transaction$/, 'hang', 1);
    const writes = doubles.aai.count('POST', /\/bulk\/single-transaction$/);
    keep(await request(service.http).post(`${v1}/${id}`).set(SO_HEADERS).send({}).expect(202));
    await eventually(() => doubles.aai.count('POST', /\/bulk\/single-transaction$/) > writes);
    expect(keep(await request(service.http).get(`${v1}/${id}`).set(SO_HEADERS).expect(200)).body).toEqual(
      failure(id, 'UPDATE_IN_PROGRESS', `heatbridge of stack ${id} in progress`),
    );
    await request(service.http).delete(`${v1}/${id}`).set(SO_HEADERS).expect(204);
    const done = await pollWorkload(service.http, `${v1}/${id}`, SO_HEADERS, 'UPDATE_IN_PROGRESS', seen);
    const final = done.body.workload_status === 'DELETE_IN_PROGRESS' ? (await pollWorkload(service.http, `${v1}/${id}`, SO_HEADERS, 'DELETE_IN_PROGRESS', seen)).body : done.body;
    expect(final).toEqual(failure(id, 'DELETE_COMPLETE', `stack ${id} deleted; 0 vserver(s) and 0 l-interface(s) removed from A&AI`));
    expect(heat.stacks.has(id)).toBe(false);
  });

  it('a heatbridge of a stack not CREATE_COMPLETE ends UPDATE_FAILED, writing nothing', async () => {
    heat.pollsToComplete = 1_000;
    const created = keep(await request(service.http).post(v1).set(SO_HEADERS).send(soCreateRequest('slow', IDS)).expect(201));
    const id = created.body.workload_id;
    const before = doubles.aai.writes();
    keep(await request(service.http).post(`${v1}/${id}`).set(SO_HEADERS).send({}).expect(202));
    const done = await pollWorkload(service.http, `${v1}/${id}`, SO_HEADERS, 'UPDATE_IN_PROGRESS', seen);
    expect(done).toEqual({ status: 200, body: failure(id, 'UPDATE_FAILED', `stack ${id} is CREATE_IN_PROGRESS, not CREATE_COMPLETE`) });
    expect(doubles.aai.writes()).toEqual(before);
    heat.pollsToComplete = 0;
  });

  it('a heatbridge whose write A&AI refuses ends UPDATE_FAILED naming it (a generic-vnf A&AI does not hold)', async () => {
    heat.pollsToComplete = 0;
    const created = keep(await request(service.http).post(v1).set(SO_HEADERS).send(soCreateRequest('orphan', IDS)).expect(201));
    const id = created.body.workload_id;
    await pollWorkload(service.http, `${v1}/${id}`, SO_HEADERS, 'CREATE_IN_PROGRESS', seen);
    keep(await request(service.http).post(`${v1}/${id}`).set(SO_HEADERS).send({ 'generic-vnf-id': IDS.vnf, 'vf-module-id': IDS.vfModule }).expect(202));
    const done = await pollWorkload(service.http, `${v1}/${id}`, SO_HEADERS, 'UPDATE_IN_PROGRESS', seen);
    expect(done.body).toEqual(
      failure(
        id,
        'UPDATE_FAILED',
        expect.stringMatching(
          new RegExp(
            `^heatbridge of stack ${id}: 3 A&AI write\\(s\\) failed, the first: create /cloud-infrastructure/cloud-regions/cloud-region/CloudOwner/RegionOne/tenants/tenant/${ADMIN_PROJECT}/vservers/vserver/[0-9a-f-]{36}: .*related object not found: /aai/v16/network/generic-vnfs/generic-vnf/${IDS.vnf}`,
          ),
        ),
      ),
    );
    // Heat made the server; A&AI holds none of it.
    expect(heat.stacks.get(id)?.status).toBe('CREATE_COMPLETE');
    expect(doubles.aai.get(`/cloud-infrastructure/cloud-regions/cloud-region/CloudOwner/RegionOne/tenants/tenant/${ADMIN_PROJECT}/vservers`)).toBeUndefined();
  });
});

describe('infra_workload: which orchestrator (regions without Heat)', () => {
  let doubles: Doubles;
  let service: TestApp;
  const seen: unknown[] = [];
  serveSuite((started) => ({ doubles, service } = started));

  beforeAll(() => {
    // The same cloud, its catalog without orchestration: one region marked Kubernetes by its isystem, one not.
    onboardRegion(doubles.aai, doubles.openstack, {
      owner: 'CloudOwner',
      region: 'RegionK8s',
      extraInfo: { 'openstack-region-id': 'RegionOne', isystem: { software_version: '19.12' } },
    });
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'RegionPlain', extraInfo: { 'openstack-region-id': 'RegionOne' } });
  });

  it('no orchestration and no Kubernetes: 400 CREATE_FAILED naming the cause (the openstack region: the cloud-region-id, as nothing else names one)', async () => {
    const response = await request(service.http).post(`${PREFIX}/v1/CloudOwner/RegionPlain/infra_workload`).set(SO_HEADERS).send(soCreateRequest('plain', IDS)).expect(400);
    seen.push(response.body);
    expect(response.body).toEqual({
      template_type: 'HEAT',
      workload_id: '',
      workload_status: 'CREATE_FAILED',
      workload_status_reason: 'no orchestration service in region RegionPlain of CloudOwner_RegionPlain, and its isystem marks no Kubernetes platform',
    });
    expect(seen.map(soRefuses).filter(Boolean)).toEqual([]);
  });

  it("a Kubernetes region: the multicloud-k8s plugin's infra_workload, its answers unchanged", async () => {
    const base = `${PREFIX}/v1/CloudOwner/RegionK8s/infra_workload`;
    const body = {
      ...soCreateRequest('vfw-k8s', IDS),
      user_directives: {
        attributes: [
          { attribute_name: 'definition-name', attribute_value: 'vfw' },
          { attribute_name: 'definition-version', attribute_value: 'v1' },
          { attribute_name: 'profile-name', attribute_value: 'default' },
        ],
      },
    };
    const created = await request(service.http).post(base).set(SO_HEADERS).send(body).expect(201);
    expect(created.body).toEqual({
      template_type: 'heat',
      workload_id: 'k8s-1-regionk8s',
      template_response: [],
      workload_status: 'CREATE_COMPLETE',
      workload_status_reason: null,
    });
    const forwarded = doubles.k8s.requests.find((r) => r.method === 'POST' && r.path.endsWith('/infra_workload'))!;
    expect(forwarded.path).toBe('/api/multicloud-k8s/v1/CloudOwner/RegionK8s/infra_workload');
    expect(forwarded.body).toEqual(body);
    expect(forwarded.headers.project).toBe(ADMIN_PROJECT);
    const found = await request(service.http).get(`${base}?name=vfw-k8s`).set(SO_HEADERS).expect(200);
    expect(found.body).toEqual({
      template_type: 'heat',
      workload_id: 'k8s-1-regionk8s',
      workload_status: 'CREATE_COMPLETE',
      workload_status_reason: { stacks: [{ stack_status: 'CREATE_COMPLETE', id: 'k8s-1-regionk8s' }] },
    });
    const refused = await request(service.http).post(base).set(SO_HEADERS).send(soCreateRequest('no-directives', IDS)).expect(400);
    expect([refused.text, refused.headers['content-type']]).toEqual(['definition-name is missing from user-directives\n', 'text/plain; charset=utf-8']);
    const deleted = await request(service.http).delete(`${base}/k8s-1-regionk8s`).set(SO_HEADERS).expect(202);
    expect(deleted.body).toEqual({ template_type: 'heat', workload_id: 'k8s-1-regionk8s', workload_status: 'DELETE_COMPLETE', workload_status_reason: null });
    expect(doubles.k8s.workloads.size).toBe(0);
  });
});

describe('infra_workload in the API documents', () => {
  let service: TestApp;
  serveSuite((started) => ({ service } = started));

  it('names the request shapes and the four-key answer of every route, errors included', async () => {
    const doc = (await request(service.http).get(`${PREFIX}/v1/swagger.json`).expect(200)).body;
    const json = (ref: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } });
    const collection = doc.paths['/{owner}/{region}/infra_workload'];
    const one = doc.paths['/{owner}/{region}/infra_workload/{workloadId}'];
    expect(collection.post.requestBody).toEqual({ required: true, content: json('WorkloadCreate') });
    expect(one.post.requestBody).toEqual({ required: false, content: json('WorkloadUpdate') });
    for (const operation of [collection.post, collection.get, collection.delete, one.get, one.post, one.delete]) {
      for (const [status, answer] of Object.entries<any>(operation.responses)) {
        expect([status, answer.content]).toEqual([status, status === '204' ? undefined : json('Workload')]);
      }
    }
    const { schemas } = doc.components;
    expect(Object.keys(schemas.Workload.properties)).toEqual(['template_type', 'workload_id', 'workload_status', 'workload_status_reason']);
    expect(schemas.WorkloadCreate.required).toEqual(['template_data']);
    expect(Object.keys(schemas.WorkloadCreate.properties)).toEqual(
      expect.arrayContaining(['generic-vnf-id', 'vf-module-id', 'template_type', 'template_data', 'oof_directives', 'sdnc_directives', 'user_directives']),
    );
    expect(schemas.HeatTemplateData.required).toEqual(['stack_name', 'template']);
  });
});
