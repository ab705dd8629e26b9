import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

import { Inject, Injectable } from '@nestjs/common';

import { currentSignal, pause } from '../../application/jobs/call-scope';
import { RemoteCallError, RemoteSystem } from '../../application/ports/remote-call.error';
import { AppConfig, appConfig } from '../../config/app.config';
import { observeCall } from './call-observer';
import { TransportError, WireResponse, transmit } from './http-transport';
import { Limiter } from '../../application/jobs/limiter';

export type Pool = 'aai' | 'cloud';

export interface OutboundRequest {
  system: RemoteSystem;
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  url: string;
  /** A function gives each attempt its own (e.g. a fresh X-TransactionId per request). */
  headers?: Record<string, string> | (() => Record<string, string>);
  /** JSON, or a FormData sent as multipart/form-data. */
  data?: unknown;
  /** For a remote with its own TLS trust (a cloud's ssl-cacert / ssl-insecure). */
  httpsAgent?: HttpsAgent;
  /** Statuses returned to the caller instead of thrown (default: 2xx only). */
  accept?: number[];
}

export interface OutboundResponse<T> {
  status: number;
  data: T;
  headers: Record<string, string | undefined>;
}

const RETRYABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH']);
const MAX_RESPONSE_BYTES = 512 * 1024 * 1024;

/**
 * Every remote call of the service: a timeout on each attempt, bounded retries (with
 * backoff) for connection errors and 5xx, at most N calls at once per pool (A&AI,
 * clouds), keep-alive connections, and the job's abort signal. A pool's slot is held
 * only while the call is on the wire: bodies are serialised before and parsed after.
 * Failures come out as RemoteCallError naming the system, the method and the URL
 * (never its query).
 */
@Injectable()
export class OutboundHttp {
  private readonly limiters: Record<Pool, Limiter>;
  private readonly httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 256 });
  private readonly httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 256 });

  constructor(@Inject(appConfig.KEY) private readonly config: AppConfig) {
    this.limiters = {
      aai: new Limiter(config.http.aaiConcurrency),
      cloud: new Limiter(config.http.cloudConcurrency),
    };
  }

  async send<T>(pool: Pool, request: OutboundRequest): Promise<OutboundResponse<T>> {
    const signal = currentSignal();
    const { retries, retryBaseMs } = this.config.http;
    const url = new URL(request.url);
    const call = () => `${request.method} ${url.protocol}//${url.host}${url.pathname}`;
    const { body, headers: bodyHeaders } = request.data instanceof FormData ? await encodeForm(request.data) : encodeJson(request.data);
    const headers = () => ({ ...(typeof request.headers === 'function' ? request.headers() : request.headers), ...bodyHeaders });
    const wire = {
      method: request.method,
      url,
      body,
      agent: url.protocol === 'https:' ? (request.httpsAgent ?? this.httpsAgent) : this.httpAgent,
      timeoutMs: this.config.http.timeoutMs,
      maxResponseBytes: MAX_RESPONSE_BYTES,
      signal,
    };
    for (let attempt = 0; ; attempt += 1) {
      let error: Error;
      let retryable: boolean;
      try {
        const response = await this.limiters[pool].run(
          () => observeCall(request.system, request.method, url, (extra) => transmit({ ...wire, headers: { ...headers(), ...extra } })),
          signal,
        );
        const accepted = request.accept ? request.accept.includes(response.status) : response.status >= 200 && response.status < 300;
        const data = decode(response);
        if (accepted) return { status: response.status, data: data as T, headers: flatHeaders(response.headers) };
        error = new RemoteCallError(request.system, call(), response.status, errorDetail(data));
        retryable = response.status >= 500;
      } catch (failure) {
        if (signal?.aborted) throw signal.reason ?? failure;
        const code = failure instanceof TransportError ? failure.code : String((failure as NodeJS.ErrnoException).code ?? '');
        error = new RemoteCallError(request.system, call(), undefined, failure instanceof TransportError ? failure.message : code || (failure as Error).message);
        retryable = RETRYABLE_CODES.has(code);
      }
      if (!retryable || attempt >= retries || signal?.aborted) throw error;
      await pause(retryBaseMs * 2 ** attempt * (0.75 + Math.random() / 2));
    }
  }
}

type Encoded = { body?: Buffer; headers: Record<string, string | number> };

function encodeJson(data: unknown): Encoded {
  if (data === undefined) return { headers: {} };
  const body = Buffer.from(JSON.stringify(data));
  return { body, headers: { 'Content-Type': 'application/json', 'Content-Length': body.length } };
}

/** multipart/form-data by the platform's own encoder, in memory. */
async function encodeForm(form: FormData): Promise<Encoded> {
  const encoded = new Response(form);
  const body = Buffer.from(await encoded.arrayBuffer());
  return {
    body,
    headers: { 'Content-Type': encoded.headers.get('content-type') ?? 'multipart/form-data', 'Content-Length': body.length },
  };
}

/** JSON when the answer says so (or looks like it), else the text. */
function decode(response: WireResponse): unknown {
  if (response.body.length === 0) return undefined;
  const text = response.body.toString('utf8');
  const type = String(response.headers['content-type'] ?? '');
  if (type.includes('json') || /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** A short reason from an error body: A&AI's serviceException, OpenStack's message. */
export function errorDetail(data: unknown): string | undefined {
  if (!data || typeof data !== 'object') {
    return typeof data === 'string' && data.trim() ? data.trim().slice(0, 200) : undefined;
  }
  const body = data as Record<string, any>;
  const exception = body.requestError?.serviceException ?? body.requestError?.policyException;
  if (exception) {
    const variables: unknown[] = Array.isArray(exception.variables) ? exception.variables : [];
    const text = [exception.messageId, variables[2], variables[3]].filter(Boolean).join(' ');
    return text.slice(0, 200) || undefined;
  }
  const first = Object.values(body)[0];
  const message =
    (first && typeof first === 'object' && (first as Record<string, unknown>).message) ??
    body.message ??
    body.error;
  return typeof message === 'string' ? message.slice(0, 200) : undefined;
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const result: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(headers)) {
    result[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}
