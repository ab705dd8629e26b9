import { Agent, Dispatcher } from 'undici';

/** Whom a TLS connection trusts: a CA (PEM), or nobody checked at all. */
export interface TlsTrust {
  ca?: string | Buffer;
  insecure?: boolean;
}

/** A request ready for the wire: its body already serialised, its path exactly as given. */
export interface WireRequest {
  method: string;
  origin: string;
  /** Path and query, sent as they are (never normalised: an encoded `..` stays an id). */
  path: string;
  headers: Record<string, string | number>;
  body?: Buffer;
  dispatcher: Dispatcher;
  /** The whole exchange, from sending to the last byte of the answer. */
  timeoutMs: number;
  maxResponseBytes: number;
  signal?: AbortSignal;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A transport-level failure: `code` as Node's (ECONNREFUSED, …) or ETIMEDOUT for our deadline. */
export class TransportError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

/**
 * An undici Agent: one keep-alive pool per origin, connections bounded in time to
 * open (`connectTimeoutMs`), the TLS trust given. No redirects, no decompression, no
 * proxy: the service asks for none.
 */
export function createDispatcher(connectTimeoutMs: number, trust: TlsTrust = {}): Dispatcher {
  return new Agent({
    keepAliveTimeout: 30_000,
    connect: { timeout: connectTimeoutMs, rejectUnauthorized: !trust.insecure, ...(trust.ca ? { ca: trust.ca } : {}) },
  });
}

/** Splits a URL into origin and the path as written (a WHATWG URL would resolve `.`/`..`). */
export function splitUrl(url: string): { origin: string; path: string } {
  const match = /^(https?:\/\/[^/?#]+)([^#]*)/i.exec(url);
  if (!match) throw new TransportError('EINVALIDURL', `not an http(s) URL: ${url.split('?')[0]}`);
  const origin = new URL(match[1]).origin;
  return { origin, path: match[2] || '/' };
}

const UNDICI_CODES: Record<string, [string, string]> = {
  UND_ERR_CONNECT_TIMEOUT: ['ECONNECTTIMEOUT', 'no connection within the connect timeout'],
  UND_ERR_HEADERS_TIMEOUT: ['ETIMEDOUT', 'no answer within the timeout'],
  UND_ERR_BODY_TIMEOUT: ['ETIMEDOUT', 'no answer within the timeout'],
  UND_ERR_SOCKET: ['ECONNRESET', 'connection closed before the answer ended'],
  UND_ERR_CLOSED: ['ECONNRESET', 'connection closed'],
};

/**
 * One HTTP exchange on undici: bounded by `timeoutMs` as a whole, stopped by `signal`,
 * the answer collected as bytes up to `maxResponseBytes`.
 */
export async function transmit(request: WireRequest): Promise<WireResponse> {
  // One controller per exchange, fed by the deadline and the caller's signal through a
  // plain listener (AbortSignal.any per call costs CPU and keeps memory until GC).
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new TransportError('ETIMEDOUT', `no answer within ${request.timeoutMs} ms`)), request.timeoutMs);
  const caller = request.signal;
  const onAbort = () => deadline.abort(caller?.reason);
  if (caller?.aborted) onAbort();
  else caller?.addEventListener('abort', onAbort, { once: true });
  const signal = deadline.signal;
  try {
    const response = await request.dispatcher.request({
      origin: request.origin,
      path: request.path,
      method: request.method as Dispatcher.HttpMethod,
      headers: request.headers as Record<string, string>,
      body: request.body,
      signal,
      headersTimeout: request.timeoutMs,
      bodyTimeout: request.timeoutMs,
    });
    const declared = Number(response.headers['content-length']);
    if (declared > request.maxResponseBytes) throw discard(response.body, request.maxResponseBytes);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > request.maxResponseBytes) throw discard(response.body, request.maxResponseBytes);
      chunks.push(chunk as Buffer);
    }
    return { status: response.statusCode, headers: response.headers, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks) };
  } catch (error) {
    if (caller?.aborted) throw caller.reason ?? error;
    if (deadline.signal.aborted) throw deadline.signal.reason;
    const mapped = UNDICI_CODES[(error as { code?: string }).code ?? ''];
    throw mapped ? new TransportError(mapped[0], mapped[1]) : error;
  } finally {
    clearTimeout(timer);
    caller?.removeEventListener('abort', onAbort);
  }
}

/** Drops the rest of an answer that is too large (closing its connection). */
function discard(body: Dispatcher.ResponseData['body'], max: number): TransportError {
  body.on('error', () => undefined);
  body.destroy();
  return new TransportError('ERESPONSETOOLARGE', `answer larger than ${max} bytes`);
}
