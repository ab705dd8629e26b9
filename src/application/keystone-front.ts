import { Readable } from 'node:stream';

import { Injectable } from '@nestjs/common';

import { InvalidRequestError, NotAuthenticatedError, UpstreamUnreachableError } from '../domain/errors';
import {
  CatalogEntry,
  catalogEntries,
  projectsToTenants,
  rewriteCatalog,
  rewriteV2Catalog,
  v2CatalogEntries,
  v2RequestToV3,
  v3TokenToV2,
  versionDocument,
} from '../domain/keystone-front';
import { forwardableHeaders, orderRewrites, rewriteJsonUrls } from '../domain/proxy-path';
import { CloudProxyPort, ProxyAnswer } from './ports/cloud-proxy.port';
import { ProxyRegion, parseJson, readAll } from './proxy/proxy-region';
import { TokenCatalogs } from './proxy/token-catalogs';

/** Keystone answers are JSON documents; a catalog of a large distributed cloud is long. */
const MAX_KEYSTONE_BYTES = 32 * 1024 * 1024;
const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

/** What the proxy answers its caller. */
export interface FrontAnswer {
  status: number;
  headers: Record<string, string | string[]>;
  body?: Buffer | Readable;
}

/**
 * The Keystone behind `identity-url` (SPEC 8): version documents, sign-ins forwarded
 * with the caller's own credentials (v2.0 converted to v3 and back on a v3 cloud),
 * catalogs rewritten to the proxy, and each token's catalog known from its sign-in or
 * from Keystone. Stored credentials are never used here.
 */
@Injectable()
export class KeystoneFront {
  constructor(
    private readonly cloud: CloudProxyPort,
    private readonly catalogs: TokenCatalogs,
  ) {}

  versions(region: ProxyRegion, which: 'all' | 'v3' | 'v2.0'): FrontAnswer {
    const { status, body } = versionDocument(`${region.proxyBase}/identity`, which);
    return json(status, body);
  }

  /** `POST …/identity/v3/auth/tokens`: the caller's body to the cloud's Keystone. */
  async signInV3(region: ProxyRegion, body: unknown, query: string): Promise<FrontAnswer> {
    if (region.keystoneVersion !== 'v3') throw new InvalidRequestError(`the Keystone of ${region.vimId} speaks v2.0 only`);
    const answer = await this.keystone(region, 'POST', `/auth/tokens${query}`, {}, body);
    if (answer.status !== 201) return passThrough(answer);
    const tokenId = headerOf(answer.headers, 'x-subject-token');
    const token = answer.json?.token ?? {};
    // `?nocatalog` sign-ins say nothing of the catalog: the first proxied call asks Keystone.
    if (Array.isArray(token.catalog)) await this.remember(region, tokenId, catalogEntries(token.catalog), token.expires_at);
    const rewritten = { ...answer.json, token: { ...token, ...catalogOf(token, region) } };
    return json(201, rewritten, { 'x-subject-token': tokenId });
  }

  /** `POST …/identity/v2.0/tokens`: converted to v3 on a v3 cloud, answered as v2.0. */
  async signInV2(region: ProxyRegion, body: unknown): Promise<FrontAnswer> {
    if (region.keystoneVersion === 'v2.0') {
      const answer = await this.keystone(region, 'POST', '/tokens', {}, body);
      if (answer.status !== 200) return passThrough(answer);
      const access = answer.json?.access ?? {};
      await this.remember(region, String(access.token?.id ?? ''), v2CatalogEntries(access.serviceCatalog), access.token?.expires);
      return json(200, { ...answer.json, access: { ...access, serviceCatalog: rewriteV2Catalog(access.serviceCatalog, region.openstackRegion, region.proxyBase) } });
    }
    const answer = await this.keystone(region, 'POST', '/auth/tokens', {}, v2RequestToV3(body, region.domain));
    if (answer.status !== 201) return passThrough(answer);
    const tokenId = headerOf(answer.headers, 'x-subject-token');
    const token = answer.json?.token ?? {};
    await this.remember(region, tokenId, catalogEntries(token.catalog), token.expires_at);
    return json(200, v3TokenToV2(tokenId, { ...token, ...catalogOf(token, region) }));
  }

  /** `GET …/identity/v2.0/tenants`: the caller's projects (v3 `/auth/projects` on a v3 cloud). */
  async tenants(region: ProxyRegion, token: string | undefined): Promise<FrontAnswer> {
    const auth = { 'x-auth-token': requireToken(token) };
    if (region.keystoneVersion === 'v2.0') return passThrough(await this.keystone(region, 'GET', '/tenants', auth));
    const answer = await this.keystone(region, 'GET', '/auth/projects', auth);
    if (answer.status !== 200) return passThrough(answer);
    return json(200, projectsToTenants(answer.json));
  }

  /** Any other `…/identity/v3/{path}` call, with the caller's token and headers. */
  async forward(
    region: ProxyRegion,
    call: { method: string; path: string; query: string; headers: Record<string, string | string[] | undefined>; body?: unknown },
  ): Promise<FrontAnswer> {
    if (region.keystoneVersion !== 'v3') throw new InvalidRequestError(`the Keystone of ${region.vimId} speaks v2.0 only`);
    requireToken(headerOf(call.headers, 'x-auth-token'));
    const headers = forwardableHeaders(call.headers, ['content-length', 'accept-encoding']);
    const answer = await this.keystone(region, call.method, `/${call.path}${call.query}`, headers, call.body);
    const rewrites = orderRewrites([{ from: region.keystoneUrl, to: `${region.proxyBase}/identity/v3` }]);
    return answer.json === undefined ? passThrough(answer) : json(answer.status, rewriteJsonUrls(answer.json, rewrites), {}, answer.headers);
  }

  /**
   * The catalog of a caller's token: from the sign-in the proxy answered, else from
   * Keystone (`GET /v3/auth/tokens`, the token validating itself), cached until expiry.
   */
  async catalogFor(region: ProxyRegion, token: string | undefined): Promise<CatalogEntry[]> {
    const tokenId = requireToken(token);
    const cached = await this.catalogs.get(region.vimId.toString(), tokenId);
    if (cached) return cached;
    if (region.keystoneVersion !== 'v3') {
      throw new NotAuthenticatedError('the token was not issued through this proxy (a v2.0 Keystone cannot validate it)');
    }
    const answer = await this.keystone(region, 'GET', '/auth/tokens', { 'x-auth-token': tokenId, 'x-subject-token': tokenId });
    if (answer.status === 401 || answer.status === 403 || answer.status === 404) {
      throw new NotAuthenticatedError("the cloud's Keystone does not accept the token");
    }
    if (answer.status !== 200) throw new UpstreamUnreachableError(`the cloud's Keystone answered ${answer.status} to a token validation`);
    return this.remember(region, tokenId, catalogEntries(answer.json?.token?.catalog), answer.json?.token?.expires_at);
  }

  /**
   * Keeps the region's own endpoints only: the proxy of one region reaches nothing else,
   * and a distributed cloud's whole catalog (every subcloud) is hundreds of KB per token.
   */
  private async remember(region: ProxyRegion, token: string, entries: CatalogEntry[], expires: unknown): Promise<CatalogEntry[]> {
    const own = entries.filter((entry) => entry.region === region.openstackRegion);
    const at = typeof expires === 'string' ? Date.parse(/Z$|[+-]\d\d:?\d\d$/.test(expires) ? expires : `${expires}Z`) : NaN;
    if (token && Number.isFinite(at)) await this.catalogs.remember(region.vimId.toString(), token, own, at);
    return own;
  }

  private async keystone(
    region: ProxyRegion,
    method: string,
    path: string,
    headers: Record<string, string | string[]>,
    body?: unknown,
  ): Promise<ProxyAnswer & { raw: Buffer; json: any }> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const answer = await this.cloud.send({
      method,
      url: `${region.keystoneUrl}${path}`,
      headers: { ...JSON_HEADERS, ...headers, ...(payload ? { 'content-length': String(payload.length) } : {}) },
      body: payload,
      tls: region.tls,
    });
    const raw = await readAll(answer.body, MAX_KEYSTONE_BYTES);
    return { ...answer, raw, json: parseJson(raw) };
  }
}

function catalogOf(token: Record<string, unknown>, region: ProxyRegion): Record<string, unknown> {
  return token.catalog === undefined ? {} : { catalog: rewriteCatalog(token.catalog, region.openstackRegion, region.proxyBase) };
}

function requireToken(token: string | undefined): string {
  if (!token) throw new NotAuthenticatedError('an X-Auth-Token is required');
  return token;
}

export function headerOf(headers: Record<string, string | string[] | undefined>, name: string): string {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

function json(status: number, body: unknown, extra: Record<string, string> = {}, from: Record<string, string | string[]> = {}): FrontAnswer {
  const keep = forwardableHeaders(from, ['content-length', 'content-type', 'content-encoding']);
  return { status, headers: { ...keep, 'content-type': 'application/json', ...extra }, body: Buffer.from(JSON.stringify(body)) };
}

/** Keystone's own answer (an error, most often): its status, type and body. */
function passThrough(answer: ProxyAnswer & { raw: Buffer }): FrontAnswer {
  const type = headerOf(answer.headers, 'content-type');
  return { status: answer.status, headers: type ? { 'content-type': type } : {}, body: answer.raw };
}
