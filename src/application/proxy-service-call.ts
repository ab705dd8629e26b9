import { Readable } from 'node:stream';

import { Injectable } from '@nestjs/common';

import { isApiDocument } from '../domain/api-document';
import { ApiVersion } from '../domain/cloud-region';
import { InvalidRequestError, NotAuthenticatedError, ServiceNotInCatalogError } from '../domain/errors';
import { serviceEndpoint } from '../domain/keystone-front';
import { forwardableHeaders, orderRewrites, rewriteJsonUrls, rewriteUrl, safeSubPath } from '../domain/proxy-path';
import { VimId } from '../domain/vim-id';
import { FrontAnswer, KeystoneFront, headerOf } from './keystone-front';
import { Limiter } from './jobs/limiter';
import { CloudProxyPort } from './ports/cloud-proxy.port';
import { RequestLimits } from './ports/request-limits.port';
import { ProxyRegions, parseJson } from './proxy/proxy-region';
import { withoutTrailingSlashes } from '../domain/path-segment';

export interface ServiceCall {
  vimId: VimId;
  apiVersion: ApiVersion;
  serviceType: string;
  /** The path after `{service-type}/`, still URL-encoded. */
  path: string;
  /** `?…` as it arrived, or ''. */
  query: string;
  method: string;
  headers: Record<string, string | string[] | undefined>;
  body?: Readable | Buffer;
  signal?: AbortSignal;
}

/**
 * `ANY …/{service-type}/{path}` (SPEC 8): checked (path, token, catalog), forwarded to
 * the region's endpoint for that type with the caller's token, headers and body, and
 * answered with every URL of a real endpoint pointed back at the proxy.
 */
@Injectable()
export class ProxyServiceCall {
  /** Answers read whole to be rewritten at once; the others wait, their bodies unread. */
  private readonly rewrites: Limiter;

  constructor(
    private readonly regions: ProxyRegions,
    private readonly keystone: KeystoneFront,
    private readonly cloud: CloudProxyPort,
    private readonly limits: RequestLimits,
  ) {
    this.rewrites = new Limiter(limits.rewriteConcurrency);
  }

  async execute(call: ServiceCall): Promise<FrontAnswer> {
    const path = safeSubPath(call.path);
    // No token, no A&AI read: an anonymous caller costs nothing.
    if (!headerOf(call.headers, 'x-auth-token')) throw new NotAuthenticatedError('an X-Auth-Token is required');
    const region = await this.regions.resolve(call.vimId, call.apiVersion);
    const catalog = await this.keystone.catalogFor(region, headerOf(call.headers, 'x-auth-token'));
    const endpoint = serviceEndpoint(catalog, call.serviceType, region.openstackRegion);
    if (!endpoint) {
      throw new ServiceNotInCatalogError(`no ${call.serviceType} endpoint in region ${region.openstackRegion} of the token's catalog`);
    }
    const url = `${endpoint}${path ? `/${path}` : ''}${call.query}`;
    if (!staysUnder(url, endpoint)) throw new InvalidRequestError(`the path would leave the service endpoint: ${call.path}`);
    const answer = await this.cloud.send({
      method: call.method,
      url,
      headers: forwardableHeaders(call.headers, ['accept-encoding']),
      body: call.body,
      tls: region.tls,
      signal: call.signal,
    });
    const rewrites = orderRewrites([
      ...catalog.filter((e) => e.region === region.openstackRegion).map((e) => ({ from: e.url, to: `${region.proxyBase}/${e.type}` })),
      { from: region.keystoneUrl, to: `${region.proxyBase}/identity/v3` },
    ]);
    const headers = forwardableHeaders(answer.headers);
    for (const name of ['location', 'content-location']) {
      if (typeof headers[name] === 'string') headers[name] = rewriteUrl(headers[name] as string, rewrites);
    }
    const length = Number(headerOf(answer.headers, 'content-length') || NaN);
    const { rewriteMaxBytes } = this.limits;
    if (!isApiDocument(call.serviceType, path, headerOf(answer.headers, 'content-type'), headerOf(answer.headers, 'content-encoding') || undefined) || length > rewriteMaxBytes) {
      return { status: answer.status, headers, body: answer.body };
    }
    const rewritten = this.rewrites.run(async () => {
      const read = await readUpTo(answer.body, rewriteMaxBytes);
      // Larger than announced (or not announced): passed on as it came, streamed.
      if (read.rest) return { status: answer.status, headers, body: read.rest };
      const parsed = parseJson(read.whole);
      const body = parsed === undefined ? read.whole : Buffer.from(JSON.stringify(rewriteJsonUrls(parsed, rewrites)));
      return { status: answer.status, headers: { ...headers, 'content-length': String(body.length) }, body };
    }, call.signal);
    // A caller gone while waiting for a turn: the cloud's answer is not read at all.
    return rewritten.catch((error: unknown) => {
      answer.body.destroy();
      throw error;
    });
  }
}

/**
 * A body read whole when it is at most `maxBytes`; else `rest`, a stream of the same
 * bytes: those read so far, then the remainder as it comes.
 */
async function readUpTo(body: Readable, maxBytes: number): Promise<{ whole: Buffer; rest?: undefined } | { whole?: undefined; rest: Readable }> {
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = body[Symbol.asyncIterator]();
  for (;;) {
    const next = await reader.next();
    if (next.done) return { whole: Buffer.concat(chunks) };
    chunks.push(next.value as Buffer);
    size += (next.value as Buffer).length;
    if (size > maxBytes) break;
  }
  async function* replay(): AsyncGenerator<Buffer> {
    yield* chunks.splice(0);
    for (;;) {
      const next = await reader.next();
      if (next.done) return;
      yield next.value as Buffer;
    }
  }
  const rest = Readable.from(replay(), { objectMode: false });
  rest.once('close', () => void reader.return?.());
  return { rest };
}

function staysUnder(url: string, endpoint: string): boolean {
  const target = new URL(url);
  const base = new URL(endpoint);
  const basePath = withoutTrailingSlashes(base.pathname);
  return target.origin === base.origin && (target.pathname === basePath || target.pathname.startsWith(`${basePath}/`));
}
