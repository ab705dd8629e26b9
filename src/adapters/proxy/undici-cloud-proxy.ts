import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Agent, Dispatcher, request } from 'undici';

import { CloudProxyPort, CloudTls, ProxyAnswer, ProxyCall } from '../../application/ports/cloud-proxy.port';
import { UpstreamUnreachableError } from '../../domain/errors';
import { AppConfig, appConfig } from '../../config/app.config';
import { observeCall } from '../outbound/call-observer';
import { OutboundHttp } from '../outbound/outbound-http';

const CONNECT_TIMEOUT_MS = 10_000;

/** The caller's headers are lower-cased: so are the ones added, to replace rather than double them. */
function lowerCased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

/**
 * The proxy's calls to clouds, on undici: bodies stream both ways (a request body is
 * passed on as it arrives, an answer is handed over before its body has come), one
 * connection pool per TLS trust (esr ssl-cacert / ssl-insecure). HTTP_TIMEOUT_MS bounds
 * the wait for the answer's headers and each pause inside a body. Only calls without a
 * body are retried (HTTP_RETRIES, on connection failures): a caller's body is gone once sent.
 * Each call holds a slot of its cloud host and of all clouds until its answer's headers
 * are in (for an upload, until the cloud has its body).
 */
@Injectable()
export class UndiciCloudProxy extends CloudProxyPort implements OnModuleDestroy {
  private readonly agents = new Map<string, Agent>();

  constructor(
    @Inject(appConfig.KEY) private readonly config: AppConfig,
    private readonly outbound: OutboundHttp,
  ) {
    super();
  }

  /** A GET, HEAD or OPTIONS is tried again after a connection failure, bounded. */
  async send(call: ProxyCall): Promise<ProxyAnswer> {
    const { retries, retryBaseMs } = this.config.http;
    const retryable = call.body === undefined && ['GET', 'HEAD', 'OPTIONS'].includes(call.method);
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.once(call);
      } catch (error) {
        if (!retryable || attempt >= retries || call.signal?.aborted || !(error instanceof UpstreamUnreachableError)) throw error;
        await new Promise((resolve) => setTimeout(resolve, retryBaseMs * 2 ** attempt));
      }
    }
  }

  private async once(call: ProxyCall): Promise<ProxyAnswer> {
    const url = new URL(call.url);
    try {
      // Counted and timed (to the answer's headers) as system "proxy"; the ONAP headers ride along.
      return await observeCall('proxy', call.method, url.pathname, async (extra) => {
        const headers = { ...call.headers, ...lowerCased(extra) };
        // In the cloud's concurrency slots (CLOUD_CONCURRENCY, CLOUD_HOST_CONCURRENCY) until the answer's headers are in.
        const answer = await this.outbound.inCloudSlots(
          url.origin,
          () => request(url, { method: call.method as Dispatcher.HttpMethod, headers, body: call.body, dispatcher: this.agentFor(call.tls), signal: call.signal }),
          call.signal,
        );
        return { status: answer.statusCode, headers: answer.headers as ProxyAnswer['headers'], body: answer.body };
      });
    } catch (error) {
      if (call.signal?.aborted) throw error;
      const reason = (error as { code?: string }).code ?? (error as Error).name;
      // The URL without its query: a caller may put anything there.
      throw new UpstreamUnreachableError(`${call.method} ${url.origin}${url.pathname} failed: ${reason}`);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.agents.values()].map((agent) => agent.close()));
  }

  private agentFor(tls: CloudTls): Agent {
    const ca = tls.caCert?.includes('-----BEGIN') ? tls.caCert : undefined;
    const key = `${tls.insecure}|${ca ?? ''}`;
    let agent = this.agents.get(key);
    if (!agent) {
      const timeout = this.config.http.timeoutMs;
      agent = new Agent({
        headersTimeout: timeout,
        bodyTimeout: timeout,
        connect: { timeout: Math.min(timeout, CONNECT_TIMEOUT_MS), rejectUnauthorized: !tls.insecure, ca },
      });
      this.agents.set(key, agent);
    }
    return agent;
  }
}
