import { Readable } from 'node:stream';

import { Injectable } from '@nestjs/common';

import { ApiVersion } from '../domain/cloud-region';
import { InvalidRequestError, ServiceNotInCatalogError } from '../domain/errors';
import { serviceEndpoint } from '../domain/keystone-front';
import { forwardableHeaders, orderRewrites, rewriteJsonUrls, rewriteUrl, safeSubPath } from '../domain/proxy-path';
import { VimId } from '../domain/vim-id';
import { FrontAnswer, KeystoneFront, headerOf } from './keystone-front';
import { CloudProxyPort } from './ports/cloud-proxy.port';
import { ProxyRegions, parseJson, readAll } from './proxy/proxy-region';
import { withoutTrailingSlashes } from '../domain/path-segment';

/** A JSON answer is read whole to rewrite its URLs; past this it goes through as it is. */
const MAX_REWRITTEN_BYTES = 64 * 1024 * 1024;

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
  constructor(
    private readonly regions: ProxyRegions,
    private readonly keystone: KeystoneFront,
    private readonly cloud: CloudProxyPort,
  ) {}

  async execute(call: ServiceCall): Promise<FrontAnswer> {
    const path = safeSubPath(call.path);
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
      ...catalog
        .filter((e) => e.region === region.openstackRegion)
        .map((e) => ({ from: e.url, to: `${region.proxyBase}/${e.type}` })),
      { from: region.keystoneUrl, to: `${region.proxyBase}/identity/v3` },
    ]);
    const headers = forwardableHeaders(answer.headers);
    for (const name of ['location', 'content-location']) {
      if (typeof headers[name] === 'string') headers[name] = rewriteUrl(headers[name] as string, rewrites);
    }
    const length = Number(headerOf(answer.headers, 'content-length') || NaN);
    const isJson = /[/+]json\b/i.test(headerOf(answer.headers, 'content-type'));
    if (!isJson || headers['content-encoding'] || length > MAX_REWRITTEN_BYTES) {
      return { status: answer.status, headers, body: answer.body };
    }
    const raw = await readAll(answer.body, MAX_REWRITTEN_BYTES);
    const parsed = parseJson(raw);
    const body = parsed === undefined ? raw : Buffer.from(JSON.stringify(rewriteJsonUrls(parsed, rewrites)));
    return { status: answer.status, headers: { ...headers, 'content-length': String(body.length) }, body };
  }
}

function staysUnder(url: string, endpoint: string): boolean {
  const target = new URL(url);
  const base = new URL(endpoint);
  const basePath = withoutTrailingSlashes(base.pathname);
  return target.origin === base.origin && (target.pathname === basePath || target.pathname.startsWith(`${basePath}/`));
}
