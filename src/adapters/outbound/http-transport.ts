import { Agent as HttpAgent, IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** A request ready for the wire: its body already serialised. */
export interface WireRequest {
  method: string;
  url: URL;
  headers: Record<string, string | number>;
  body?: Buffer;
  agent: HttpAgent | HttpsAgent;
  timeoutMs: number;
  maxResponseBytes: number;
  signal?: AbortSignal;
}

export interface WireResponse {
  status: number;
  headers: IncomingHttpHeaders;
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
 * One HTTP exchange on Node's own client: the whole exchange bounded by `timeoutMs`,
 * stopped by `signal`, the answer collected as bytes (no redirects, no decompression,
 * no proxy: the service asks for none).
 */
export function transmit(request: WireRequest): Promise<WireResponse> {
  return new Promise((resolve, reject) => {
    const send = request.url.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const finish = (error?: Error, response?: WireResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(response!);
    };
    const outgoing = send(request.url, { method: request.method, headers: request.headers, agent: request.agent }, (incoming) => {
      const chunks: Buffer[] = [];
      let size = 0;
      incoming.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > request.maxResponseBytes) {
          outgoing.destroy(new TransportError('ERESPONSETOOLARGE', `answer larger than ${request.maxResponseBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      incoming.on('end', () =>
        finish(undefined, { status: incoming.statusCode ?? 0, headers: incoming.headers, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks) }),
      );
      incoming.on('error', (error) => finish(error));
      incoming.on('aborted', () => finish(new TransportError('ECONNRESET', 'connection closed before the answer ended')));
    });
    const timer = setTimeout(
      () => outgoing.destroy(new TransportError('ETIMEDOUT', `no answer within ${request.timeoutMs} ms`)),
      request.timeoutMs,
    );
    const onAbort = () => {
      outgoing.destroy();
      finish(request.signal?.reason ?? new Error('aborted'));
    };
    outgoing.on('error', (error) => finish(error));
    if (request.signal?.aborted) return onAbort();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    outgoing.end(request.body);
  });
}
