import { Server } from 'node:http';

import request from 'supertest';

import { fixture } from '../servers/openstack-data';

/** The four keys of SO's MulticloudQueryResponse, and the types it reads them as. */
export const SO_KEYS = ['template_type', 'workload_id', 'workload_status', 'workload_status_reason'];

/**
 * What SO's strict bean (MulticloudQueryResponse: Jackson, no ignoreUnknown) makes of a
 * body: undefined when it would read it, else why it would not.
 */
export function soRefuses(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return `not a JSON object: ${JSON.stringify(body)}`;
  const extra = Object.keys(body).filter((key) => !SO_KEYS.includes(key));
  if (extra.length) return `unrecognized field(s) ${extra.join(', ')}`;
  const b = body as Record<string, unknown>;
  for (const key of ['template_type', 'workload_id', 'workload_status']) {
    if (b[key] !== undefined && b[key] !== null && typeof b[key] !== 'string') return `${key} is not a string`;
  }
  return undefined;
}

/** The stack SO's VNF module template makes here: two ports (IPv4 and IPv6), a server, a random string. */
export function vfwTemplate(): Record<string, unknown> {
  return {
    heat_template_version: '2013-05-23',
    description: 'vFW module (infra_workload contract)',
    parameters: {
      vfw_name: { type: 'string', default: 'vfw-default' },
      vfw_flavor: { type: 'string', default: 'm1.small' },
      vfw_image: { type: 'string', default: 'cirros-0.3.2-x86_64-disk' },
      oam_net: { type: 'string', default: 'oam_onap_net' },
      private_net: { type: 'string', default: 'vfw_private_net' },
    },
    resources: {
      vfw_oam_port: { type: 'OS::Neutron::Port', properties: { name: 'vfw_oam_port', network: { get_param: 'oam_net' } } },
      vfw_private_port: { type: 'OS::Neutron::Port', properties: { network: { get_param: 'private_net' } } },
      vfw_server: {
        type: 'OS::Nova::Server',
        properties: {
          name: { get_param: 'vfw_name' },
          flavor: { get_param: 'vfw_flavor' },
          image: { get_param: 'vfw_image' },
          networks: [{ port: { get_resource: 'vfw_oam_port' } }, { port: { get_resource: 'vfw_private_port' } }],
        },
      },
      vfw_key: { type: 'OS::Heat::RandomString' },
    },
    outputs: {
      vfw_oam_ip: { description: 'OAM address', value: { get_attr: ['vfw_oam_port', 'fixed_ips', 0, 'ip_address'] } },
      vfw_server_name: { value: { get_param: 'vfw_name' } },
    },
  };
}

/** SO's MulticloudRequest for the vFW module (MsoMulticloudUtils.createStack). */
export function soCreateRequest(stackName: string, ids: { vnf: string; vfModule: string }): Record<string, unknown> {
  return {
    'generic-vnf-id': ids.vnf,
    'vf-module-id': ids.vfModule,
    'vf-module-model-invariant-id': '2b4ab7c3-1a32-4e5a-8e5f-4a0a8a9a5c11',
    'vf-module-model-version-id': '7c1e0a3d-5b0e-4f13-9bd5-a2a7b1c2d3e4',
    'vf-module-model-customization-id': '0fa6e2a4-1d43-4a8e-9f10-3c2e1f0a9b8c',
    oof_directives: { directives: [{ type: 'vnfc', directives: [{ type: 'flavor_directives', attributes: [{ attribute_name: 'vfw_flavor', attribute_value: 'm1.medium' }] }] }] },
    sdnc_directives: {
      attributes: [
        { attribute_name: 'vfw_image', attribute_value: 'ubuntu-18.04-vnf' },
        { attribute_name: 'vfw_name', attribute_value: 'vfw-from-sdnc' },
        { attribute_name: 'vf_module_name', attribute_value: stackName },
      ],
    },
    user_directives: { attributes: [{ attribute_name: 'vfw_name', attribute_value: 'vfw-from-user' }] },
    template_type: '',
    template_data: {
      stack_name: stackName,
      template: vfwTemplate(),
      parameters: { vfw_name: 'vfw-from-template', vfw_flavor: 'm1.small' },
      environment: {},
      files: {},
      timeout_mins: 60,
      disable_rollback: true,
    },
  };
}

/** Heat's show body of the stack (heat-v1-stack-show-response.json with this stack's values). */
export function heatStackShow(stack: {
  id: string;
  name: string;
  status: string;
  reason: string;
  endpoint: string;
  project: string;
  parameters: Record<string, unknown>;
  outputs: unknown[];
}): Record<string, unknown> {
  const { stack: sample } = fixture('heat-v1-stack-show-response.json');
  return {
    ...sample,
    creation_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    description: 'vFW module (infra_workload contract)',
    template_description: 'vFW module (infra_workload contract)',
    disable_rollback: true,
    id: stack.id,
    links: [{ href: `${stack.endpoint}/stacks/${stack.name}/${stack.id}`, rel: 'self' }],
    outputs: stack.outputs,
    parameters: { ...stack.parameters, 'OS::project_id': stack.project, 'OS::stack_id': stack.id, 'OS::stack_name': stack.name },
    stack_name: stack.name,
    stack_owner: 'admin',
    stack_status: stack.status,
    stack_status_reason: stack.reason,
    timeout_mins: 60,
  };
}

/** SO's poll: GET the workload every `intervalMs` until its status is no longer `while` (bounded). */
export async function pollWorkload(
  http: Server,
  path: string,
  headers: Record<string, string>,
  while_: string,
  seen: unknown[],
  timeoutMs = 15_000,
): Promise<{ status: number; body: any }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await request(http).get(path).set(headers);
    seen.push(response.body);
    if (response.body?.workload_status !== while_) return { status: response.status, body: response.body };
    if (Date.now() > deadline) throw new Error(`${path} still ${while_} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
