import { BulkAction, BulkExecutor, BulkOperation, BulkRecord, singleTransaction } from './aai-bulk';
import { AaiFailure, notFound } from './aai-failure';
import { HTML_PAGE, WriteGarbage, garbled } from './aai-garbage';
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
  'l-interface': [
    { wrapper: 'l3-interface-ipv4-address-list', item: 'l3-interface-ipv4-address-list', key: 'l3-interface-ipv4-address', bare: true },
    { wrapper: 'l3-interface-ipv6-address-list', item: 'l3-interface-ipv6-address-list', key: 'l3-interface-ipv6-address', bare: true },
  ],
  'generic-vnf': [{ wrapper: 'vf-modules', item: 'vf-module', key: 'vf-module-id' }],
  flavor: [{ wrapper: 'hpa-capabilities', item: 'hpa-capability', key: 'hpa-capability-id' }],
  'hpa-capability': [{ wrapper: 'hpa-feature-attributes', item: 'hpa-feature-attributes', key: 'hpa-attribute-key', bare: true }],
};

/** Children whose containment edge prevents their parent's delete (A&AI DbEdgeRules, v13 to v16). */
const STRICT_CONTAINED: Record<string, string[]> = {
  'cloud-region': ['tenant', 'flavor', 'image', 'snapshot', 'hpa-capability'],
  flavor: ['hpa-capability'],
};

const REGIONS = '/cloud-infrastructure/cloud-regions/cloud-region';
const PSERVERS = '/cloud-infrastructure/pservers/pserver';
const GENERIC_VNFS = '/network/generic-vnfs/generic-vnf';
type RootType = 'cloud-region' | 'pserver' | 'generic-vnf';

type Target =
  | { kind: 'node'; type: string; uri: string; id: string; keys: Array<[string, string]>; node?: AaiNode; parent?: AaiNode; spec?: ChildSpec }
  | { kind: 'collection'; spec: ChildSpec; parent: AaiNode }
  | { kind: 'relationship'; node: AaiNode }
  | { kind: 'roots'; type: RootType };

export interface AaiDoubleOptions {
  version?: AaiVersion;
  username?: string;
  password?: string;
  /** Serve HTTPS with this key and certificate. */
  tls?: { key: Buffer; cert: Buffer };
  /** Operations one bulk/single-transaction request may carry (A&AI's `aai.bulkconsumer.payloadlimit`, default 30). */
  bulkLimit?: number;
  /** Answer every request to the bulk path with this status, as an A&AI (or a proxy) without the API would. */
  bulkUnavailable?: 404 | 405;
  /**
   * Refuse deletes as A&AI's edge rules do for every object type the double holds (a cloud
   * region holding tenants, flavors, images, snapshots or hpa-capabilities; a flavor holding
   * hpa-capabilities; an availability zone with pservers). Off by default: the double then
   * applies only the vserver rules (a tenant holding vservers; a flavor, image or pserver a
   * vserver is related to), and a delete takes its children with it.
   */
  strictDeletes?: boolean;
}

/** Writes the double received, single-object requests and bulk operations apart. */
export interface AaiWrites {
  single: { PUT: number; PATCH: number; DELETE: number; total: number };
  bulkRequests: number;
  /** Every operation of every bulk request received, committed or not. */
  bulk: { put: number; patch: number; delete: number; total: number };
}

/**
 * An A&AI that holds cloud-infrastructure objects in memory and enforces what the real
 * one does to its clients: basic auth; X-FromAppId and X-TransactionId (400 without);
 * PUT bodies valid against the version's OXM wire schema, with no property it lacks;
 * create without resource-version, update and DELETE with the current one (412
 * otherwise, nested children included); a GET of nothing, or of an empty collection,
 * is a 404; relationships are edges, visible from both ends; a delete that A&AI's edge
 * rules prevent is a 400. From schema v14 it also serves A&AI's bulk API,
 * `POST /aai/{version}/bulk/single-transaction` (aai-bulk.ts), all-or-nothing.
 */
export class AaiDouble extends HttpDouble {
  readonly version: AaiVersion;
  readonly schema: AaiSchema;
  private readonly regions = new Map<string, AaiNode>();
  private readonly pservers = new Map<string, AaiNode>();
  /** `/network/generic-vnfs/generic-vnf/{vnf-id}` (with vf-modules): what a heatbridge relates vservers to. */
  private readonly genericVnfs = new Map<string, AaiNode>();
  private readonly edges = new Map<string, Set<string>>();
  private readonly authorization: string;
  private versionCounter = Date.now() * 1000;
  /** Lets a test change what a GET answers (e.g. an A&AI that never shows a write). */
  readFilter?: (uri: string, body: Props) => Props;
  /** Operations one bulk request may carry; more answer 400. */
  bulkLimit: number;
  /** When set, every request to the bulk path answers this status. */
  bulkUnavailable?: 404 | 405;
  /** When set, the writes it names (bulk transactions, or single PUT/DELETE) answer this garbage (aai-garbage.ts). */
  garbleWrites?: { answer: WriteGarbage; to: 'bulk' | 'single' };
  readonly strictDeletes: boolean;
  /** Every operation of every bulk request that passed the payload checks, in order. */
  readonly bulkLog: BulkRecord[] = [];
  /** Undo steps of the running bulk transaction. */
  private journal?: Array<() => void>;

  constructor(options: AaiDoubleOptions = {}) {
    super((request) => this.handle(request), options.tls);
    this.version = options.version ?? 'v13';
    this.schema = new AaiSchema(this.version);
    this.authorization = `Basic ${Buffer.from(`${options.username ?? 'AAI'}:${options.password ?? 'AAI'}`).toString('base64')}`;
    this.bulkLimit = options.bulkLimit ?? 30;
    this.bulkUnavailable = options.bulkUnavailable;
    this.strictDeletes = options.strictDeletes ?? false;
  }

  /** A&AI has the bulk API from release 1810 (Casablanca), whose newest schema is v14. */
  get hasBulk(): boolean {
    return Number(this.version.slice(1)) >= 14;
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

  /** Adds a relationship as a PUT of `{uri}/relationship-list/relationship` would (both ends see it). */
  seedRelationship(uri: string, relatedUri: string): void {
    const target = this.resolve(segmentsOf(uri));
    if (target.kind !== 'node' || !target.node) throw new Error(`no object at ${uri}`);
    this.relate(target.node, { 'related-link': `/aai/${this.version}${relatedUri}` });
  }

  /** The operations of the bulk requests received, optionally of one action or committed only. */
  bulkOperations(filter: { action?: BulkAction; committed?: boolean } = {}): BulkRecord[] {
    return this.bulkLog.filter((r) => (!filter.action || r.action === filter.action) && (filter.committed === undefined || r.committed === filter.committed));
  }

  writes(): AaiWrites {
    const bulkPath = /^\/aai\/v\d+\/bulk\/single-transaction\/?$/;
    const single = { PUT: 0, PATCH: 0, DELETE: 0, total: 0 };
    let bulkRequests = 0;
    for (const request of this.requests) {
      if (bulkPath.test(request.path)) bulkRequests += request.method === 'POST' ? 1 : 0;
      else if (request.method === 'PUT' || request.method === 'PATCH' || request.method === 'DELETE') {
        single[request.method] += 1;
        single.total += 1;
      }
    }
    const bulk = { put: 0, patch: 0, delete: 0, total: this.bulkLog.length };
    for (const record of this.bulkLog) if (record.action in bulk) bulk[record.action as BulkAction] += 1;
    return { single, bulkRequests, bulk };
  }

  isEmpty(): boolean {
    return this.regions.size === 0 && this.pservers.size === 0 && this.genericVnfs.size === 0 && [...this.edges.values()].every((s) => s.size === 0);
  }

  // ---- the REST API ------------------------------------------------------------

  private handle(request: SeenRequest): Reply {
    const bulk = /\/bulk\/single-transaction\/?$/.test(request.path);
    const single = !bulk && (request.method === 'PUT' || request.method === 'DELETE');
    const garbage = this.garbleWrites;
    if (!garbage || (garbage.to === 'bulk' ? !bulk : !single)) return this.answer(request);
    if (garbage.answer === 'html') return HTML_PAGE;
    return garbled(this.answer(request), garbage.answer, bulk);
  }

  private answer(request: SeenRequest): Reply {
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
      if (segments[2] === 'bulk' && segments[3] === 'single-transaction' && segments.length === 4) {
        const refused = this.bulkRefusal(request);
        if (refused) return refused;
        if (this.hasBulk && request.method !== 'POST') return { status: 405, headers: { Allow: 'OPTIONS,POST' } };
        if (this.hasBulk) return singleTransaction(request, this.bulkLimit, this.bulkExecutor(), this.bulkLog);
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
      items = [...this.rootsOf(target.type).values()];
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
      this.removeEdge(target.node, (request.body ?? {}) as Props);
      return { status: 204 };
    }
    if (target.kind !== 'node') throw new AaiFailure(405, 'ERR.5.4.4009', 'DELETE of a collection');
    this.removeNode(target, request.query.get('resource-version'));
    return { status: 204 };
  }

  private removeEdge(node: AaiNode, relationship: Props): void {
    const other = this.linkTarget(relationship);
    if (!this.edges.get(node.uri)?.has(other.uri)) throw notFound(`relationship to ${other.uri}`);
    this.unlink(node.uri, other.uri);
    this.touch(node);
    this.touch(other);
  }

  private removeNode(target: Extract<Target, { kind: 'node' }>, version: string | null): void {
    if (!target.node) throw notFound(target.uri);
    if (!version) throw new AaiFailure(412, 'ERR.5.4.6130', 'resource-version is required to delete');
    if (version !== target.node.rv) throw new AaiFailure(412, 'ERR.5.4.6131', `resource-version MISMATCH for delete of ${target.type}`);
    const preventing = this.preventingTypes(target.node);
    if (preventing.length) {
      throw new AaiFailure(
        400,
        'ERR.5.4.6110',
        'Node cannot be deleted:Object is being reference by additional objects preventing it from being deleted. ' +
          `Please clean up references from the following types [${preventing.join(', ')}]`,
      );
    }
    this.detach(target);
  }

  /**
   * The types whose edges to `node` or to anything deleted with it carry A&AI's
   * prevent-delete (DbEdgeRules: vserver BelongsTo tenant, Uses flavor and image, HostedOn
   * pserver; with strictDeletes also tenant, flavor, image, snapshot, hpa-capability
   * BelongsTo cloud-region, hpa-capability BelongsTo flavor, pserver MemberOf availability-zone).
   */
  private preventingTypes(node: AaiNode): string[] {
    const found = new Set<string>();
    const visit = (n: AaiNode, root: boolean) => {
      const held = (wrapper: string) => (n.children.get(wrapper)?.size ?? 0) > 0;
      if (n.type === 'tenant' && held('vservers')) found.add('vserver');
      for (const other of this.edges.get(n.uri) ?? []) {
        const type = this.nodeAt(other)?.type;
        if (type === 'vserver' && ['flavor', 'image', 'pserver'].includes(n.type)) found.add('vserver');
        if (this.strictDeletes && type === 'pserver' && n.type === 'availability-zone') found.add('pserver');
      }
      if (this.strictDeletes && root) {
        const contained = STRICT_CONTAINED[n.type] ?? [];
        for (const spec of CHILDREN[n.type] ?? []) if (contained.includes(spec.item) && held(spec.wrapper)) found.add(spec.item);
      }
      for (const children of n.children.values()) children.forEach((child) => visit(child, false));
    };
    visit(node, true);
    return [...found];
  }

  // ---- bulk/single-transaction (the wire format is in aai-bulk.ts) ------------------

  private bulkRefusal(request: SeenRequest): Reply | undefined {
    if (this.bulkUnavailable === 404) throw notFound(request.path);
    if (this.bulkUnavailable === 405) return { status: 405, headers: { Allow: 'GET,HEAD,OPTIONS' } };
    // Before 1810 the path falls to A&AI's generic object resource ({version}/{uri: .+}), which has no POST.
    if (!this.hasBulk && request.method === 'POST') return { status: 405, headers: { Allow: 'DELETE,GET,HEAD,OPTIONS,PATCH,PUT' } };
    return undefined;
  }

  private bulkExecutor(): BulkExecutor {
    const nodeAt = (operation: BulkOperation) => {
      const target = this.resolve(segmentsOf(operation.path));
      if (target.kind !== 'node') throw new AaiFailure(405, 'ERR.5.4.4009', `${operation.method} of a collection`);
      return target;
    };
    return {
      check: (operation) => {
        if (operation.method === 'PUT_EDGE' || operation.method === 'DELETE_EDGE') {
          this.resolve(segmentsOf(operation.path.slice(0, -'/relationship-list/relationship'.length)));
          const problems = this.schema.problems('relationship', operation.body);
          if (problems.length) throw new AaiFailure(400, 'ERR.5.2.3000', problems.join(','));
        } else if (operation.method === 'DELETE') {
          this.resolve(segmentsOf(operation.path));
        } else {
          try {
            this.validate(nodeAt(operation), operation.body, operation.method === 'MERGE_PATCH');
          } catch (error) {
            if (!(error instanceof AaiFailure) || error.status !== 400) throw error;
            throw new AaiFailure(400, 'ERR.5.2.3000', error.code === 'ERR.5.4.6107' ? "uri and payload keys don't match" : error.message);
          }
        }
      },
      run: (operation) => {
        if (operation.method === 'PUT_EDGE' || operation.method === 'DELETE_EDGE') {
          const target = this.resolve(segmentsOf(operation.path));
          if (target.kind !== 'relationship') throw notFound(operation.path);
          if (operation.method === 'DELETE_EDGE') this.removeEdge(target.node, operation.body);
          else this.relate(target.node, operation.body);
          return operation.method === 'PUT_EDGE' ? 200 : 204;
        }
        const target = nodeAt(operation);
        if (operation.method === 'DELETE') {
          this.removeNode(target, operation.query.get('resource-version'));
          return 204;
        }
        if (operation.method === 'MERGE_PATCH') {
          this.patch(target, operation.body);
          return 200;
        }
        const created = !target.node;
        this.write(target, operation.body);
        return created ? 201 : 200;
      },
      begin: () => {
        this.journal = [];
      },
      commit: () => {
        this.journal = undefined;
      },
      rollback: () => {
        const steps = this.journal ?? [];
        this.journal = undefined;
        for (const undo of steps.reverse()) undo();
      },
    };
  }

  /**
   * A JSON merge patch (RFC 7386) of the object's own properties, as A&AI's MERGE_PATCH:
   * no resource-version check; relationships replaced only when the patch has a list.
   */
  private patch(target: Extract<Target, { kind: 'node' }>, body: Props): void {
    const node = target.node;
    if (!node) throw notFound(target.uri);
    const merged: Props = { ...node.props };
    for (const [key, value] of Object.entries(body)) {
      if (key === 'resource-version') continue;
      if (value === null) delete merged[key];
      else merged[key] = value;
    }
    this.write(target, { ...merged, 'resource-version': node.rv });
  }

  // ---- writes ------------------------------------------------------------------

  private write(target: Extract<Target, { kind: 'node' }>, body: Props): void {
    if (target.parent === undefined && target.spec !== undefined) throw notFound('parent');
    const filled = this.validate(target, body);
    this.checkVersions(target.node, filled, target.type);
    this.checkLinks(filled, target.type);
    this.apply(target, filled);
  }

  /** The body with the schema's defaults, if its keys match the URI and it is valid (400 otherwise). */
  private validate(target: Extract<Target, { kind: 'node' }>, body: Props, patch = false): Props {
    const keyName = target.spec?.key ?? (target.type === 'pserver' ? 'hostname' : target.type === 'generic-vnf' ? 'vnf-id' : undefined);
    if (keyName && body[keyName] !== undefined && String(body[keyName]) !== target.id) {
      throw new AaiFailure(400, 'ERR.5.4.6107', `${keyName} in the body does not match the URI`);
    }
    if (target.type === 'cloud-region') {
      const [owner, region] = target.id.split('/');
      const differs = (key: string, value: string) => body[key] !== value && !(patch && body[key] === undefined);
      if (differs('cloud-owner', owner) || differs('cloud-region-id', region)) {
        throw new AaiFailure(400, 'ERR.5.4.6107', 'cloud-owner/cloud-region-id in the body do not match the URI');
      }
    }
    const filled = patch ? body : { ...this.schema.defaults(target.type), ...body };
    // A merge patch is checked without the required properties (A&AI's validateRequired=false).
    const problems = this.schema.problems(target.type, filled).filter((p) => !patch || !p.includes('must have required property'));
    if (problems.length) throw new AaiFailure(400, 'ERR.5.4.4000', problems.slice(0, 5).join('; '));
    return filled;
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
    const [props, rv] = [node.props, node.rv];
    this.journal?.push(() => Object.assign(node, { props, rv }));
    node.props = scalarProps(body, target.type);
    node.rv = this.nextVersion();
    if (!target.node) {
      if (target.parent && target.spec) {
        const siblings = target.parent.children.get(target.spec.wrapper) ?? new Map<string, AaiNode>();
        siblings.set(target.id, node);
        target.parent.children.set(target.spec.wrapper, siblings);
        this.journal?.push(() => siblings.delete(target.id));
      } else {
        const roots = this.rootsOf(target.type as RootType);
        roots.set(target.id, node);
        this.journal?.push(() => roots.delete(target.id));
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

  /**
   * A relationship PUT on `node`'s relationship-list: the edge, and a new
   * resource-version of both ends (A&AI's HttpEntry touches the vertex it wrote, and
   * then every vertex an edge of the transaction reached).
   */
  private relate(node: AaiNode, relationship: Props): void {
    const problems = this.schema.problems('relationship', relationship);
    if (problems.length) throw new AaiFailure(400, 'ERR.5.4.4000', problems.join('; '));
    const other = this.linkTarget(relationship);
    this.link(node.uri, other.uri);
    this.touch(node);
    this.touch(other);
  }

  private touch(node: AaiNode): void {
    const rv = node.rv;
    this.journal?.push(() => (node.rv = rv));
    node.rv = this.nextVersion();
  }

  private detach(target: Extract<Target, { kind: 'node' }>): void {
    const node = target.node!;
    const drop = (n: AaiNode) => {
      for (const other of [...(this.edges.get(n.uri) ?? [])]) this.unlink(n.uri, other);
      for (const children of n.children.values()) children.forEach(drop);
    };
    drop(node);
    const holder = target.parent && target.spec ? target.parent.children.get(target.spec.wrapper) : this.rootsOf(target.type as RootType);
    holder?.delete(target.id);
    this.journal?.push(() => holder?.set(target.id, node));
  }

  // ---- edges -------------------------------------------------------------------

  private linkTarget(relationship: Props): AaiNode {
    const link = relationship['related-link'];
    if (typeof link !== 'string') throw new AaiFailure(400, 'ERR.5.4.6129', 'relationship without related-link');
    const at = [link.indexOf('/cloud-infrastructure/'), link.indexOf('/network/')].filter((i) => i >= 0).sort((a, b) => a - b)[0] ?? -1;
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
    for (const [from, to] of [
      [a, b],
      [b, a],
    ]) {
      const set = this.edges.get(from) ?? new Set<string>();
      if (!set.has(to)) this.journal?.push(() => set.delete(to));
      set.add(to);
      this.edges.set(from, set);
    }
  }

  private unlink(a: string, b: string): void {
    for (const [from, to] of [
      [a, b],
      [b, a],
    ]) {
      const set = this.edges.get(from);
      if (set?.delete(to)) this.journal?.push(() => set.add(to));
    }
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
    if (ns === 'network' && container === 'generic-vnfs') return this.resolveNetwork(segments, singular, rest);
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
      keys = [
        ['cloud-region.cloud-owner', owner],
        ['cloud-region.cloud-region-id', region],
      ];
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
    return this.resolveBelow(segments, { kind: 'node', type, uri, id, keys, node }, rest);
  }

  /** `/network/generic-vnfs/generic-vnf/{vnf-id}[/vf-modules/vf-module/{id}]`. */
  private resolveNetwork(segments: string[], singular: string | undefined, rest: string[]): Target {
    if (singular === undefined) return { kind: 'roots', type: 'generic-vnf' };
    const [vnfId] = rest.splice(0, 1);
    if (singular !== 'generic-vnf' || !vnfId) throw notFound(segments.join('/'));
    const target: Target = {
      kind: 'node',
      type: 'generic-vnf',
      uri: `${GENERIC_VNFS}/${vnfId}`,
      id: vnfId,
      keys: [['generic-vnf.vnf-id', vnfId]],
      node: this.genericVnfs.get(vnfId),
    };
    return this.resolveBelow(segments, target, rest);
  }

  private rootsOf(type: RootType): Map<string, AaiNode> {
    return type === 'cloud-region' ? this.regions : type === 'pserver' ? this.pservers : this.genericVnfs;
  }

  private resolveBelow(segments: string[], top: Target, rest: string[]): Target {
    let target: Target = top;
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

/** The A&AI edge rule labels of the relationships the registration creates, and of a vserver's. */
function edgeLabel(a: string, b: string): string {
  const types = new Set([a, b]);
  if (types.has('pserver') && types.has('availability-zone')) return 'org.onap.relationships.inventory.MemberOf';
  if (types.has('vserver') && types.has('pserver')) return 'tosca.relationships.HostedOn';
  if (types.has('vserver') && (types.has('flavor') || types.has('image') || types.has('snapshot'))) return 'org.onap.relationships.inventory.Uses';
  if (types.has('vserver') && types.has('vf-module')) return 'org.onap.relationships.inventory.Uses';
  if (types.has('vserver') && types.has('generic-vnf')) return 'tosca.relationships.HostedOn';
  return 'org.onap.relationships.inventory.LocatedIn';
}

function parseDepth(value: string | null): number {
  if (value === null || value === 'all') return Infinity;
  const depth = Number(value);
  return Number.isFinite(depth) ? depth : Infinity;
}

function encodeUri(uri: string): string {
  return uri
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}
