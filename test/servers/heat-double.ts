import { createHash, randomUUID } from 'node:crypto';

import { load } from 'js-yaml';

import { Reply, SeenRequest } from './http-double';
import { Json, RegionData, fixture } from './openstack-data';

/** A Neutron network the stacks' ports can be on (one subnet each). */
export interface HeatNetwork {
  id: string;
  name: string;
  subnetId: string;
  /** e.g. `10.0.0.` (IPv4) or `2001:db8::` (IPv6): fixed IPs are handed out from it. */
  prefix: string;
}

interface StackState {
  id: string;
  name: string;
  status: string;
  reason: string;
  template: Json;
  parameters: Json;
  body: Json;
  /** GETs of the stack left before it completes (create) or is gone (delete). */
  pollsLeft: number;
  created: string;
  resources: Array<{ name: string; type: string; physicalId: string }>;
}

const CREATE_MESSAGE = 'Stack CREATE completed successfully';

/**
 * Heat (`orchestration`), Neutron ports and networks, and the Nova servers a stack makes,
 * for one region of the OpenStack double. A stack is CREATE_IN_PROGRESS for
 * `pollsToComplete` reads of it, then CREATE_COMPLETE with its `OS::Nova::Server` and
 * `OS::Neutron::Port` resources made (flavor and image resolved by id or name among the
 * region's, ports on `networks`, fixed IPs handed out) and its outputs resolved.
 * `GET /stacks/{name or id}` redirects (302) to `/stacks/{name}/{id}` as Heat does;
 * unknown parameters, a second stack of a name and unknown stacks are Heat's errors.
 */
export class HeatCloud {
  readonly stacks = new Map<string, StackState>();
  readonly servers = new Map<string, Json>();
  readonly ports = new Map<string, Json>();
  networks: HeatNetwork[] = [
    { id: 'b1f1c4d0-6a4e-4a5e-9d4b-0a1b2c3d4e01', name: 'oam_onap_net', subnetId: 'c2a2d5e1-7b5f-4b6f-8e5c-1b2c3d4e5f02', prefix: '10.0.0.' },
    { id: 'b1f1c4d0-6a4e-4a5e-9d4b-0a1b2c3d4e03', name: 'vfw_private_net', subnetId: 'c2a2d5e1-7b5f-4b6f-8e5c-1b2c3d4e5f04', prefix: '2001:db8::' },
  ];
  /** Reads of a new stack before it is CREATE_COMPLETE. */
  pollsToComplete = 2;
  /** Reads of a deleting stack before Heat no longer shows it. */
  pollsToDelete = 1;
  /** The compute host (`OS-EXT-SRV-ATTR:host`) servers land on. */
  host = 'compute';
  private addresses = 10;

  constructor(private readonly region: RegionData) {}

  // ---- Heat --------------------------------------------------------------------

  /** `path`: after `/{region}/orchestration/v1/{project}`; `endpoint`: that prefix as a URL. */
  orchestration(request: SeenRequest, path: string[], endpoint: string): Reply {
    if (path[0] !== 'stacks') return heatError(404, 'Not Found', `The resource could not be found: ${request.path}`, 'HTTPNotFound');
    const [, first, second, third] = path;
    if (request.method === 'POST' && path.length === 1) return this.create(request.body as Json, endpoint);
    if (request.method === 'GET' && path.length === 1) return this.list(request.query, endpoint);
    const stack = this.lookup(first, second);
    if (!stack) return heatError(404, 'Not Found', `The Stack (${second ?? first}) could not be found.`, 'EntityNotFound');
    if (second === undefined || second !== stack.id) {
      // Heat looks a name or id up and redirects to the canonical `/stacks/{name}/{id}[/…]`.
      const rest = second === undefined ? [] : [second, third].filter(Boolean);
      const location = `${endpoint}/stacks/${stack.name}/${stack.id}${rest.length ? `/${rest.join('/')}` : ''}`;
      return { status: 302, headers: { Location: location }, body: { explanation: 'The resource was found at ' + location, code: 302, title: 'Found' } };
    }
    if (request.method === 'DELETE' && path.length === 3) {
      if (stack.status !== 'DELETE_IN_PROGRESS') Object.assign(stack, { status: 'DELETE_IN_PROGRESS', reason: 'Stack DELETE started', pollsLeft: this.pollsToDelete });
      return { status: 204 };
    }
    if (request.method !== 'GET')
      return heatError(405, 'Method Not Allowed', 'The server could not comply with the request since it is either malformed or otherwise incorrect.', 'HTTPMethodNotAllowed');
    if (path.length === 3) return this.show(stack, endpoint);
    if (third === 'resources' && path.length === 4) return { status: 200, body: { resources: this.resourceRows(stack, endpoint) } };
    return heatError(404, 'Not Found', `The resource could not be found: ${request.path}`, 'HTTPNotFound');
  }

  private create(body: Json | undefined, endpoint: string): Reply {
    const name = body?.stack_name;
    if (typeof name !== 'string' || !name) return heatError(400, 'Bad Request', 'The Parameter (stack_name) was not provided.', 'HTTPBadRequest');
    if ([...this.stacks.values()].some((s) => s.name === name)) return heatError(409, 'Conflict', `The Stack (${name}) already exists.`, 'StackExists');
    const template = typeof body!.template === 'string' ? (load(body!.template) as Json) : body!.template;
    if (!template || typeof template !== 'object') return heatError(400, 'Bad Request', 'The template section is not valid', 'StackValidationFailed');
    const declared = template.parameters ?? {};
    const given: Json = body!.parameters ?? {};
    const unknown = Object.keys(given).find((key) => !(key in declared));
    if (unknown) return heatError(400, 'Bad Request', `The Parameter (${unknown}) was not defined in template.`, 'UnknownUserParameter');
    const id = randomUUID();
    const created = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    this.stacks.set(id, {
      id,
      name,
      status: 'CREATE_IN_PROGRESS',
      reason: 'Stack CREATE started',
      template,
      parameters: given,
      body: body!,
      pollsLeft: this.pollsToComplete,
      created,
      resources: [],
    });
    const response = fixture('heat-v1-stack-create-response.json');
    response.stack = { id, links: [{ href: `${endpoint}/stacks/${name}/${id}`, rel: 'self' }] };
    return { status: 201, body: response };
  }

  private list(query: URLSearchParams, endpoint: string): Reply {
    const name = query.get('name');
    const id = query.get('id');
    const stacks = [...this.stacks.values()]
      .filter((s) => (!name || s.name === name) && (!id || s.id === id) && s.status !== 'DELETE_COMPLETE')
      .map((s) => {
        const [template] = fixture('heat-v1-stacks-list-response.json').stacks;
        return {
          ...template,
          creation_time: s.created,
          description: String(s.template.description ?? ''),
          id: s.id,
          links: [{ href: `${endpoint}/stacks/${s.name}/${s.id}`, rel: 'self' }],
          stack_name: s.name,
          stack_status: s.status,
          stack_status_reason: s.reason,
        };
      });
    return { status: 200, body: { stacks } };
  }

  private lookup(first: string | undefined, second: string | undefined): StackState | undefined {
    if (!first) return undefined;
    const byId = this.stacks.get(second ?? '') ?? this.stacks.get(first);
    const found = byId ?? [...this.stacks.values()].find((s) => s.name === first);
    return found && found.status !== 'DELETE_COMPLETE' ? found : undefined;
  }

  /** A read of the stack moves it on: building → complete, deleting → gone. */
  private show(stack: StackState, endpoint: string): Reply {
    if (stack.status === 'CREATE_IN_PROGRESS') {
      if (stack.pollsLeft <= 0) this.complete(stack);
      else stack.pollsLeft -= 1;
    } else if (stack.status === 'DELETE_IN_PROGRESS') {
      if (stack.pollsLeft <= 0) {
        this.remove(stack);
        return heatError(404, 'Not Found', `The Stack (${stack.id}) could not be found.`, 'EntityNotFound');
      }
      stack.pollsLeft -= 1;
    }
    const { stack: template } = fixture('heat-v1-stack-show-response.json');
    const complete = stack.status === 'CREATE_COMPLETE';
    return {
      status: 200,
      body: {
        stack: {
          ...template,
          creation_time: stack.created,
          description: String(stack.template.description ?? ''),
          template_description: String(stack.template.description ?? ''),
          disable_rollback: stack.body.disable_rollback ?? true,
          id: stack.id,
          links: [{ href: `${endpoint}/stacks/${stack.name}/${stack.id}`, rel: 'self' }],
          outputs: complete ? this.outputs(stack) : [],
          parameters: { ...this.parameterValues(stack), 'OS::project_id': endpoint.split('/').pop(), 'OS::stack_id': stack.id, 'OS::stack_name': stack.name },
          stack_name: stack.name,
          stack_owner: 'admin',
          stack_status: stack.status,
          stack_status_reason: stack.reason,
          timeout_mins: stack.body.timeout_mins ?? '',
        },
      },
    };
  }

  private resourceRows(stack: StackState, endpoint: string): Json[] {
    const complete = stack.status === 'CREATE_COMPLETE';
    const declared = Object.entries<Json>(stack.template.resources ?? {});
    const [row] = fixture('heat-v1-stack-resources-list-response.json').resources;
    return declared.map(([name, resource]) => ({
      ...row,
      creation_time: stack.created.replace(/Z$/, ''),
      updated_time: stack.created.replace(/Z$/, ''),
      links: [
        { href: `${endpoint}/stacks/${stack.name}/${stack.id}/resources/${name}`, rel: 'self' },
        { href: `${endpoint}/stacks/${stack.name}/${stack.id}`, rel: 'stack' },
      ],
      logical_resource_id: name,
      physical_resource_id: complete ? (stack.resources.find((r) => r.name === name)?.physicalId ?? '') : '',
      required_by: [],
      resource_name: name,
      resource_status: complete ? 'CREATE_COMPLETE' : 'CREATE_IN_PROGRESS',
      resource_status_reason: complete ? 'state changed' : '',
      resource_type: resource.type,
    }));
  }

  private parameterValues(stack: StackState): Json {
    const values: Json = {};
    for (const [key, declared] of Object.entries<Json>(stack.template.parameters ?? {})) values[key] = stack.parameters[key] ?? declared?.default;
    return values;
  }

  /** Makes the stack's resources: ports first (a server plugs them), then servers. */
  private complete(stack: StackState): void {
    const resources = Object.entries<Json>(stack.template.resources ?? {});
    const params = this.parameterValues(stack);
    const resolve = (value: unknown): any => {
      if (value && typeof value === 'object' && 'get_param' in (value as Json)) return params[(value as Json).get_param];
      if (value && typeof value === 'object' && 'get_resource' in (value as Json)) {
        return stack.resources.find((r) => r.name === (value as Json).get_resource)?.physicalId;
      }
      return value;
    };
    const problem = (message: string) => Object.assign(stack, { status: 'CREATE_FAILED', reason: `Resource CREATE failed: ${message}` });
    for (const [name, resource] of resources.filter(([, r]) => r.type === 'OS::Neutron::Port')) {
      const properties = resource.properties ?? {};
      const wanted = String(resolve(properties.network) ?? '');
      const network = this.networks.find((n) => n.id === wanted || n.name === wanted);
      if (!network) return void problem(`NotFound: resources.${name}: Unable to find network with name or id '${wanted}'`);
      const id = randomUUID();
      const fixed =
        Array.isArray(properties.fixed_ips) && properties.fixed_ips.length
          ? properties.fixed_ips.map((ip: Json) => ({ subnet_id: network.subnetId, ip_address: String(resolve(ip.ip_address)) }))
          : [{ subnet_id: network.subnetId, ip_address: `${network.prefix}${this.addresses++}` }];
      const port = {
        ...fixture('neutron-v2.0-port-show.DERIVED.json').port,
        id,
        name: String(resolve(properties.name) ?? `${stack.name}-${name}`),
        network_id: network.id,
        mac_address: macOf(id),
        fixed_ips: fixed,
        device_id: '',
        device_owner: '',
        project_id: this.projectOf(),
        tenant_id: this.projectOf(),
      };
      this.ports.set(id, port);
      stack.resources.push({ name, type: resource.type, physicalId: id });
    }
    for (const [name, resource] of resources.filter(([, r]) => r.type === 'OS::Nova::Server')) {
      const properties = resource.properties ?? {};
      const flavorRef = String(resolve(properties.flavor) ?? '');
      const imageRef = String(resolve(properties.image) ?? '');
      const flavor = this.region.flavors.find((f) => f.id === flavorRef || f.name === flavorRef);
      const image = this.region.images.find((i) => i.id === imageRef || i.name === imageRef);
      if (!flavor) return void problem(`NotFound: resources.${name}: Flavor ${flavorRef} could not be found.`);
      if (!image) return void problem(`NotFound: resources.${name}: Image ${imageRef} could not be found.`);
      const id = randomUUID();
      const plugged = (Array.isArray(properties.networks) ? properties.networks : []).map((n: Json) => String(resolve(n.port) ?? ''));
      for (const portId of plugged) {
        const port = this.ports.get(portId);
        if (port) Object.assign(port, { device_id: id, device_owner: 'compute:nova' });
      }
      this.servers.set(id, {
        ...fixture('nova-server-show-v2.1.DERIVED.json').server,
        id,
        name: String(resolve(properties.name) ?? `${stack.name}-${name}`),
        flavor: { id: flavor.id, links: [{ href: `http://openstack.example.com/flavors/${flavor.id}`, rel: 'bookmark' }] },
        image: { id: image.id, links: [{ href: `http://openstack.example.com/images/${image.id}`, rel: 'bookmark' }] },
        'OS-EXT-SRV-ATTR:host': this.host,
        addresses: {},
        status: 'ACTIVE',
        tenant_id: this.projectOf(),
      });
      stack.resources.push({ name, type: resource.type, physicalId: id });
    }
    for (const [name, resource] of resources.filter(([, r]) => r.type !== 'OS::Nova::Server' && r.type !== 'OS::Neutron::Port')) {
      stack.resources.push({ name, type: resource.type, physicalId: `${stack.name}-${name}-${stack.id.slice(0, 12)}` });
    }
    Object.assign(stack, { status: 'CREATE_COMPLETE', reason: CREATE_MESSAGE });
  }

  private outputs(stack: StackState): Json[] {
    const params = this.parameterValues(stack);
    return Object.entries<Json>(stack.template.outputs ?? {}).map(([key, output]) => {
      const value = output.value;
      let resolved: unknown = value;
      if (value && typeof value === 'object' && 'get_param' in value) resolved = params[value.get_param];
      else if (value && typeof value === 'object' && 'get_resource' in value) resolved = stack.resources.find((r) => r.name === value.get_resource)?.physicalId;
      else if (value && typeof value === 'object' && Array.isArray(value.get_attr)) {
        const physical = stack.resources.find((r) => r.name === value.get_attr[0])?.physicalId ?? '';
        resolved = this.ports.get(physical)?.fixed_ips?.[0]?.ip_address ?? this.servers.get(physical)?.name ?? null;
      }
      return { output_key: key, output_value: resolved, description: String(output.description ?? 'No description given') };
    });
  }

  private remove(stack: StackState): void {
    for (const resource of stack.resources) {
      this.servers.delete(resource.physicalId);
      this.ports.delete(resource.physicalId);
    }
    this.stacks.delete(stack.id);
  }

  private projectOf(): string {
    return 'eb1c63a4f77141548385f113a28f0f52';
  }

  // ---- Nova servers and Neutron ------------------------------------------------

  /** `GET /servers/{id}` under the compute endpoint. */
  server(id: string, computeEndpoint: string): Reply {
    const server = this.servers.get(id);
    if (!server) return { status: 404, body: { itemNotFound: { code: 404, message: `Instance ${id} could not be found.` } } };
    const root = computeEndpoint.replace(/\/v2\.1\/.*$/, '');
    return {
      status: 200,
      body: {
        server: {
          ...server,
          links: [
            { href: `${computeEndpoint}/servers/${id}`, rel: 'self' },
            { href: `${root}/servers/${id}`, rel: 'bookmark' },
          ],
        },
      },
    };
  }

  /** `/{region}/network/…`: `GET /v2.0/ports/{id}` and `GET /v2.0/networks/{id}`. */
  network(request: SeenRequest, path: string[]): Reply {
    const [version, collection, id] = path;
    if (request.method !== 'GET' || version !== 'v2.0' || path.length !== 3)
      return { status: 404, body: { NeutronError: { type: 'HTTPNotFound', message: 'The resource could not be found.', detail: '' } } };
    if (collection === 'ports') {
      const port = this.ports.get(id);
      return port ? { status: 200, body: { port } } : { status: 404, body: { NeutronError: { type: 'PortNotFound', message: `Port ${id} could not be found.`, detail: '' } } };
    }
    if (collection === 'networks') {
      const network = this.networks.find((n) => n.id === id);
      if (!network) return { status: 404, body: { NeutronError: { type: 'NetworkNotFound', message: `Network ${id} could not be found.`, detail: '' } } };
      return {
        status: 200,
        body: {
          network: {
            id: network.id,
            name: network.name,
            admin_state_up: true,
            status: 'ACTIVE',
            subnets: [network.subnetId],
            shared: false,
            'router:external': false,
            mtu: 1500,
            project_id: this.projectOf(),
            tenant_id: this.projectOf(),
          },
        },
      };
    }
    return { status: 404, body: { NeutronError: { type: 'HTTPNotFound', message: 'The resource could not be found.', detail: '' } } };
  }
}

/** Heat's error body (heat/api/middleware/fault.py). */
function heatError(status: number, title: string, message: string, type: string): Reply {
  return {
    status,
    body: {
      explanation: status === 404 ? 'The resource could not be found.' : 'The server could not comply with the request since it is either malformed or otherwise incorrect.',
      code: status,
      error: { message, traceback: null, type },
      title,
    },
  };
}

/** A stable MAC per port id (fa:16:3e is OpenStack's prefix). */
function macOf(id: string): string {
  const hex = createHash('sha256').update(id).digest('hex');
  return `fa:16:3e:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}`;
}
