import request from 'supertest';

import { AaiVersion } from '../servers/aai-schema';
import { HeatCloud } from '../servers/heat-double';
import { heatStackShow, pollWorkload, soCreateRequest, soRefuses } from '../support/infra-workload';
import { PREFIX, onboardRegion, registerCloudOwnerRegion } from '../support/regions';
import { Doubles, TestApp, serveSuite } from '../support/start-app';

const ADMIN_PROJECT = '0c4e939acacf4376bdcd1129f1a054ad';
const VIM = 'CloudOwner_RegionOne';
const REGION = '/cloud-infrastructure/cloud-regions/cloud-region/CloudOwner/RegionOne';
const TENANT = `${REGION}/tenants/tenant/${ADMIN_PROJECT}`;
const VNF = '/network/generic-vnfs/generic-vnf/7a3b1c5e-vnf-0001';
const IDS = { vnf: '7a3b1c5e-vnf-0001', vfModule: 'c9d8e7f6-vfm-0001' };
/** SO sends the tenant id as `Project` on every call (MsoMulticloudUtils.getMulticloudClient). */
const SO_HEADERS = { Project: ADMIN_PROJECT, 'Content-Type': 'application/json' };
const UBUNTU = '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';

/**
 * SO's exact sequence against this service, as MsoMulticloudUtils drives it through the
 * broker: the name check, the create, polls until CREATE_COMPLETE, the heatbridge, polls
 * until UPDATE_COMPLETE, the delete, polls until DELETE_COMPLETE. Every body is asserted
 * whole, and what A&AI holds after each step; on A&AI v16 the heatbridge writes in bulk
 * transactions, on v13 object by object.
 */
describe.each<[AaiVersion, 'bulk' | 'single']>([
  ['v16', 'bulk'],
  ['v13', 'single'],
])('infra_workload: SO instantiates and deletes a vFW module (A&AI %s, %s writes)', (version, mode) => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started), { aai: { version } });

  const base = `${PREFIX}/v1/CloudOwner/RegionOne/infra_workload`;
  const seen: unknown[] = [];
  let heat: HeatCloud;
  let stackId: string;
  const stackName = `vfw_module_${version}`;

  beforeAll(async () => {
    const region = doubles.openstack.region('RegionOne');
    heat = region.heat = new HeatCloud(region);
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'RegionOne' });
    expect((await registerCloudOwnerRegion(service.http, 'RegionOne')).code).toBe(0);
    // SO made the generic-vnf and its vf-module in A&AI before instantiating the module.
    doubles.aai.seed(VNF, { 'vnf-id': IDS.vnf, 'vnf-name': 'vFW_1', 'vnf-type': 'vFW/vFW 0', 'prov-status': 'PREPROV' });
    doubles.aai.seed(`${VNF}/vf-modules/vf-module/${IDS.vfModule}`, { 'vf-module-id': IDS.vfModule, 'vf-module-name': stackName, 'orchestration-status': 'PendingActivation' });
  });

  const heatEndpoint = () => `${doubles.openstack.url}/RegionOne/orchestration/v1/${ADMIN_PROJECT}`;
  const computeEndpoint = () => `${doubles.openstack.url}/RegionOne/compute/v2.1/${ADMIN_PROJECT}`;
  const vserverUri = () => `${TENANT}/vservers/vserver/${[...heat.servers.keys()][0]}`;
  const heatParameters = { vfw_name: 'vfw-from-user', vfw_flavor: 'm1.medium', vfw_image: 'ubuntu-18.04-vnf', oam_net: 'oam_onap_net', private_net: 'vfw_private_net' };

  it('1. the name check: no stack of that name yet, {"stacks": []}', async () => {
    const response = await request(service.http).get(`${base}?name=${stackName}`).set(SO_HEADERS).expect(200);
    seen.push(response.body);
    expect(response.body).toEqual({ template_type: 'HEAT', workload_id: '', workload_status: 'GET_COMPLETE', workload_status_reason: { stacks: [] } });
    expect(doubles.aai.get(`${TENANT}/vservers`)).toBeUndefined();
  });

  it('2. the create: 201 CREATE_IN_PROGRESS with the stack id; parameters overridden by sdnc, then oof, then user directives', async () => {
    const response = await request(service.http).post(base).set(SO_HEADERS).send(soCreateRequest(stackName, IDS)).expect(201);
    seen.push(response.body);
    stackId = response.body.workload_id;
    expect(response.body).toEqual({
      template_type: 'HEAT',
      workload_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      workload_status: 'CREATE_IN_PROGRESS',
      workload_status_reason: { stack: { id: stackId, links: [{ href: `${heatEndpoint()}/stacks/${stackName}/${stackId}`, rel: 'self' }] } },
    });
    const posted = doubles.openstack.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/stacks'));
    expect(posted).toHaveLength(1);
    expect(posted[0].headers['x-auth-token']).toEqual(expect.any(String));
    expect(posted[0].body).toEqual({
      stack_name: stackName,
      template: expect.objectContaining({ heat_template_version: '2013-05-23' }),
      // vf_module_name is no parameter of the template: not sent (Heat would refuse it).
      parameters: { vfw_name: 'vfw-from-user', vfw_flavor: 'm1.medium', vfw_image: 'ubuntu-18.04-vnf' },
      environment: {},
      files: {},
      timeout_mins: 60,
      disable_rollback: true,
    });
    expect(doubles.aai.get(`${TENANT}/vservers`)).toBeUndefined();
  });

  it('3. the polls: CREATE_IN_PROGRESS, then CREATE_COMPLETE with the outputs SO maps', async () => {
    const first = await request(service.http).get(`${base}/${stackId}`).set(SO_HEADERS).expect(200);
    seen.push(first.body);
    const show = { id: stackId, name: stackName, endpoint: heatEndpoint(), project: ADMIN_PROJECT, parameters: heatParameters };
    expect(first.body).toEqual({
      template_type: 'HEAT',
      workload_id: stackId,
      workload_status: 'CREATE_IN_PROGRESS',
      workload_status_reason: { stack: heatStackShow({ ...show, status: 'CREATE_IN_PROGRESS', reason: 'Stack CREATE started', outputs: [] }) },
    });
    const done = await pollWorkload(service.http, `${base}/${stackId}`, SO_HEADERS, 'CREATE_IN_PROGRESS', seen);
    expect(done).toEqual({
      status: 200,
      body: {
        template_type: 'HEAT',
        workload_id: stackId,
        workload_status: 'CREATE_COMPLETE',
        workload_status_reason: {
          stack: heatStackShow({
            ...show,
            status: 'CREATE_COMPLETE',
            reason: 'Stack CREATE completed successfully',
            outputs: [
              { output_key: 'vfw_oam_ip', output_value: '10.0.0.10', description: 'OAM address' },
              { output_key: 'vfw_server_name', output_value: 'vfw-from-user', description: 'No description given' },
            ],
          }),
        },
      },
    });
    // Heat made the server and its two ports; A&AI has nothing of them until the heatbridge.
    expect(heat.servers.size).toBe(1);
    expect(heat.ports.size).toBe(2);
    expect(doubles.aai.get(`${TENANT}/vservers`)).toBeUndefined();
  });

  it('4. the heatbridge: 202, polls until UPDATE_COMPLETE; the vserver with its relationships and l-interfaces with their addresses', async () => {
    const before = doubles.aai.writes();
    const accepted = await request(service.http).post(`${base}/${stackId}`).set(SO_HEADERS).send({ 'generic-vnf-id': IDS.vnf, 'vf-module-id': IDS.vfModule }).expect(202);
    seen.push(accepted.body);
    expect(accepted.body).toEqual({
      template_type: 'HEAT',
      workload_id: stackId,
      workload_status: 'UPDATE_IN_PROGRESS',
      workload_status_reason: `heatbridge of stack ${stackId} accepted`,
    });
    const done = await pollWorkload(service.http, `${base}/${stackId}`, SO_HEADERS, 'UPDATE_IN_PROGRESS', seen);
    for (const body of seen.filter((b: any) => b.workload_status === 'UPDATE_IN_PROGRESS' && b !== accepted.body)) {
      expect(body).toEqual({
        template_type: 'HEAT',
        workload_id: stackId,
        workload_status: 'UPDATE_IN_PROGRESS',
        workload_status_reason: `heatbridge of stack ${stackId} in progress`,
      });
    }
    expect(done).toEqual({
      status: 200,
      body: {
        template_type: 'HEAT',
        workload_id: stackId,
        workload_status: 'UPDATE_COMPLETE',
        workload_status_reason: `heatbridge of stack ${stackId}: 1 vserver(s) and 2 l-interface(s) written, 0 already in A&AI`,
      },
    });
    const [serverId] = heat.servers.keys();
    const ports = [...heat.ports.values()];
    const oam = ports.find((p) => p.name === 'vfw_oam_port')!;
    const priv = ports.find((p) => p.name !== 'vfw_oam_port')!;
    const link = (uri: string) => `/aai/${version}${uri}`;
    const data = (...pairs: Array<[string, string]>) => pairs.map(([key, value]) => ({ 'relationship-key': key, 'relationship-value': value }));
    const inRegion: Array<[string, string]> = [
      ['cloud-region.cloud-owner', 'CloudOwner'],
      ['cloud-region.cloud-region-id', 'RegionOne'],
    ];
    const rv = expect.any(String);
    expect(doubles.aai.get(vserverUri())).toEqual({
      'vserver-id': serverId,
      'vserver-name': 'vfw-from-user',
      'vserver-name2': 'vfw-from-user',
      'vserver-selflink': `${computeEndpoint()}/servers/${serverId}`,
      'prov-status': 'ACTIVE',
      'in-maint': false,
      'is-closed-loop-disabled': false,
      'resource-version': rv,
      'l-interfaces': {
        'l-interface': [
          {
            'interface-name': 'vfw_oam_port',
            'interface-id': oam.id,
            macaddr: oam.mac_address,
            'network-name': 'oam_onap_net',
            'in-maint': false,
            'is-port-mirrored': false,
            'is-ip-unnumbered': false,
            'resource-version': rv,
            'l3-interface-ipv4-address-list': [
              { 'l3-interface-ipv4-address': '10.0.0.10', 'neutron-network-id': oam.network_id, 'neutron-subnet-id': oam.fixed_ips[0].subnet_id, 'resource-version': rv },
            ],
          },
          {
            'interface-name': `${stackName}-vfw_private_port`,
            'interface-id': priv.id,
            macaddr: priv.mac_address,
            'network-name': 'vfw_private_net',
            'in-maint': false,
            'is-port-mirrored': false,
            'is-ip-unnumbered': false,
            'resource-version': rv,
            'l3-interface-ipv6-address-list': [
              { 'l3-interface-ipv6-address': '2001:db8::11', 'neutron-network-id': priv.network_id, 'neutron-subnet-id': priv.fixed_ips[0].subnet_id, 'resource-version': rv },
            ],
          },
        ],
      },
      'relationship-list': {
        relationship: [
          {
            'related-to': 'flavor',
            'relationship-label': 'org.onap.relationships.inventory.Uses',
            'related-link': link(`${REGION}/flavors/flavor/3`),
            'relationship-data': data(...inRegion, ['flavor.flavor-id', '3']),
          },
          {
            'related-to': 'image',
            'relationship-label': 'org.onap.relationships.inventory.Uses',
            'related-link': link(`${REGION}/images/image/${UBUNTU}`),
            'relationship-data': data(...inRegion, ['image.image-id', UBUNTU]),
          },
          {
            'related-to': 'pserver',
            'relationship-label': 'tosca.relationships.HostedOn',
            'related-link': link(`/cloud-infrastructure/pservers/pserver/${VIM}_compute`),
            'relationship-data': data(['pserver.hostname', `${VIM}_compute`]),
          },
          {
            'related-to': 'generic-vnf',
            'relationship-label': 'tosca.relationships.HostedOn',
            'related-link': link(VNF),
            'relationship-data': data(['generic-vnf.vnf-id', IDS.vnf]),
          },
          {
            'related-to': 'vf-module',
            'relationship-label': 'org.onap.relationships.inventory.Uses',
            'related-link': link(`${VNF}/vf-modules/vf-module/${IDS.vfModule}`),
            'relationship-data': data(['generic-vnf.vnf-id', IDS.vnf], ['vf-module.vf-module-id', IDS.vfModule]),
          },
        ],
      },
    });
    // The edges are seen from the other ends too (A&AI edges are both ways).
    expect(doubles.aai.get(`${VNF}/vf-modules/vf-module/${IDS.vfModule}`)?.['relationship-list'].relationship).toEqual([
      expect.objectContaining({ 'related-to': 'vserver', 'related-link': link(vserverUri()) }),
    ]);
    const after = doubles.aai.writes();
    if (mode === 'bulk') {
      // One transaction for the vserver, then one for its two l-interfaces; no single write.
      expect(after.bulkRequests - before.bulkRequests).toBe(2);
      expect(after.bulk.put - before.bulk.put).toBe(3);
      expect(after.single.total - before.single.total).toBe(0);
    } else {
      expect(after.bulkRequests - before.bulkRequests).toBe(0);
      expect(after.single.PUT - before.single.PUT).toBe(3);
    }
  });

  it('5. a second heatbridge of the same stack writes nothing', async () => {
    const held = doubles.aai.get(vserverUri());
    const before = doubles.aai.writes();
    const accepted = await request(service.http).post(`${base}/${stackId}`).set(SO_HEADERS).send({ 'generic-vnf-id': IDS.vnf, 'vf-module-id': IDS.vfModule }).expect(202);
    seen.push(accepted.body);
    const done = await pollWorkload(service.http, `${base}/${stackId}`, SO_HEADERS, 'UPDATE_IN_PROGRESS', seen);
    expect(done.body).toEqual({
      template_type: 'HEAT',
      workload_id: stackId,
      workload_status: 'UPDATE_COMPLETE',
      workload_status_reason: `heatbridge of stack ${stackId}: 0 vserver(s) and 0 l-interface(s) written, 3 already in A&AI`,
    });
    const after = doubles.aai.writes();
    expect([after.single.total, after.bulkRequests]).toEqual([before.single.total, before.bulkRequests]);
    expect(doubles.aai.get(vserverUri())).toEqual(held);
  });

  it('6. the delete: 204 with no body, polls until DELETE_COMPLETE; the stack, then the l-interfaces and the vserver are gone', async () => {
    const uri = vserverUri();
    const asked = Date.now();
    const deleted = await request(service.http).delete(`${base}/${stackId}`).set(SO_HEADERS).expect(204);
    expect(deleted.text).toBe('');
    const done = await pollWorkload(service.http, `${base}/${stackId}`, SO_HEADERS, 'DELETE_IN_PROGRESS', seen);
    expect(done).toEqual({
      status: 200,
      body: {
        template_type: 'HEAT',
        workload_id: stackId,
        workload_status: 'DELETE_COMPLETE',
        workload_status_reason: `stack ${stackId} deleted; 1 vserver(s) and 2 l-interface(s) removed from A&AI`,
      },
    });
    const running = { template_type: 'HEAT', workload_id: stackId, workload_status: 'DELETE_IN_PROGRESS', workload_status_reason: `delete of stack ${stackId} in progress` };
    for (const body of seen.filter((b: any) => b.workload_status === 'DELETE_IN_PROGRESS')) expect(body).toEqual(running);
    // The stack's resources are read before its DELETE, which goes to the canonical path.
    const calls = doubles.openstack.callsTo('heat').filter((r) => r.at >= asked && r.path.includes(stackId));
    const steps = calls.map((r) => `${r.method} ${r.path.endsWith('/resources') ? 'resources' : 'stack'}`);
    expect(steps.indexOf('GET resources')).toBeGreaterThanOrEqual(0);
    expect(steps.indexOf('GET resources')).toBeLessThan(steps.indexOf('DELETE stack'));
    expect(calls.find((r) => r.method === 'DELETE')!.path).toBe(`/RegionOne/orchestration/v1/${ADMIN_PROJECT}/stacks/${stackName}/${stackId}`);
    expect(heat.stacks.size).toBe(0);
    expect(doubles.aai.get(uri)).toBeUndefined();
    expect(doubles.aai.get(`${TENANT}/vservers`)).toBeUndefined();
    // What the vserver was related to stays; only the edges went with it.
    expect(doubles.aai.get(`${REGION}/flavors/flavor/3`)?.['relationship-list']).toBeUndefined();
    expect(doubles.aai.get(`${VNF}/vf-modules/vf-module/${IDS.vfModule}`)).toEqual({
      'vf-module-id': IDS.vfModule,
      'vf-module-name': stackName,
      'orchestration-status': 'PendingActivation',
      'is-base-vf-module': false,
      'automated-assignment': false,
      'resource-version': expect.any(String),
    });
  });

  it('7. a stack Heat does not know: GET 404 GET_FAILED; DELETE 204 then DELETE_COMPLETE', async () => {
    const unknown = '11111111-2222-4333-8444-555555555555';
    const missing = await request(service.http).get(`${base}/${unknown}`).set(SO_HEADERS).expect(404);
    seen.push(missing.body);
    expect(missing.body).toEqual({
      template_type: 'HEAT',
      workload_id: unknown,
      workload_status: 'GET_FAILED',
      workload_status_reason: `stack ${unknown} not found in Heat`,
    });
    await request(service.http).delete(`${base}/${unknown}`).set(SO_HEADERS).expect(204);
    const done = await pollWorkload(service.http, `${base}/${unknown}`, SO_HEADERS, 'DELETE_IN_PROGRESS', seen);
    expect(done).toEqual({
      status: 200,
      body: {
        template_type: 'HEAT',
        workload_id: unknown,
        workload_status: 'DELETE_COMPLETE',
        workload_status_reason: `stack ${unknown} deleted (Heat no longer knew it); 0 vserver(s) and 0 l-interface(s) removed from A&AI`,
      },
    });
  });

  it("SO's strict MulticloudQueryResponse would read every answer above: the four keys and no other", () => {
    expect(seen.length).toBeGreaterThan(8);
    expect(seen.map(soRefuses).filter(Boolean)).toEqual([]);
  });
});
