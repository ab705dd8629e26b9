import { AaiSchema, AaiVersion } from './aai-schema';
import { HttpDouble, Reply, SeenRequest, segmentsOf } from './http-double';

type Props = Record<string, unknown>;

interface ChildSpec {
  wrapper: string;
  item: string;
  key: string;
  /** `hpa-feature-attributes` nests as a bare array, with no singular path segment. */
  bare?: boolean;
}

interface AaiNode {
  type: string;
  /** Canonical path from `/cloud-infrastructure/…`, segments unencoded. */
  uri: string;
  /** The relationship-data keys that identify it: its own key and its parents'. */
  keys: Array<[string, string]>;
  props: Props;
  rv: string;
  children: Map<string, Map<string, AaiNode>>;
}

const CHILDREN: Record<string, ChildSpec[]> = {
  'cloud-region': [
    { wrapper: 'esr-system-info-list', item: 'esr-system-info', key: 'esr-system-info-id' },
    { wrapper: 'tenants', item: 'tenant', key: 'tenant-id' },
    { wrapper: 'flavors', item: 'flavor', key: 'flavor-id' },
    { wrapper: 'images', item: 'image', key: 'image-id' },
    { wrapper: 'availability-zones', item: 'availability-zone', key: 'availability-zone-name' },
    { wrapper: 'snapshots', item: 'snapshot', key: 'snapshot-id' },
    { wrapper: 'hpa-capabilities', item: 'hpa-capability', key: 'hpa-capability-id' },
  ],
  tenant: [{ wrapper: 'vservers', item: 'vserver', key: 'vserver-id' }],
  vserver: [{ wrapper: 'l-interfaces', item: 'l-interface', key: 'interface-name' }],
  flavor: [{ wrapper: 'hpa-capabilities', item: 'hpa-capability', key: 'hpa-capability-id' }],
  'hpa-capability': [
    { wrapper: 'hpa-feature-attributes', item: 'hpa-feature-attributes', key: 'hpa-attribute-key', bare: true },
  ],
};

const REGIONS = '/cloud-infrastructure/cloud-regions/cloud-region';
const PSERVERS = '/cloud-infrastructure/pservers/pserver';

class AaiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Target =
  | { kind: 'node'; type: string; uri: string; id: string; keys: Array<[string, string]>; node?: AaiNode; parent?: AaiNode; spec?: ChildSpec }
  | { kind: 'collection'; spec: ChildSpec; parent: AaiNode }
  | { kind: 'relationship'; node: AaiNode }
  | { kind: 'roots'; type: 'cloud-region' | 'pserver' };

export interface AaiDoubleOptions {
  version?: AaiVersion;
  username?: string;
  password?: string;
  /** Serve HTTPS with this key and certificate. */
  tls?: { key: Buffer; cert: Buffer };
}

/**
 * An A&AI that holds cloud-infrastructure objects in memory and enforces what the real
 * one does to its clients: basic auth; X-FromAppId and X-TransactionId (400 without);
 * PUT bodies valid against the version's OXM wire schema, with no property it lacks;
 * create without resource-version, update and DELETE with the current one (412
 * otherwise, nested children included); a GET of nothing, or of an empty collection,
 * is a 404; relationships are edges, visible from both ends.
 */
export class AaiDouble extends HttpDouble {
  readonly version: AaiVersion;
  readonly schema: AaiSchema;
  private readonly regions = new Map<string, AaiNode>();
  private readonly pservers = new Map<string, AaiNode>();
  private readonly edges = new Map<string, Set<string>>();
  private readonly authorization: string;
  private versionCounter = Date.now() * 1000;
  /** Lets a test change what a GET answers (e.g. an A&AI that never shows a write). */
  readFilter?: (uri: string, body: Props) => Props;

  constructor(options: AaiDoubleOptions = {}) {
    super((request) => this.handle(request), options.tls);
    this.version = options.version ?? 'v13';
    this.schema = new AaiSchema(this.version);
    this.authorization = `Basic ${Buffer.from(`${options.username ?? 'AAI'}:${options.password ?? 'AAI'}`).toString('base64')}`;
  }

  /** `AAI_SERVICE_URL` for the service under test. */
  get serviceUrl(): string {
    return `${this.url}/aai`;
  }

  // ---- what tests read and seed -------------------------------------------------

  /** Creates or replaces an object as ESR or an operator would (validated like a PUT). */
  seed(uri: string, body: Props): void {
    const target = this.resolve(segmentsOf(uri));
    if (target.kind !== 'node') throw new Error(`not an object path: ${uri}`);
    const withVersion = target.node ? { ...body, 'resource-version': target.node.rv } : body;
    this.write(target, withVersion);
  }

  // Tests read A&AI objects loosely typed, as JSON.
  get(uri: string, depth: number = Infinity): Record<string, any> | undefined {
    const target = this.resolve(segmentsOf(uri));
    return target.kind === 'node' && target.node ? this.render(target.node, depth) : undefined;
  }

  region(owner: string, region: string): Record<string, any> | undefined {
    return this.get(`${REGIONS}/${owner}/${region}`);
  }

  pserver(hostname: string): Record<string, any> | undefined {
    return this.get(`${PSERVERS}/${hostname}`);
  }

  regionIds(): string[] {
    return [...this.regions.keys()];
  }

  pserverNames(): string[] {
    return [...this.pservers.keys()];
  }

  isEmpty(): boolean {
    return this.regions.size === 0 && this.pservers.size === 0 && [...this.edges.values()].every((s) => s.size === 0);
  }

  // ---- the REST API ------------------------------------------------------------

  private handle(request: SeenRequest): Reply {
    const path = `${request.method} ${request.path}`;
    try {
      if (request.headers.authorization !== this.authorization) {
        throw new AaiFailure(401, 'AAI_3300', 'Unauthorized');
      }
      if (!request.headers['x-fromappid']) throw new AaiFailure(400, 'AAI_4009', 'X-FromAppId is not set');
      if (!request.headers['x-transactionid']) throw new AaiFailure(400, 'AAI_4010', 'X-TransactionId is not set');
      const segments = segmentsOf(request.path);
      if (segments[0] !== 'aai' || segments[1] !== this.version) {
        throw new AaiFailure(404, 'ERR.5.4.6114', `this A&AI serves /aai/${this.version} only`);
      }
      const target = this.resolve(segments.slice(2));
      switch (request.method) {
        case 'GET':
          return this.read(target, request);
        case 'PUT':
          return this.writeRequest(target, request);
        case 'DELETE':
          return this.remove(target, request);
        default:
          throw new AaiFailure(405, 'ERR.5.4.4009', `${request.method} not supported`);
      }
    } catch (error) {
      if (!(error instanceof AaiFailure)) throw error;
      return {
        status: error.status,
        body: {
          requestError: {
            serviceException: {
              messageId: error.status === 404 ? 'SVC3001' : 'SVC3000',
              text: error.status === 404 ? 'Resource not found for %1 using id %2 (msg=%3) (ec=%4)' : 'Invalid input performing %1 on %2 (msg=%3) (ec=%4)',
              variables: [request.method, path, error.message, error.code],
            },
          },
        },
      };
    }
  }

  private read(target: Target, request: SeenRequest): Reply {
    const depth = parseDepth(request.query.get('depth'));
    let items: AaiNode[];
    let wrapper: string;
    if (target.kind === 'node') {
      if (!target.node) throw notFound(target.uri);
      const body = this.render(target.node, depth);
      return { status: 200, body: this.readFilter ? this.readFilter(target.uri, body) : body };
    } else if (target.kind === 'collection') {
      items = [...(target.parent.children.get(target.spec.wrapper)?.values() ?? [])];
      wrapper = target.spec.item;
    } else if (target.kind === 'roots') {
      items = [...(target.type === 'cloud-region' ? this.regions : this.pservers).values()];
      wrapper = target.type;
    } else {
      throw new AaiFailure(405, 'ERR.5.4.4009', 'GET of a relationship');
    }
    if (items.length === 0) throw notFound(request.path);
    return { status: 200, body: { [wrapper]: items.map((node) => this.render(node, depth)) } };
  }

  private writeRequest(target: Target, request: SeenRequest): Reply {
    if (!request.body || typeof request.body !== 'object') throw new AaiFailure(400, 'ERR.5.4.4000', 'body is not JSON');
    if (target.kind === 'relationship') {
      this.relate(target.node, request.body as Props);
      return { status: 200 };
    }
    if (target.kind !== 'node') throw new AaiFailure(405, 'ERR.5.4.4009', 'PUT of a collection');
    const created = !target.node;
    this.write(target, request.body as Props);
    return { status: created ? 201 : 200 };
  }

  private remove(target: Target, request: SeenRequest): Reply {
    if (target.kind === 'relationship') {
      const relationship = (request.body ?? {}) as Props;
      const other = this.linkTarget(relationship);
      if (!this.edges.get(target.node.uri)?.has(other.uri)) throw notFound(`relationship to ${other.uri}`);
      this.unlink(target.node.uri, other.uri);
      return { status: 204 };
    }
    if (target.kind !== 'node') throw new AaiFailure(405, 'ERR.5.4.4009', 'DELETE of a collection');
    if (!target.node) throw notFound(target.uri);
    const version = request.query.get('resource-version');
    if (!version) throw new AaiFailure(412, 'ERR.5.4.6130', 'resource-version is required to delete');
    if (version !== target.node.rv) throw new AaiFailure(412, 'ERR.5.4.6131', `resource-version MISMATCH for delete of ${target.type}`);
    this.detach(target);
    return { status: 204 };
  }

  // ---- writes ------------------------------------------------------------------

  private write(target: Extract<Target, { kind: 'node' }>, body: Props): void {
    if (target.parent === undefined && target.spec !== undefined) throw notFound('parent');
    const keyName = target.spec?.key ?? (target.type === 'pserver' ? 'hostname' : undefined);
    if (keyName && body[keyName] !== undefined && String(body[keyName]) !== target.id) {
      throw new AaiFailure(400, 'ERR.5.4.6107', `${keyName} in the body does not match the URI`);
    }
    if (target.type === 'cloud-region') {
      const [owner, region] = target.id.split('/');
      if (body['cloud-owner'] !== owner || body['cloud-region-id'] !== region) {
        throw new AaiFailure(400, 'ERR.5.4.6107', 'cloud-owner/cloud-region-id in the body do not match the URI');
      }
    }
    const filled = { ...this.schema.defaults(target.type), ...body };
    const problems = this.schema.problems(target.type, filled);
    if (problems.length) throw new AaiFailure(400, 'ERR.5.4.4000', problems.slice(0, 5).join('; '));
    this.checkVersions(target.node, filled, target.type);
    this.checkLinks(filled, target.type);
    this.apply(target, filled);
  }

  /** 412 unless every object the body touches carries the right resource-version. */
  private checkVersions(existing: AaiNode | undefined, body: Props, type: string): void {
    const version = body['resource-version'];
    if (existing) {
      if (version === undefined) throw new AaiFailure(412, 'ERR.5.4.6130', `resource-version not passed for update of ${type}`);
      if (version !== existing.rv) throw new AaiFailure(412, 'ERR.5.4.6131', `resource-version MISMATCH for update of ${type}`);
    } else if (version !== undefined) {
      throw new AaiFailure(412, 'ERR.5.4.6135', `resource-version passed for create of ${type}`);
    }
    for (const spec of CHILDREN[type] ?? []) {
      for (const child of childItems(body, spec)) {
        this.checkVersions(existing?.children.get(spec.wrapper)?.get(String(child[spec.key])), child, spec.item);
      }
    }
  }

  private checkLinks(body: Props, type: string): void {
    for (const relationship of relationshipItems(body)) this.linkTarget(relationship);
    for (const spec of CHILDREN[type] ?? []) {
      for (const child of childItems(body, spec)) this.checkLinks(child, spec.item);
    }
  }

  private apply(target: Extract<Target, { kind: 'node' }>, body: Props): AaiNode {
    const node: AaiNode = target.node ?? {
      type: target.type,
      uri: target.uri,
      keys: target.keys,
      props: {},
      rv: '',
      children: new Map(),
    };
    node.props = scalarProps(body, target.type);
    node.rv = this.nextVersion();
    if (!target.node) {
      if (target.parent && target.spec) {
        const siblings = target.parent.children.get(target.spec.wrapper) ?? new Map<string, AaiNode>();
        siblings.set(target.id, node);
        target.parent.children.set(target.spec.wrapper, siblings);
      } else {
        (target.type === 'cloud-region' ? this.regions : this.pservers).set(target.id, node);
      }
    }
    if ('relationship-list' in body) {
      for (const other of [...(this.edges.get(node.uri) ?? [])]) this.unlink(node.uri, other);
      for (const relationship of relationshipItems(body)) this.link(node.uri, this.linkTarget(relationship).uri);
    }
    for (const spec of CHILDREN[target.type] ?? []) {
      for (const child of childItems(body, spec)) {
        const id = String(child[spec.key]);
        this.apply(
          {
            kind: 'node',
            type: spec.item,
            id,
            uri: `${node.uri}/${spec.bare ? spec.wrapper : `${spec.wrapper}/${spec.item}`}/${id}`,
            keys: [...node.keys, [`${spec.item}.${spec.key}`, id]],
            node: node.children.get(spec.wrapper)?.get(id),
            parent: node,
            spec,
          },
          child,
        );
      }
    }
    return node;
  }

  private relate(node: AaiNode, relationship: Props): void {
    const problems = this.schema.problems('relationship', relationship);
    if (problems.length) throw new AaiFailure(400, 'ERR.5.4.4000', problems.join('; '));
    this.link(node.uri, this.linkTarget(relationship).uri);
  }

  private detach(target: Extract<Target, { kind: 'node' }>): void {
    const node = target.node!;
    const drop = (n: AaiNode) => {
      for (const other of [...(this.edges.get(n.uri) ?? [])]) this.unlink(n.uri, other);
      for (const children of n.children.values()) children.forEach(drop);
    };
    drop(node);
    if (target.parent && target.spec) target.parent.children.get(target.spec.wrapper)?.delete(target.id);
    else (target.type === 'cloud-region' ? this.regions : this.pservers).delete(target.id);
  }

  // ---- edges -------------------------------------------------------------------

  private linkTarget(relationship: Props): AaiNode {
    const link = relationship['related-link'];
    if (typeof link !== 'string') throw new AaiFailure(400, 'ERR.5.4.6129', 'relationship without related-link');
    const at = link.indexOf('/cloud-infrastructure/');
    const target = at >= 0 ? this.resolve(segmentsOf(link.slice(at))) : undefined;
    if (!target || target.kind !== 'node' || !target.node) {
      throw new AaiFailure(404, 'ERR.5.4.6129', `related object not found: ${link}`);
    }
    if (relationship['related-to'] !== undefined && relationship['related-to'] !== target.node.type) {
      throw new AaiFailure(400, 'ERR.5.4.6129', `related-to ${String(relationship['related-to'])} but ${link} is a ${target.node.type}`);
    }
    return target.node;
  }

  private link(a: string, b: string): void {
    for (const [from, to] of [[a, b], [b, a]]) {
      const set = this.edges.get(from) ?? new Set<string>();
      set.add(to);
      this.edges.set(from, set);
    }
  }

  private unlink(a: string, b: string): void {
    this.edges.get(a)?.delete(b);
    this.edges.get(b)?.delete(a);
  }

  // ---- reading -----------------------------------------------------------------

  private render(node: AaiNode, depth: number): Props {
    const body: Props = { ...node.props, 'resource-version': node.rv };
    if (depth > 0) {
      for (const spec of CHILDREN[node.type] ?? []) {
        const children = [...(node.children.get(spec.wrapper)?.values() ?? [])];
        if (children.length === 0) continue;
        const rendered = children.map((child) => this.render(child, depth - 1));
        body[spec.wrapper] = spec.bare ? rendered : { [spec.item]: rendered };
      }
    }
    const related = [...(this.edges.get(node.uri) ?? [])].map((uri) => this.nodeAt(uri)).filter(Boolean) as AaiNode[];
    if (related.length) {
      body['relationship-list'] = {
        relationship: related.map((other) => ({
          'related-to': other.type,
          'relationship-label': edgeLabel(node.type, other.type),
          'related-link': `/aai/${this.version}${encodeUri(other.uri)}`,
          'relationship-data': other.keys.map(([key, value]) => ({ 'relationship-key': key, 'relationship-value': value })),
        })),
      };
    }
    return body;
  }

  private nodeAt(uri: string): AaiNode | undefined {
    const target = this.resolve(segmentsOf(uri));
    return target.kind === 'node' ? target.node : undefined;
  }

  /** Walks a path below `/aai/{version}`. */
  private resolve(segments: string[]): Target {
    const [ns, container, singular, ...rest] = segments;
    if (ns !== 'cloud-infrastructure') throw notFound(segments.join('/'));
    let node: AaiNode | undefined;
    let type: string;
    let uri: string;
    let keys: Array<[string, string]>;
    let id: string;
    if (container === 'cloud-regions') {
      if (singular === undefined) return { kind: 'roots', type: 'cloud-region' };
      const [owner, region] = rest.splice(0, 2);
      if (singular !== 'cloud-region' || !owner || !region) throw notFound(segments.join('/'));
      id = `${owner}/${region}`;
      node = this.regions.get(id);
      type = 'cloud-region';
      uri = `${REGIONS}/${id}`;
      keys = [['cloud-region.cloud-owner', owner], ['cloud-region.cloud-region-id', region]];
    } else if (container === 'pservers') {
      if (singular === undefined) return { kind: 'roots', type: 'pserver' };
      const [hostname] = rest.splice(0, 1);
      if (singular !== 'pserver' || !hostname) throw notFound(segments.join('/'));
      id = hostname;
      node = this.pservers.get(id);
      type = 'pserver';
      uri = `${PSERVERS}/${id}`;
      keys = [['pserver.hostname', hostname]];
    } else {
      throw notFound(segments.join('/'));
    }
    let target: Target = { kind: 'node', type, uri, id, keys, node };
    while (rest.length > 0) {
      if (target.kind !== 'node') throw notFound(segments.join('/'));
      const parent: AaiNode | undefined = target.node;
      if (rest[0] === 'relationship-list' && rest[1] === 'relationship' && rest.length === 2) {
        if (!parent) throw notFound(target.uri);
        return { kind: 'relationship', node: parent };
      }
      const spec: ChildSpec | undefined = (CHILDREN[target.type] ?? []).find((s) => s.wrapper === rest[0]);
      if (!spec) throw notFound(segments.join('/'));
      if (rest.length === 1) {
        if (!parent) throw notFound(target.uri);
        return { kind: 'collection', spec, parent };
      }
      const consumed: number = spec.bare ? 2 : 3;
      if (!spec.bare && rest[1] !== spec.item) throw notFound(segments.join('/'));
      const childId: string | undefined = rest[consumed - 1];
      if (childId === undefined) throw notFound(segments.join('/'));
      rest.splice(0, consumed);
      target = {
        kind: 'node',
        type: spec.item,
        id: childId,
        uri: `${target.uri}/${spec.bare ? spec.wrapper : `${spec.wrapper}/${spec.item}`}/${childId}`,
        keys: [...target.keys, [`${spec.item}.${spec.key}`, childId]],
        node: parent?.children.get(spec.wrapper)?.get(childId),
        parent,
        spec,
      };
    }
    return target;
  }

  private nextVersion(): string {
    this.versionCounter += 1;
    return String(this.versionCounter);
  }
}

function childItems(body: Props, spec: ChildSpec): Props[] {
  const value = body[spec.wrapper];
  if (spec.bare) return Array.isArray(value) ? (value as Props[]) : [];
  const list = value && typeof value === 'object' ? (value as Props)[spec.item] : undefined;
  return Array.isArray(list) ? (list as Props[]) : [];
}

function relationshipItems(body: Props): Props[] {
  const list = body['relationship-list'];
  const items = list && typeof list === 'object' ? (list as Props)['relationship'] : undefined;
  return Array.isArray(items) ? (items as Props[]) : [];
}

/** What a node stores of a body: everything but children, relationships and the version. */
function scalarProps(body: Props, type: string): Props {
  const skip = new Set(['resource-version', 'relationship-list', ...(CHILDREN[type] ?? []).map((s) => s.wrapper)]);
  return Object.fromEntries(Object.entries(body).filter(([key]) => !skip.has(key)));
}

/** The A&AI edge rule labels of the relationships the registration creates. */
function edgeLabel(a: string, b: string): string {
  const types = new Set([a, b]);
  if (types.has('pserver') && types.has('availability-zone')) return 'org.onap.relationships.inventory.MemberOf';
  return 'org.onap.relationships.inventory.LocatedIn';
}

function parseDepth(value: string | null): number {
  if (value === null || value === 'all') return Infinity;
  const depth = Number(value);
  return Number.isFinite(depth) ? depth : Infinity;
}

function notFound(what: string): AaiFailure {
  return new AaiFailure(404, 'ERR.5.4.6114', `Node Not Found:No Node found at: ${what}`);
}

function encodeUri(uri: string): string {
  return uri
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}
