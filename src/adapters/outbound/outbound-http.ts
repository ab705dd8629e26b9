import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Dispatcher } from 'undici';

import { currentSignal, pause } from '../../application/jobs/call-scope';
import { Limiter, SlotTimeoutError } from '../../application/jobs/limiter';
import { RemoteCallError, RemoteSystem } from '../../application/ports/remote-call.error';
import { Redactor } from '../../application/jobs/redactor';
import { AppConfig, appConfig } from '../../config/app.config';
import { observeCall } from './call-observer';
import { TlsTrust, TransportError, WireResponse, createDispatcher, splitUrl, transmit } from './http-transport';

export type Pool = 'aai' | 'cloud';

export interface OutboundRequest {
  system: RemoteSystem;
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  url: string;
  /** A function gives each attempt its own (e.g. a fresh X-TransactionId per request). */
  headers?: Record<string, string> | (() => Record<string, string>);
  /** JSON, or a FormData sent as multipart/form-data. */
  data?: unknown;
  /** For a remote with its own TLS trust (A&AI's CA, a cloud's ssl-cacert / ssl-insecure). */
  tls?: TlsTrust;
  /** Statuses returned to the caller instead of thrown (default: 2xx only). */
  accept?: number[];
}

export interface OutboundResponse<T> {
  status: number;
  data: T;
  headers: Record<string, string | undefined>;
  /** The body's size as received. */
  bytes: number;
}

const RETRYABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ECONNECTTIMEOUT', 'ESLOTTIMEOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH']);

/**
 * Every remote call of the service, on undici: a deadline on each attempt that counts
 * the wait for a slot as well as the exchange, a separate connect timeout, bounded
 * retries (with backoff) for connection errors and 5xx, at most N calls at once per
 * system (A&AI, clouds) and per remote host, keep-alive pools per origin, an answer
 * size cap, and the job's abort signal. A slot is held only while the call is on the
 * wire: bodies are serialised before and parsed after. Failures come out as
 * RemoteCallError naming the system, the method and the URL (never its query).
 */
/** Host limiters kept before idle ones are swept: far above the cloud hosts one replica calls at once. */
const HOST_LIMITERS_SWEPT_OVER = 1024;

@Injectable()
export class OutboundHttp implements OnApplicationShutdown {
  private readonly limiters: Record<Pool, Limiter>;
  private readonly hostLimiters = new Map<string, Limiter>();
  private readonly dispatchers = new Map<string, Dispatcher>();

  constructor(
    @Inject(appConfig.KEY) private readonly config: AppConfig,
    private readonly redactor: Redactor = new Redactor(),
  ) {
    this.limiters = {
      aai: new Limiter(config.http.aaiConcurrency),
      cloud: new Limiter(config.http.cloudConcurrency),
    };
  }

  /** Last of all: jobs stopping on shutdown still finish their calls. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.dispatchers.values()].map((dispatcher) => dispatcher.destroy().catch(() => undefined)));
    this.dispatchers.clear();
  }

  async send<T>(pool: Pool, request: OutboundRequest): Promise<OutboundResponse<T>> {
    const signal = currentSignal();
    const { retries, retryBaseMs, timeoutMs, connectTimeoutMs, maxResponseBytes } = this.config.http;
    const { origin, path } = splitUrl(request.url);
    const call = () => `${request.method} ${origin}${path.split('?')[0]}`;
    const { body, headers: bodyHeaders } = request.data instanceof FormData ? await encodeForm(request.data) : encodeJson(request.data);
    const headers = () => ({ ...(typeof request.headers === 'function' ? request.headers() : request.headers), ...bodyHeaders });
    const dispatcher = this.dispatcherFor(request.tls);
    for (let attempt = 0; ; attempt += 1) {
      let error: Error;
      let retryable: boolean;
      const deadlineAt = Date.now() + timeoutMs;
      try {
        const exchange = () =>
          this.limiters[pool].run(
            () =>
              observeCall(request.system, request.method, path, (extra) =>
                transmit({
                  method: request.method,
                  origin,
                  path,
                  headers: { ...headers(), ...extra },
                  body,
                  dispatcher,
                  timeoutMs: Math.max(1, deadlineAt - Date.now()),
                  maxResponseBytes,
                  signal,
                }),
              ),
            signal,
            deadlineAt,
          );
        // Host first: calls to a stuck cloud host queue there, not in the system's slots.
        const host = this.hostLimiter(pool, origin);
        const response = await (host ? host.run(exchange, signal, deadlineAt) : exchange());
        const accepted = request.accept ? request.accept.includes(response.status) : response.status >= 200 && response.status < 300;
        const data = decode(response);
        if (accepted) return { status: response.status, data: data as T, headers: flatHeaders(response.headers), bytes: response.body.length };
        error = new RemoteCallError(request.system, call(), response.status, errorDetail(data, this.redactor));
        retryable = response.status >= 500;
      } catch (failure) {
        if (signal?.aborted) throw signal.reason ?? failure;
        const code = String((failure as NodeJS.ErrnoException).code ?? '');
        const message =
          code === 'ECONNECTTIMEOUT'
            ? `no connection within ${connectTimeoutMs} ms`
            : code === 'ETIMEDOUT' && failure instanceof TransportError
              ? `no answer within ${timeoutMs} ms`
              : failure instanceof TransportError || failure instanceof SlotTimeoutError
                ? failure.message
                : code || (failure as Error).message;
        error = new RemoteCallError(request.system, call(), undefined, message);
        retryable = RETRYABLE_CODES.has(code);
      }
      if (!retryable || attempt >= retries || signal?.aborted) throw error;
      await pause(retryBaseMs * 2 ** attempt * (0.75 + Math.random() / 2));
    }
  }

  /**
   * `work` (a proxied call, up to its answer's headers) in a slot of its cloud host and
   * one of all clouds, as every call here: the proxy cannot crowd out the jobs' calls.
   */
  inCloudSlots<T>(origin: string, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const deadlineAt = Date.now() + this.config.http.timeoutMs;
    return this.hostLimiter('cloud', origin)!.run(() => this.limiters.cloud.run(work, signal, deadlineAt), signal, deadlineAt);
  }

  /**
   * A&AI is one host: its system limit is its host limit. Each cloud host has its own,
   * taken at once by its caller (`run` holds or queues synchronously). Past
   * HOST_LIMITERS_SWEPT_OVER hosts, the idle ones are dropped when a new host comes:
   * hosts met once (a region since de-registered, a proxied endpoint) do not pile up.
   */
  private hostLimiter(pool: Pool, origin: string): Limiter | undefined {
    if (pool === 'aai') return undefined;
    let limiter = this.hostLimiters.get(origin);
    if (!limiter) {
      if (this.hostLimiters.size >= HOST_LIMITERS_SWEPT_OVER) {
        for (const [known, held] of this.hostLimiters) if (held.idle) this.hostLimiters.delete(known);
      }
      limiter = new Limiter(this.config.http.cloudHostConcurrency);
      this.hostLimiters.set(origin, limiter);
    }
    return limiter;
  }

  /** Cloud hosts with a limiter now (tests and metrics). */
  get hostsTracked(): number {
    return this.hostLimiters.size;
  }

  private dispatcherFor(trust: TlsTrust = {}): Dispatcher {
    const key = `${trust.insecure === true}|${trust.ca?.toString() ?? ''}`;
    let dispatcher = this.dispatchers.get(key);
    if (!dispatcher) {
      dispatcher = createDispatcher(this.config.http.connectTimeoutMs, trust);
      this.dispatchers.set(key, dispatcher);
    }
    return dispatcher;
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

/**
 * A short reason from an error body: A&AI's serviceException, OpenStack's message.
 * Remote text loses its control characters and is redacted before it is cut to 200
 * characters (a cut must not leave half a secret behind).
 */
export function errorDetail(data: unknown, redactor?: Redactor): string | undefined {
  const detail = rawErrorDetail(data)
    ?.replace(/[\u0000-\u001F\u007F]+/g, ' ')
    .trim();
  if (!detail) return undefined;
  return (redactor ? redactor.text(detail) : detail).slice(0, 200);
}

function rawErrorDetail(data: unknown): string | undefined {
  if (!data || typeof data !== 'object') {
    return typeof data === 'string' && data.trim() ? data.trim() : undefined;
  }
  const body = data as Record<string, any>;
  const exception = body.requestError?.serviceException ?? body.requestError?.policyException;
  if (exception) {
    const variables: unknown[] = Array.isArray(exception.variables) ? exception.variables : [];
    const text = [exception.messageId, variables[2], variables[3]].filter(Boolean).join(' ');
    return text || undefined;
  }
  const first = Object.values(body)[0];
  const message = (first && typeof first === 'object' && (first as Record<string, unknown>).message) ?? body.message ?? body.error;
  return typeof message === 'string' ? message : undefined;
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const result: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(headers)) {
    result[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}
