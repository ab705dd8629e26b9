import busboy from 'busboy';

import { HttpDouble, Reply, SeenRequest, segmentsOf } from './http-double';

export interface ConnectivityRecord {
  metadata: Record<string, unknown>;
  kubeconfig: string;
  fileName?: string;
  contentType: string;
}

/** What multicloud-k8s's mongo store answers for a key it does not hold (every store error is a 500). */
const NOT_HELD = 'Error finding master table: mongo: no documents in result';

/**
 * The multicloud-k8s plugin's /v1/connectivity-info, reached through MSB at
 * `/api/multicloud-k8s/v1/v1/connectivity-info`. It reads the multipart body the way
 * the Go plugin does (form value `metadata` as JSON with cloud-region and cloud-owner
 * required, a `file` part) and keys records by cloud-region alone
 * (`ConnectionKey{CloudRegion}` in its connection.go): a POST for a region it holds,
 * whatever the owner, is a 500 "Connection already exists"; a GET or DELETE of one it
 * does not hold is a 500 with its store's error, as the Go handlers answer every error.
 */
export class K8sPluginDouble extends HttpDouble {
  readonly records = new Map<string, ConnectivityRecord>();
  /** Instances made through the broker's infra_workload, by id. */
  readonly workloads = new Map<string, { vfModuleName: string }>();
  /** Set to answer every POST with this status (a failing plugin). */
  failWith?: number;
  /** A failing plugin that quotes the kubeconfig it got in its error. */
  echoUploadInError = false;

  /** With `tls`, MSB (and so the plugin) answers over HTTPS. */
  constructor(tls?: { key: Buffer; cert: Buffer }) {
    super((request) => this.handle(request), tls);
  }

  private async handle(request: SeenRequest): Promise<Reply> {
    const segments = segmentsOf(request.path);
    if (segments[0] === 'api' && segments[1] === 'multicloud-k8s' && segments[2] === 'v1' && segments[5] === 'infra_workload') {
      return this.infraWorkload(request, segments[4], segments[6], segments.length);
    }
    const base = ['api', 'multicloud-k8s', 'v1', 'v1', 'connectivity-info'];
    if (base.some((segment, i) => segments[i] !== segment)) return { status: 404, body: '404 page not found' };
    const name = segments[5];
    if (request.method === 'POST' && name === undefined) {
      if (this.failWith) {
        const token = /token: (\S+)/.exec(request.rawBody.toString('utf8'))?.[1];
        return { status: this.failWith, body: this.echoUploadInError ? `cannot store the kubeconfig of admin-user (token ${token})` : 'internal error' };
      }
      return this.create(request);
    }
    if (name !== undefined && request.method === 'GET') {
      const record = this.records.get(name);
      if (!record) return { status: 500, body: `Get Connection: ${NOT_HELD}\n` };
      // The Go handler answers the stored Connection: the kubeconfig is the uploaded file in base64.
      return {
        status: 200,
        body: {
          'cloud-region': record.metadata['cloud-region'],
          'cloud-owner': record.metadata['cloud-owner'],
          kubeconfig: Buffer.from(record.kubeconfig).toString('base64'),
          'other-connectivity-list': record.metadata['other-connectivity-list'] ?? {},
        },
      };
    }
    if (name !== undefined && request.method === 'DELETE') {
      return this.records.delete(name) ? { status: 204 } : { status: 500, body: `Delete Connection: ${NOT_HELD}\n` };
    }
    return { status: 405, body: 'method not allowed' };
  }

  /**
   * The plugin's broker API (src/k8splugin/api/brokerhandler.go), as MSB routes it:
   * `{owner}/{region}/infra_workload[/{id}]`. A create needs the customization id, the
   * user directives definition-name, definition-version and profile-name and the sdnc
   * directive vf_module_name; the answers are the broker's own (note `heat`, lowercase,
   * and `template_response`), which the service passes on unchanged.
   */
  private infraWorkload(request: SeenRequest, region: string, id: string | undefined, length: number): Reply {
    const attribute = (directives: any, name: string) =>
      (Array.isArray(directives?.attributes) ? directives.attributes : []).find((a: any) => a?.attribute_name === name)?.attribute_value;
    if (request.method === 'POST' && length === 6) {
      const body = request.body as Record<string, any> | undefined;
      if (!body) return goError(400, 'Body empty\n');
      if (!body['vf-module-model-customization-id']) return goError(400, 'vf-module-model-customization-id is empty\n');
      for (const name of ['definition-name', 'definition-version', 'profile-name']) {
        if (!attribute(body.user_directives, name)) return goError(400, `${name} is missing from user-directives\n`);
      }
      const vfModuleName = attribute(body.sdnc_directives, 'vf_module_name');
      if (!vfModuleName) return goError(400, 'vf_module_name is missing from sdnc-directives\n');
      const instance = `k8s-${this.workloads.size + 1}-${region}`.toLowerCase();
      this.workloads.set(instance, { vfModuleName });
      return { status: 201, body: { template_type: 'heat', workload_id: instance, template_response: [], workload_status: 'CREATE_COMPLETE', workload_status_reason: null } };
    }
    if (request.method === 'GET' && length === 6) {
      const name = request.query.get('name');
      const found = [...this.workloads.entries()].find(([, w]) => w.vfModuleName === name);
      return {
        status: 200,
        body: {
          template_type: 'heat',
          workload_id: found?.[0] ?? '',
          workload_status: found ? 'CREATE_COMPLETE' : 'GET_COMPLETE',
          workload_status_reason: { stacks: found ? [{ stack_status: 'CREATE_COMPLETE', id: found[0] }] : [] },
        },
      };
    }
    if (length === 7 && id !== undefined && (request.method === 'GET' || request.method === 'DELETE')) {
      if (!this.workloads.has(id)) return goError(500, `Error finding instance ${id}\n`);
      if (request.method === 'DELETE') {
        this.workloads.delete(id);
        return { status: 202, body: { template_type: 'heat', workload_id: id, workload_status: 'DELETE_COMPLETE', workload_status_reason: null } };
      }
      return { status: 200, body: { template_type: 'heat', workload_id: id, workload_status: 'CREATE_COMPLETE', workload_status_reason: null } };
    }
    return { status: 405, body: 'method not allowed' };
  }

  private async create(request: SeenRequest): Promise<Reply> {
    let parts: { fields: Record<string, string>; files: Record<string, { name?: string; content: string }> };
    try {
      parts = await parseMultipart(request);
    } catch (error) {
      return { status: 422, body: (error as Error).message };
    }
    if (!('metadata' in parts.fields)) return { status: 400, body: 'Empty body' };
    let metadata: Record<string, unknown>;
    try {
      metadata = JSON.parse(parts.fields.metadata);
    } catch (error) {
      return { status: 422, body: (error as Error).message };
    }
    if (!metadata['cloud-region']) return { status: 400, body: 'Missing name in POST request' };
    if (!metadata['cloud-owner']) return { status: 400, body: 'Missing cloudowner in POST request' };
    const file = parts.files.file;
    if (!file) return { status: 422, body: 'Unable to process file' };
    if (this.records.has(String(metadata['cloud-region']))) return { status: 500, body: 'Connection already exists\n' };
    this.records.set(String(metadata['cloud-region']), {
      metadata,
      kubeconfig: file.content,
      fileName: file.name,
      contentType: String(request.headers['content-type']),
    });
    return {
      status: 201,
      body: { ...metadata, kubeconfig: Buffer.from(file.content).toString('base64') },
    };
  }
}

function parseMultipart(request: SeenRequest): Promise<{
  fields: Record<string, string>;
  files: Record<string, { name?: string; content: string }>;
}> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    const files: Record<string, { name?: string; content: string }> = {};
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: request.headers });
    } catch (error) {
      reject(error);
      return;
    }
    parser.on('field', (name, value) => (fields[name] = value));
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => (files[name] = { name: info.filename, content: Buffer.concat(chunks).toString('utf8') }));
    });
    parser.on('error', reject);
    parser.on('close', () => resolve({ fields, files }));
    parser.end(request.rawBody);
  });
}

/** Go's http.Error: the text and a newline, as text/plain. */
function goError(status: number, text: string): Reply {
  return { status, body: text, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' } };
}
