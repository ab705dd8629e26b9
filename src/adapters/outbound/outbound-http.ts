import { Agent as HttpAgent } from 'node:http';
import * as https from 'node:https';

import { HttpService } from '@nestjs/axios';
import { Inject, Injectable } from '@nestjs/common';
import { AxiosError, AxiosRequestConfig } from 'axios';

import { currentSignal, pause } from '../../application/call-scope';
import { RemoteCallError, RemoteSystem } from '../../application/ports/remote-call.error';
import { AppConfig, appConfig } from '../../config/app.config';
import { Limiter } from './limiter';

export type Pool = 'aai' | 'cloud';

export interface OutboundRequest {
  system: RemoteSystem;
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  data?: unknown;
  /** For a remote with its own TLS trust (a cloud's ssl-cacert / ssl-insecure). */
  httpsAgent?: https.Agent;
  /** Statuses returned to the caller instead of thrown (default: 2xx only). */
  accept?: number[];
}

export interface OutboundResponse<T> {
  status: number;
  data: T;
  headers: Record<string, string | undefined>;
}

const RETRYABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ECONNABORTED', 'ENOTFOUND']);

/**
 * Every remote call of the service: a timeout on each attempt, bounded retries (with
 * backoff) for connection errors and 5xx, at most N calls at once per pool (A&AI,
 * clouds), keep-alive connections, and the job's abort signal. Failures come out as
 * RemoteCallError naming the system, the method and the URL (never its query).
 */
@Injectable()
export class OutboundHttp {
  private readonly limiters: Record<Pool, Limiter>;
  private readonly httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 256 });

  constructor(
    private readonly http: HttpService,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
  ) {
    this.limiters = {
      aai: new Limiter(config.http.aaiConcurrency),
      cloud: new Limiter(config.http.cloudConcurrency),
    };
  }

  async send<T>(pool: Pool, request: OutboundRequest): Promise<OutboundResponse<T>> {
    const signal = currentSignal();
    const { retries, retryBaseMs } = this.config.http;
    for (let attempt = 0; ; attempt += 1) {
      const outcome = await this.limiters[pool].run(() => this.attempt<T>(request, signal), signal);
      if (outcome.kind === 'response') return outcome.response;
      if (!outcome.retryable || attempt >= retries || signal?.aborted) throw outcome.error;
      await pause(retryBaseMs * 2 ** attempt * (0.75 + Math.random() / 2));
    }
  }

  private async attempt<T>(
    request: OutboundRequest,
    signal: AbortSignal | undefined,
  ): Promise<
    | { kind: 'response'; response: OutboundResponse<T> }
    | { kind: 'error'; error: Error; retryable: boolean }
  > {
    const call = `${request.method} ${describeUrl(request.url)}`;
    const config: AxiosRequestConfig = {
      method: request.method,
      url: request.url,
      headers: request.headers,
      data: request.data,
      timeout: this.config.http.timeoutMs,
      signal,
      httpAgent: this.httpAgent,
      httpsAgent: request.httpsAgent,
      validateStatus: () => true,
      maxRedirects: 0,
      maxContentLength: 512 * 1024 * 1024,
      maxBodyLength: 64 * 1024 * 1024,
    };
    try {
      const response = await this.http.axiosRef.request<T>(config);
      const accepted = request.accept
        ? request.accept.includes(response.status)
        : response.status >= 200 && response.status < 300;
      if (accepted) {
        return {
          kind: 'response',
          response: { status: response.status, data: response.data, headers: flatHeaders(response.headers) },
        };
      }
      return {
        kind: 'error',
        error: new RemoteCallError(request.system, call, response.status, errorDetail(response.data)),
        retryable: response.status >= 500,
      };
    } catch (error) {
      if (signal?.aborted) {
        // The job's or the audit's own reason (a DOMException TimeoutError for deadlines).
        const reason = signal.reason as Error | undefined;
        return { kind: 'error', error: reason && typeof reason === 'object' ? reason : new Error('aborted'), retryable: false };
      }
      const axiosError = error as AxiosError;
      const code = axiosError.code ?? '';
      const detail = code === 'ECONNABORTED' ? `no answer within ${this.config.http.timeoutMs} ms` : code || axiosError.message;
      return {
        kind: 'error',
        error: new RemoteCallError(request.system, call, undefined, detail),
        retryable: RETRYABLE_CODES.has(code) || code === 'ERR_SOCKET_CONNECTION_TIMEOUT',
      };
    }
  }
}

/** scheme://host:port/path, without credentials or query. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return url.split('?')[0];
  }
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

function flatHeaders(headers: unknown): Record<string, string | undefined> {
  const result: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries((headers ?? {}) as Record<string, unknown>)) {
    result[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value === undefined ? undefined : String(value);
  }
  return result;
}
