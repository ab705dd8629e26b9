import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { AddressInfo } from 'node:net';

/** A request as a double saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
  rawBody: Buffer;
  at: number;
  /** When the answer went out (undefined while in flight, or never answered). */
  endAt?: number;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (request: SeenRequest) => Reply | Promise<Reply>;

interface Fault {
  method?: string;
  path: RegExp;
  match?: (request: SeenRequest) => boolean;
  times: number;
  reply: Reply | 'hang' | 'drop';
}

/**
 * An in-process HTTP server on 127.0.0.1 and a free port, speaking JSON, that logs
 * every request and can add latency or answer chosen requests with a fault.
 */
export class HttpDouble {
  readonly requests: SeenRequest[] = [];
  latencyMs = 0;
  private readonly faults: Fault[] = [];
  private readonly delays: Array<{ path: RegExp; ms: number }> = [];
  /**
   * Answers a request before its body is read (for bodies too big to hold, such as
   * image data); returns false to leave it to the JSON handler.
   */
  protected streamed?: (req: IncomingMessage, res: ServerResponse) => boolean;
  private server?: Server;
  private readonly sockets = new Set<import('node:net').Socket>();

  constructor(
    private readonly handler: Handler,
    private readonly tls?: { key: Buffer; cert: Buffer },
  ) {}

  async start(port = 0): Promise<string> {
    const listener = (req: IncomingMessage, res: ServerResponse) => void this.serve(req, res);
    this.server = this.tls ? createHttpsServer(this.tls, listener) : createServer(listener);
    this.server.keepAliveTimeout = 60_000;
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return this.url;
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  get url(): string {
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  /** The next `times` requests matching answer `reply` ('hang': never; 'drop': connection reset). */
  failNext(method: string | undefined, path: RegExp, reply: Reply | 'hang' | 'drop', times = 1): void {
    this.faults.push({ method, path, reply, times });
  }

  /** The next `times` requests for which `match` holds (e.g. on their query: one page of a list) answer `reply`. */
  failMatching(match: (request: SeenRequest) => boolean, reply: Reply | 'hang' | 'drop', times = 1): void {
    this.faults.push({ path: /(?:)/, match, reply, times });
  }

  clearFaults(): void {
    this.faults.length = 0;
    this.delays.length = 0;
  }

  /** Requests whose path matches answer `ms` later (on top of latencyMs). */
  slowDown(path: RegExp, ms: number): void {
    this.delays.push({ path, ms });
  }

  count(method?: string, path?: RegExp): number {
    return this.requests.filter((r) => (!method || r.method === method) && (!path || path.test(r.path))).length;
  }

  /**
   * Injected latency is measured from the request's arrival: the answer leaves
   * `latencyMs` after it, however long the double itself took to work it out.
   */
  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrived = Date.now();
    const url = new URL(req.url ?? '/', 'http://double');
    if (this.streamed?.(req, res)) {
      const path = decodePath(url.pathname);
      this.requests.push({ method: req.method ?? 'GET', path, query: url.searchParams, headers: req.headers, body: undefined, rawBody: Buffer.alloc(0), at: arrived });
      return;
    }
    const rawBody = await readBody(req);
    const request: SeenRequest = {
      method: req.method ?? 'GET',
      // The path as sent (a WHATWG URL would resolve an encoded `..` away), decoded per segment.
      path: decodePath((req.url ?? '/').split('?')[0]),
      query: url.searchParams,
      headers: req.headers,
      body: parseJson(rawBody, req.headers['content-type']),
      rawBody,
      at: arrived,
    };
    this.requests.push(request);
    const fault = this.faults.find((f) => (!f.method || f.method === request.method) && f.path.test(request.path) && (!f.match || f.match(request)));
    let reply: Reply | undefined;
    if (fault) {
      fault.times -= 1;
      if (fault.times <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
      if (fault.reply !== 'hang' && fault.reply !== 'drop') reply = fault.reply;
    } else {
      try {
        reply = await this.handler(request);
      } catch (error) {
        reply = { status: 500, body: { error: (error as Error).message } };
      }
    }
    const delay = this.latencyMs + (this.delays.find((d) => d.path.test(request.path))?.ms ?? 0);
    const wait = arrived + delay - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (fault?.reply === 'hang') return;
    if (fault?.reply === 'drop') {
      req.socket.destroy();
      return;
    }
    const answer = reply!;
    const payload = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      ...(payload ? { 'Content-Type': 'application/json' } : {}),
      'Content-Length': Buffer.byteLength(payload),
      ...answer.headers,
    });
    res.end(payload);
    request.endAt = Date.now();
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Path segments decoded one by one, so an encoded '/' stays inside its segment. */
export function segmentsOf(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

/** As a server does: literal `.`/`..` segments are resolved (RFC 3986), encoded ones are names. */
export function decodePath(pathname: string): string {
  const resolved: string[] = [];
  for (const segment of pathname.split('/')) {
    if (segment === '.') continue;
    if (segment === '..') {
      if (resolved.length > 1) resolved.pop();
      continue;
    }
    resolved.push(segment);
  }
  return resolved
    .map((segment) => {
      try {
        return decodeURIComponent(segment).replace(/\//g, '%2F');
      } catch {
        return segment;
      }
    })
    .join('/');
}

function parseJson(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  if (contentType && !contentType.includes('json')) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}
