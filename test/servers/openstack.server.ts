import { randomBytes, randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';

import { HttpDouble, Reply, SeenRequest, segmentsOf } from './http-double';
import { digestOf, imageBytes } from './image-bytes';
import { CloudData, Json, RegionData, ResourceProvider, defaultCloud } from './openstack-data';
import { Caller, aggregatesAnswer, downHost, flavorVisible, lockHost, servicesAnswer, visibleFlavors, zoneListing } from './nova-inventory';

const HYPERVISOR_FIGURES = [
  'current_workload',
  'cpu_info',
  'vcpus',
  'vcpus_used',
  'free_disk_gb',
  'local_gb',
  'local_gb_used',
  'disk_available_least',
  'free_ram_mb',
  'memory_mb',
  'memory_mb_used',
  'running_vms',
];
const NOVA_MAX_LIMIT = 1000;
/** Placement's microversion range (1.39: Yoga and later). */
const PLACEMENT_MIN = [1, 0];
const PLACEMENT_MAX = [1, 39];
const GLANCE_DEFAULT_LIMIT = 25;

interface Token {
  user: string;
  project?: { id: string; name: string; domain: string };
  /** A domain-scoped token's domain (name). */
  domain?: string;
  methods: string[];
  issued: number;
  expires: number;
}

export interface OpenStackBehaviour {
  /** GET /v3/projects (and /v2.0/tenants) answers 403, as for a non-admin user. */
  forbidProjects: boolean;
  /** Nova's `max_limit` (osapi_max_limit): the most flavors one page holds (1000). */
  novaMaxLimit?: number;
  /** Keystone's `list_limit`: `/v3/projects` and `/v3/regions` answer at most this many, with `"truncated": true` when they cut. */
  keystoneListLimit?: number;
  /** GET /os-hypervisors/statistics answers 403. */
  forbidHypervisorStatistics: boolean;
  /** Hypervisors report no capacity figures whatever microversion is asked (a 2.88+ cloud). */
  dropHypervisorFigures: boolean;
  tokenLifetimeMs: number;
  /** Glance's api_limit_max: the most images one page holds, whatever limit is asked. */
  glanceMaxLimit?: number;
  /** Keystone's clock runs this far ahead of ours (negative: behind) in the times it writes. */
  clockSkewMs?: number;
  /** Nova flavors carry absolute `self`/`bookmark` links on the region's endpoint, as real Nova builds them. */
  absoluteLinks: boolean;
  /** The highest compute microversion (its version document's `version`); higher asks get a 406. */
  novaMaxMicroversion: string;
  /** The highest Placement microversion (default 1.39, Yoga and later); higher asks get a 406. */
  placementMaxMicroversion?: string;
  /**
   * Only these service types in the token catalog (e.g. `['identity', 'platform']`: a
   * StarlingX without its OpenStack application, Kubernetes only); absent: every one.
   */
  catalogTypes?: string[];
}

/**
 * Keystone (v3 and v2.0), Nova, Glance, Cinder and StarlingX sysinv in one server,
 * shaped on `../shared/reference/openstack/`. Each region has its own endpoints
 * (`/{region}/compute/v2.1/{project}`, `/{region}/image`, …) in the token catalog.
 * Tokens are checked on every call; Nova honours the requested microversion and
 * pages flavors (1000) like the real one; Glance pages images (25 by default).
 */
export class OpenStackDouble extends HttpDouble {
  cloud: CloudData = defaultCloud();
  readonly behaviour: OpenStackBehaviour = {
    forbidProjects: false,
    forbidHypervisorStatistics: false,
    dropHypervisorFigures: false,
    tokenLifetimeMs: 3600_000,
    absoluteLinks: false,
    novaMaxMicroversion: '2.96',
  };
  private readonly tokens = new Map<string, Token>();
  /** Image data Glance holds: its size and SHA-256 (the bytes themselves are not kept). */
  readonly imageData = new Map<string, { size: number; sha256: string }>();

  constructor(tls?: { key: Buffer; cert: Buffer }) {
    super((request) => this.handle(request), tls);
    this.streamed = (req, res) => this.imageFile(req, res);
  }

  get keystoneV3(): string {
    return `${this.url}/identity/v3`;
  }

  get keystoneV2(): string {
    return `${this.url}/identity/v2.0`;
  }

  region(id: string): RegionData {
    const region = this.cloud.regions[id];
    if (!region) throw new Error(`the double has no region ${id}`);
    return region;
  }

  /** dcmanager's entry of a subcloud, by its region-name or name, for a test to change its state. */
  subcloud(regionOrName: string): Record<string, any> {
    const found = this.cloud.dcmanager?.subclouds.find((s) => s['region-name'] === regionOrName || s.name === regionOrName);
    if (!found) throw new Error(`no dcmanager subcloud ${regionOrName}`);
    return found;
  }

  /** As StarlingX's `system host-lock`: the host's nova-compute is disabled (Nova's zone listing then leaves it out). */
  lockHost(regionId: string, host: string): void {
    lockHost(this.region(regionId), host);
  }

  /** The host's nova-compute stops reporting (state `down`). */
  downHost(regionId: string, host: string): void {
    downHost(this.region(regionId), host);
  }

  /** As after a Keystone key rotation: every token issued so far is refused (401). */
  revokeTokens(): void {
    this.tokens.clear();
  }

  tokenRequests(): number {
    return this.count('POST', /\/tokens$/);
  }

  /** Requests of one kind: 'keystone' | 'nova' | 'glance' | 'cinder' | 'sysinv' | 'placement'. */
  callsTo(kind: 'keystone' | 'nova' | 'glance' | 'cinder' | 'sysinv' | 'placement' | 'dcmanager' | 'heat' | 'neutron', region?: string): SeenRequest[] {
    const service = {
      keystone: 'identity',
      nova: 'compute',
      glance: 'image',
      cinder: 'volume',
      sysinv: 'platform',
      placement: 'placement',
      dcmanager: 'dcmanager',
      heat: 'orchestration',
      neutron: 'network',
    }[kind];
    return this.requests.filter((r) => {
      const [first, second] = segmentsOf(r.path);
      if (kind === 'keystone') return first === 'identity';
      return second === service && (!region || first === region);
    });
  }

  private handle(request: SeenRequest): Reply | Promise<Reply> {
    const segments = segmentsOf(request.path);
    if (segments[0] === 'identity') return this.identity(request, segments.slice(1));
    const token = this.checkToken(request);
    if (!token) return { status: 401, body: { error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' } } };
    const [regionId, service, ...rest] = segments;
    const region = this.cloud.regions[regionId];
    if (!region) return notFound(`no region ${regionId}`);
    switch (service) {
      case 'compute':
        return this.compute(request, region, rest.slice(2), `${this.url}/${regionId}/compute/${rest.slice(0, 2).join('/')}`, this.callerOf(token));
      case 'image':
        return this.image(request, region, rest, `${this.url}/${regionId}/image`, this.callerOf(token));
      case 'volume':
        return region.volumeLimits && rest[2] === 'limits' ? { status: 200, body: { limits: { rate: [], absolute: region.volumeLimits } } } : notFound(request.path);
      case 'placement':
        return region.placement ? this.placement(request, region.placement, rest) : notFound(request.path);
      case 'orchestration':
        return region.heat ? region.heat.orchestration(request, rest.slice(2), `${this.url}/${regionId}/orchestration/${rest.slice(0, 2).join('/')}`) : notFound(request.path);
      case 'network':
        return region.heat ? region.heat.network(request, rest) : notFound(request.path);
      case 'dcmanager':
        return regionId === 'SystemController' && this.cloud.dcmanager && rest.join('/') === 'v1.0/subclouds'
          ? { status: 200, body: { subclouds: this.cloud.dcmanager.subclouds } }
          : notFound(request.path);
      case 'platform':
        return region.isystem && rest.join('/') === 'v1/isystems' ? { status: 200, body: { isystems: [region.isystem] } } : notFound(request.path);
      default:
        return notFound(request.path);
    }
  }

  // ---- Keystone ----------------------------------------------------------------

  private identity(request: SeenRequest, path: string[]): Reply {
    const route = `${request.method} ${path.join('/')}`;
    if (route === 'POST v3/auth/tokens') return this.issueV3(request.body as Json, request.query.has('nocatalog'));
    if (route === 'POST v2.0/tokens') return this.issueV2(request.body as Json);
    const token = this.checkToken(request);
    if (!token) return { status: 401, body: { error: { code: 401, message: 'The request you have made requires authentication.' } } };
    switch (route) {
      case 'GET v3/auth/tokens': {
        const subjectId = String(request.headers['x-subject-token'] ?? '');
        const subject = this.tokens.get(subjectId);
        if (!subject || subject.expires <= Date.now()) {
          return { status: 404, body: { error: { code: 404, message: `Could not find token: ${subjectId}`, title: 'Not Found' } } };
        }
        return { status: 200, headers: { 'X-Subject-Token': subjectId }, body: this.tokenBody(subject) };
      }
      case 'GET v3/auth/projects':
        return {
          status: 200,
          body: {
            links: { next: null, previous: null, self: `${this.keystoneV3}/auth/projects` },
            projects: this.cloud.projects.map((p) => ({
              id: p.id,
              name: p.name,
              domain_id: 'default',
              enabled: true,
              links: { self: `${this.keystoneV3}/projects/${p.id}` },
            })),
          },
        };
      case 'GET v3/regions': {
        const limit = this.behaviour.keystoneListLimit;
        const truncated = limit !== undefined && this.cloud.regionIds.length > limit;
        return {
          status: 200,
          body: {
            links: { next: null, previous: null, self: `${this.keystoneV3}/regions` },
            regions: this.cloud.regionIds
              .slice(0, truncated ? limit : undefined)
              .map((id) => ({ id, description: '', parent_region_id: null, links: { self: `${this.keystoneV3}/regions/${id}` } })),
            ...(truncated ? { truncated: true } : {}),
          },
        };
      }
      case 'GET v3/projects': {
        // identity:list_projects is admin_required.
        if (this.behaviour.forbidProjects || !this.callerOf(token).admin) return forbidden();
        const limit = this.behaviour.keystoneListLimit;
        const truncated = limit !== undefined && this.cloud.projects.length > limit;
        return {
          status: 200,
          body: {
            links: { next: null, previous: null, self: `${this.keystoneV3}/projects` },
            projects: this.cloud.projects
              .slice(0, truncated ? limit : undefined)
              .map((p) => ({ id: p.id, name: p.name, domain_id: p.domain, enabled: true, is_domain: false, parent_id: null })),
            // Keystone's list_limit: the list is cut, and says so (no next link).
            ...(truncated ? { truncated: true } : {}),
          },
        };
      }
      case 'GET v2.0/tenants':
        if (this.behaviour.forbidProjects) return forbidden();
        return { status: 200, body: { tenants: this.cloud.projects.map((p) => ({ id: p.id, name: p.name, enabled: true })), tenants_links: [] } };
      default:
        return notFound(request.path);
    }
  }

  /** Password or token method; project (by id, or name in a domain), domain or no scope; `?nocatalog`. */
  private issueV3(body: Json, noCatalog = false): Reply {
    const identity = body?.auth?.identity ?? {};
    const methods: string[] = Array.isArray(identity.methods) ? identity.methods : [];
    let userName: string | undefined;
    if (methods.includes('password')) {
      const password = identity.password?.user;
      userName = this.cloud.users.find((u) => u.name === password?.name && u.password === password?.password && u.domain === (password?.domain?.name ?? 'Default'))?.name;
    } else if (methods.includes('token')) {
      const previous = this.tokens.get(String(identity.token?.id ?? ''));
      userName = previous && previous.expires > Date.now() ? previous.user : undefined;
    }
    if (!userName) return unauthorized();
    const scope = body?.auth?.scope;
    let project: Token['project'];
    let domain: string | undefined;
    if (scope?.project) {
      const wanted = scope.project;
      project = wanted.id
        ? this.cloud.projects.find((p) => p.id === wanted.id)
        : this.cloud.projects.find((p) => p.name === wanted.name && p.domain === (wanted.domain?.name ?? 'Default'));
      if (!project) return unauthorized();
    } else if (scope?.domain) {
      domain = scope.domain.name ?? (scope.domain.id === 'default' ? 'Default' : undefined);
      if (domain !== 'Default') return unauthorized();
    }
    const token = this.newToken(userName, project, methods, domain);
    const answer = this.tokenBody(this.tokens.get(token)!);
    if (noCatalog) delete answer.token.catalog;
    return { status: 201, headers: { 'X-Subject-Token': token }, body: answer };
  }

  private tokenBody(token: Token): Json {
    const user = this.cloud.users.find((u) => u.name === token.user)!;
    const scoped = token.project || token.domain;
    return {
      token: {
        methods: token.methods,
        expires_at: new Date(token.expires + (this.behaviour.clockSkewMs ?? 0)).toISOString(),
        issued_at: new Date(token.issued + (this.behaviour.clockSkewMs ?? 0)).toISOString(),
        user: { id: `${user.name}-id`, name: user.name, domain: { id: 'default', name: user.domain } },
        ...(token.project ? { project: { id: token.project.id, name: token.project.name, domain: { id: 'default', name: token.project.domain } } } : {}),
        ...(token.domain ? { domain: { id: 'default', name: token.domain } } : {}),
        ...(scoped ? { roles: this.rolesOf(token).map((name) => ({ id: `${name}-role`, name })), catalog: this.catalogV3(token.project?.id ?? '', user.name) } : {}),
      },
    };
  }

  private issueV2(body: Json): Reply {
    const credentials = body?.auth?.passwordCredentials;
    const user = this.cloud.users.find((u) => u.name === credentials?.username && u.password === credentials?.password);
    if (!user) return unauthorized();
    const project = body.auth.tenantId ? this.cloud.projects.find((p) => p.id === body.auth.tenantId) : this.cloud.projects.find((p) => p.name === body.auth.tenantName);
    if (!project) return unauthorized();
    const token = this.newToken(user.name, project, ['password']);
    return {
      status: 200,
      body: {
        access: {
          token: {
            id: token,
            issued_at: new Date(Date.now() + (this.behaviour.clockSkewMs ?? 0)).toISOString(),
            expires: new Date(this.tokens.get(token)!.expires + (this.behaviour.clockSkewMs ?? 0)).toISOString(),
            tenant: { id: project.id, name: project.name, enabled: true, description: null },
          },
          serviceCatalog: this.catalogV3(project.id, user.name).map((service) => ({
            type: service.type,
            name: service.name,
            endpoints_links: [],
            endpoints: service.endpoints
              .filter((e: Json) => e.interface === 'public')
              .map((e: Json) => ({ region: e.region_id, publicURL: e.url, internalURL: e.url, adminURL: e.url, id: e.id })),
          })),
          user: { id: `${user.name}-id`, name: user.name, username: user.name, roles: this.rolesOf(this.tokens.get(token)!).map((name) => ({ name })), roles_links: [] },
          metadata: { is_admin: 0, roles: [] },
        },
      },
    };
  }

  private catalogV3(projectId: string, user: string): Json[] {
    const visible = this.cloud.catalogRegionsOf?.[user];
    const services: Json[] = [];
    const add = (type: string, name: string, region: string, url: string) => {
      if (this.behaviour.catalogTypes && !this.behaviour.catalogTypes.includes(type)) return;
      let service = services.find((s) => s.type === type);
      if (!service) {
        service = { type, name, id: `${type}-id`, endpoints: [] };
        services.push(service);
      }
      for (const iface of ['public', 'internal', 'admin']) {
        service.endpoints.push({ id: `${type}-${region}-${iface}`, interface: iface, region_id: region, region, url });
      }
    };
    for (const [id, region] of Object.entries(this.cloud.regions)) {
      if (visible && !visible.includes(id)) continue;
      add('identity', 'keystone', id, this.keystoneV3);
      add('compute', 'nova', id, `${this.cloud.computeOriginOf?.[id] ?? this.url}/${id}/compute/v2.1/${projectId}`);
      add('image', 'glance', id, `${this.url}/${id}/image`);
      if (region.volumeLimits) add('volumev3', 'cinderv3', id, `${this.url}/${id}/volume/v3/${projectId}`);
      if (region.isystem) add('platform', 'sysinv', id, `${this.url}/${id}/platform/v1`);
      if (region.placement) add('placement', 'placement', id, `${this.url}/${id}/placement`);
      if (region.heat) add('orchestration', 'heat', id, `${this.url}/${id}/orchestration/v1/${projectId}`);
      if (region.heat) add('network', 'neutron', id, `${this.url}/${id}/network`);
      if (id === 'SystemController' && this.cloud.dcmanager) add('dcmanager', 'dcmanager', id, `${this.url}/${id}/dcmanager/v1.0`);
    }
    return services;
  }

  private newToken(user: string, project: Token['project'], methods: string[], domain?: string): string {
    const token = randomBytes(16).toString('hex');
    const now = Date.now();
    this.tokens.set(token, { user, project, domain, methods, issued: now, expires: now + this.behaviour.tokenLifetimeMs });
    return token;
  }

  /** The token's roles on its project (Keystone's role assignments); `admin` unless the cloud says otherwise. */
  private rolesOf(token: Token): string[] {
    return (token.project && this.cloud.rolesOf?.[token.user]?.[token.project.id]) || ['admin'];
  }

  private callerOf(token: Token): Caller {
    return { admin: this.rolesOf(token).includes('admin'), projectId: token.project?.id };
  }

  private checkToken(request: SeenRequest): Token | undefined {
    const token = this.tokens.get(String(request.headers['x-auth-token'] ?? ''));
    return token && token.expires > Date.now() ? token : undefined;
  }

  /** Glance image data, streamed both ways: `PUT|GET /{region}/image/v2/images/{id}/file`. */
  private imageFile(req: IncomingMessage, res: ServerResponse): boolean {
    const match = /^\/([^/]+)\/image\/v2\/images\/([^/]+)\/file$/.exec(new URL(req.url ?? '/', 'http://double').pathname);
    if (!match || (req.method !== 'PUT' && req.method !== 'GET')) return false;
    const region = this.cloud.regions[match[1]];
    const image = region?.images.find((i) => i.id === match[2]);
    const answer = (status: number, body?: Json) => {
      res.writeHead(status, body ? { 'Content-Type': 'application/json' } : {});
      res.end(body ? JSON.stringify(body) : undefined);
    };
    if (!this.checkToken({ headers: req.headers } as SeenRequest)) {
      req.resume();
      answer(401, { error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' } });
    } else if (!image) {
      req.resume();
      answer(404, { itemNotFound: { code: 404, message: `Not found: image ${match[2]}` } });
    } else if (req.method === 'PUT') {
      void digestOf(req).then(
        (digest) => {
          this.imageData.set(image.id, digest);
          Object.assign(image, { status: 'active', size: digest.size });
          answer(204);
        },
        // An upload its sender broke off: Glance keeps nothing of it.
        () => res.destroy(),
      );
    } else {
      const data = this.imageData.get(image.id);
      if (!data) return (answer(204), true);
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': data.size });
      imageBytes(data.size).pipe(res);
    }
    return true;
  }

  // ---- Nova --------------------------------------------------------------------

  private compute(request: SeenRequest, region: RegionData, path: string[], endpoint: string, caller: Caller): Reply {
    const route = path.join('/');
    // 2.61 is 61: microversions compare by their minor number ("2.102" is after "2.61").
    const microversion = Number(/^2\.(\d+)$/.exec(String(request.headers['x-openstack-nova-api-version'] ?? '2.1'))?.[1] ?? 1);
    if (route === '' && request.method === 'GET') return { status: 200, body: { version: novaVersion(endpoint, this.behaviour.novaMaxMicroversion) } };
    const max = Number(this.behaviour.novaMaxMicroversion.split('.')[1]);
    if (microversion > max) {
      return { status: 406, body: { computeFault: { code: 406, message: `Version 2.${microversion} is not supported by the API. Minimum is 2.1 and maximum is 2.${max}.` } } };
    }
    const linked = (flavor: Json): Json =>
      this.behaviour.absoluteLinks
        ? {
            ...flavor,
            links: [
              { rel: 'self', href: `${endpoint}/flavors/${flavor.id}` },
              { rel: 'bookmark', href: `${endpoint.replace(/\/v2\.1\//, '/')}/flavors/${flavor.id}` },
            ],
          }
        : flavor;
    if (route === 'flavors/detail' || route === 'flavors') {
      const visible = visibleFlavors(region, request.query, caller);
      if (!Array.isArray(visible)) return { status: 400, body: { badRequest: { code: 400, message: visible.badRequest } } };
      if (route === 'flavors') {
        return { status: 200, body: { flavors: visible.map((f) => linked({ id: f.id, name: f.name, description: null, links: f.links })) } };
      }
      const reply = this.flavorPage(request, region, visible, microversion);
      const body = reply.body as Json;
      return { ...reply, body: { ...body, flavors: body.flavors.map(linked) } };
    }
    if (path[0] === 'flavors' && path.length === 2) {
      const flavor = region.flavors.find((f) => f.id === path[1] && flavorVisible(region, f, caller));
      return flavor ? { status: 200, body: { flavor: linked(flavor) } } : notFound(`flavor ${path[1]}`);
    }
    if (path[0] === 'servers' && path.length === 2 && request.method === 'GET' && region.heat) return region.heat.server(path[1], endpoint);
    if (path[0] === 'flavors' && path[2] === 'os-extra_specs' && path.length === 3) {
      const specs = region.extraSpecs[path[1]];
      return specs ? { status: 200, body: { extra_specs: specs } } : notFound(`flavor ${path[1]}`);
    }
    switch (route) {
      // The three are admin-only in Nova's default policy.
      case 'os-availability-zone/detail':
        return caller.admin ? { status: 200, body: { availabilityZoneInfo: zoneListing(region) } } : forbidden();
      case 'os-services':
        return caller.admin ? { status: 200, body: servicesAnswer(region, request.query, microversion) } : forbidden();
      case 'os-aggregates':
        return caller.admin ? { status: 200, body: aggregatesAnswer(region, microversion) } : forbidden();
      case 'os-hypervisors/detail': {
        const drop = this.behaviour.dropHypervisorFigures || microversion >= 88;
        const hypervisors = region.hypervisors.map((h) => {
          const service = region.hostStates?.[h.service?.host];
          const shown = service ? { ...h, status: service.status ?? 'enabled', state: service.state ?? 'up' } : h;
          return drop ? Object.fromEntries(Object.entries(shown).filter(([key]) => !HYPERVISOR_FIGURES.includes(key))) : shown;
        });
        return { status: 200, body: { hypervisors } };
      }
      case 'os-hypervisors/statistics':
        if (microversion >= 88) return notFound(route);
        if (this.behaviour.forbidHypervisorStatistics) return forbidden();
        return { status: 200, body: { hypervisor_statistics: statistics(region.hypervisors) } };
      case 'limits':
        return { status: 200, body: { limits: { rate: [], absolute: region.computeLimits } } };
      default:
        return notFound(route);
    }
  }

  /** A page of the visible flavors; the next link repeats the request's parameters (sorted) with the marker, as Nova's. */
  private flavorPage(request: SeenRequest, region: RegionData, flavors: Json[], microversion: number): Reply {
    const max = this.behaviour.novaMaxLimit ?? NOVA_MAX_LIMIT;
    const limit = Math.min(Number(request.query.get('limit') ?? max), max);
    const marker = request.query.get('marker');
    const start = marker ? flavors.findIndex((f) => f.id === marker) + 1 : 0;
    const page = flavors.slice(start, start + limit).map((flavor) => {
      const shown = microversion >= 61 ? { ...flavor, extra_specs: region.extraSpecs[flavor.id] ?? {} } : flavor;
      if (microversion < 102) return shown;
      const { ['OS-FLV-DISABLED:disabled']: _disabled, rxtx_factor: _rxtx, ...rest } = shown;
      return rest;
    });
    const body: Json = { flavors: page };
    if (start + limit < flavors.length) {
      const params = new URLSearchParams([...request.query.entries()].filter(([name]) => name !== 'marker').sort(([a], [b]) => a.localeCompare(b)));
      if (!params.has('limit')) params.set('limit', String(limit));
      params.set('marker', page[page.length - 1].id);
      body.flavors_links = [{ rel: 'next', href: `http://nova.internal.example:8774/v2.1/flavors/detail?${params.toString()}` }];
    }
    return { status: 200, body };
  }

  // ---- Placement ---------------------------------------------------------------

  /**
   * GET /resource_providers, /resource_providers/{uuid}/inventories and /usages, at the
   * microversion of the `OpenStack-API-Version: placement X.Y` header (1.0 when absent,
   * `latest` the maximum; a bad string 400, one out of range 406, as Placement answers).
   */
  private placement(request: SeenRequest, providers: ResourceProvider[], path: string[]): Reply {
    const asked = String(request.headers['openstack-api-version'] ?? '')
      .replace(/^placement\s+/i, '')
      .trim();
    const max = this.behaviour.placementMaxMicroversion?.split('.').map(Number) ?? PLACEMENT_MAX;
    let version = PLACEMENT_MIN;
    if (asked === 'latest') version = max;
    else if (asked) {
      if (!/^\d+\.\d+$/.test(asked)) return placementError(400, 'Bad Request', `invalid version string: ${asked}`);
      version = asked.split('.').map(Number);
      if (compare(version, PLACEMENT_MIN) < 0 || compare(version, max) > 0) {
        return placementError(406, 'Not Acceptable', `Unacceptable version header: ${asked}`, max);
      }
    }
    const headers = { 'OpenStack-API-Version': `placement ${version.join('.')}`, Vary: 'openstack-api-version' };
    const at = (v: number[]) => compare(version, v) >= 0;
    if (request.method !== 'GET' || path[0] !== 'resource_providers' || path.length === 2 || path.length > 3) {
      return { ...placementError(404, 'Not Found', `The resource could not be found: ${request.path}`), headers };
    }
    if (path.length === 1) {
      // The query parameters each microversion's schema allows; any other is a 400 (this
      // double does not filter by `resources` (1.4) or `in_tree` (1.14): a loud 400 for them too).
      const allowed = ['name', 'uuid', ...(at([1, 3]) ? ['member_of'] : []), ...(at([1, 18]) ? ['required'] : [])];
      const unexpected = [...request.query.keys()].find((key) => !allowed.includes(key));
      if (unexpected) {
        return { ...placementError(400, 'Bad Request', `Invalid query string parameters: Additional properties are not allowed ('${unexpected}' was unexpected)`), headers };
      }
      const list = providers
        .filter((p) => matchesQuery(p, request.query))
        .map((p) => {
          const base = `/resource_providers/${p.uuid}`;
          const links = [
            { href: base, rel: 'self' },
            ...(at([1, 1]) ? [{ href: `${base}/aggregates`, rel: 'aggregates' }] : []),
            { href: `${base}/inventories`, rel: 'inventories' },
            { href: `${base}/usages`, rel: 'usages' },
            ...(at([1, 6]) ? [{ href: `${base}/traits`, rel: 'traits' }] : []),
            ...(at([1, 11]) ? [{ href: `${base}/allocations`, rel: 'allocations' }] : []),
          ];
          const root = p.parentProviderUuid ? (providers.find((q) => q.uuid === p.parentProviderUuid)?.uuid ?? p.parentProviderUuid) : p.uuid;
          return {
            generation: p.generation,
            uuid: p.uuid,
            links,
            name: p.name,
            ...(at([1, 14]) ? { parent_provider_uuid: p.parentProviderUuid, root_provider_uuid: root } : {}),
          };
        });
      return { status: 200, headers, body: { resource_providers: list } };
    }
    const provider = providers.find((p) => p.uuid === path[1]);
    if (!provider) return { ...placementError(404, 'Not Found', `No resource provider with uuid ${path[1]} found`), headers };
    if (path[2] === 'inventories') {
      return { status: 200, headers, body: { inventories: provider.inventories, resource_provider_generation: provider.generation } };
    }
    if (path[2] === 'usages') {
      return { status: 200, headers, body: { resource_provider_generation: provider.generation, usages: provider.usages } };
    }
    if (path[2] === 'aggregates' && at([1, 1])) {
      const aggregates = provider.aggregates ?? [];
      return { status: 200, headers, body: at([1, 19]) ? { aggregates, resource_provider_generation: provider.generation } : { aggregates } };
    }
    if (path[2] === 'traits' && at([1, 6])) {
      return { status: 200, headers, body: { resource_provider_generation: provider.generation, traits: provider.traits ?? [] } };
    }
    return { ...placementError(404, 'Not Found', `The resource could not be found: ${request.path}`), headers };
  }

  // ---- Glance ------------------------------------------------------------------

  private image(request: SeenRequest, region: RegionData, path: string[], endpoint: string, caller: Caller): Reply {
    const route = `${request.method} ${path.join('/')}`;
    if (route === 'GET ') return { status: 300, body: { versions: glanceVersions(endpoint) } };
    if (route === 'POST v2/images') {
      const wanted = (request.body ?? {}) as Json;
      const id = String(wanted.id ?? randomUUID());
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      const image = {
        status: 'queued',
        name: wanted.name ?? null,
        tags: wanted.tags ?? [],
        container_format: wanted.container_format ?? null,
        created_at: now,
        disk_format: wanted.disk_format ?? null,
        updated_at: now,
        visibility: wanted.visibility ?? 'shared',
        self: `/v2/images/${id}`,
        min_disk: 0,
        protected: false,
        id,
        file: `/v2/images/${id}/file`,
        checksum: null,
        owner: 'admin-project-id',
        size: null,
        min_ram: 0,
        schema: '/v2/schemas/image',
        virtual_size: null,
      };
      region.images.push(image);
      return { status: 201, headers: { Location: `${endpoint}/v2/images/${id}` }, body: image };
    }
    if (request.method === 'GET' && path.length === 3 && path[1] === 'images') {
      const image = region.images.find((i) => i.id === path[2]);
      return image ? { status: 200, body: image } : notFound(request.path);
    }
    if (route !== 'GET v2/images') return notFound(request.path);
    const limit = Math.min(Number(request.query.get('limit') ?? GLANCE_DEFAULT_LIMIT), this.behaviour.glanceMaxLimit ?? 1000);
    const marker = request.query.get('marker');
    const images = visibleImages(region, caller);
    const start = marker ? images.findIndex((i) => i.id === marker) + 1 : 0;
    const page = images.slice(start, start + limit);
    const body: Json = { images: page, schema: '/v2/schemas/images', first: '/v2/images' };
    if (start + limit < images.length) {
      body.next = `/v2/images?marker=${page[page.length - 1].id}&limit=${limit}`;
    }
    return { status: 200, body };
  }
}

/**
/** Placement's list filters: name, uuid, member_of (an aggregate or `in:` a list), required (traits, `!` forbids). */
function matchesQuery(p: ResourceProvider, query: URLSearchParams): boolean {
  const name = query.get('name');
  const uuid = query.get('uuid');
  const memberOf = query.get('member_of');
  const required = query.get('required');
  if (name !== null && p.name !== name) return false;
  if (uuid !== null && p.uuid !== uuid) return false;
  if (memberOf !== null) {
    const wanted = memberOf.startsWith('in:') ? memberOf.slice(3).split(',') : [memberOf];
    if (!(p.aggregates ?? []).some((a) => wanted.includes(a))) return false;
  }
  if (required !== null) {
    for (const trait of required.split(',').filter(Boolean)) {
      const has = (p.traits ?? []).includes(trait.replace(/^!/, ''));
      if (trait.startsWith('!') ? has : !has) return false;
    }
  }
  return true;
}

/**
 * Glance's default image list (no `visibility` filter): to an admin every image; to
 * another token the public ones, its project's own, and the shared ones whose members
 * include its project.
 */
function visibleImages(region: RegionData, caller: Caller): Json[] {
  if (caller.admin) return region.images;
  const project = caller.projectId ?? '';
  return region.images.filter(
    (image) => image.visibility === 'public' || image.owner === project || (image.visibility === 'shared' && (region.imageMembers?.[image.id] ?? []).includes(project)),
  );
}

/** Nova's v2.1 version document (GET on the versioned endpoint, with or without project). */
function novaVersion(endpoint: string, max: string): Json {
  return {
    id: 'v2.1',
    status: 'CURRENT',
    version: max,
    min_version: '2.1',
    updated: '2013-07-23T11:33:21Z',
    links: [
      { rel: 'self', href: `${endpoint}/` },
      { rel: 'describedby', type: 'text/html', href: 'http://docs.openstack.org/' },
    ],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2.1' }],
  };
}

/** Glance's version list (300 on the unversioned endpoint). */
function glanceVersions(endpoint: string): Json[] {
  return ['2.16', '2.15', '2.9', '2.0'].map((id, index) => ({
    id: `v${id}`,
    status: index === 0 ? 'CURRENT' : 'SUPPORTED',
    links: [{ rel: 'self', href: `${endpoint}/v2/` }],
  }));
}

function statistics(hypervisors: Json[]): Json {
  const sum = (key: string) => hypervisors.reduce((total, h) => total + (Number(h[key]) || 0), 0);
  return {
    count: hypervisors.length,
    current_workload: 0,
    disk_available_least: sum('disk_available_least'),
    free_disk_gb: sum('free_disk_gb'),
    free_ram_mb: sum('free_ram_mb'),
    local_gb: sum('local_gb'),
    local_gb_used: sum('local_gb_used'),
    memory_mb: sum('memory_mb'),
    memory_mb_used: sum('memory_mb_used'),
    running_vms: sum('running_vms'),
    vcpus: sum('vcpus'),
    vcpus_used: sum('vcpus_used'),
  };
}

function compare(a: number[], b: number[]): number {
  return a[0] - b[0] || a[1] - b[1];
}

function placementError(status: number, title: string, detail: string, max = PLACEMENT_MAX): Reply {
  const body = {
    errors: [
      {
        status,
        title,
        detail,
        request_id: `req-${randomBytes(8).toString('hex')}`,
        ...(status === 406 ? { max_version: max.join('.'), min_version: PLACEMENT_MIN.join('.') } : {}),
      },
    ],
  };
  return { status, body };
}

function notFound(what: string): Reply {
  return { status: 404, body: { itemNotFound: { code: 404, message: `Not found: ${what}` } } };
}

function forbidden(): Reply {
  return { status: 403, body: { error: { code: 403, message: 'You are not authorized to perform the requested action.', title: 'Forbidden' } } };
}

function unauthorized(): Reply {
  return { status: 401, body: { error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' } } };
}
