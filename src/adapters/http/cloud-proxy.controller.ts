import { pipeline } from 'node:stream/promises';

import { All, Controller, Next, Req, Res } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

import { FrontAnswer, KeystoneFront } from '../../application/keystone-front';
import { ProxyRegions } from '../../application/proxy/proxy-region';
import { ProxyServiceCall } from '../../application/proxy-service-call';
import { ApiVersion } from '../../domain/cloud-region';
import { InvalidRequestError, ServiceNotInCatalogError } from '../../domain/errors';
import { safeSubPath } from '../../domain/proxy-path';
import { VimId } from '../../domain/vim-id';

const PREFIX = '/api/multicloud-starlingx/';
/** Path segments other controllers serve: `…/{vimid}/registry…`, `…/capacity_check`. */
const NOT_PROXIED = new Set(['registry', 'capacity_check']);
const MAX_SIGN_IN_BYTES = 1024 * 1024;

/**
 * `ANY …/{vimid}/{service-type}/…` on v0 and v1 (SPEC 8): the Keystone front under
 * `identity`, the service proxy under any other type. Paths other controllers serve
 * (`registry`, `capacity_check`) are passed on to them whatever the order of routes.
 */
@Controller('api/multicloud-starlingx')
export class CloudProxyController {
  constructor(
    private readonly regions: ProxyRegions,
    private readonly keystone: KeystoneFront,
    private readonly services: ProxyServiceCall,
  ) {}

  @All(['v0/:vimid/:service', 'v0/:vimid/:service/*path', 'v1/:owner/:region/:service', 'v1/:owner/:region/:service/*path'])
  async proxy(@Req() req: Request, @Res() res: Response, @Next() next: NextFunction): Promise<void> {
    const target = parseTarget(req.originalUrl);
    if (!target || NOT_PROXIED.has(target.service)) return next();
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const answer =
      target.service === 'identity'
        ? await this.identity(req, target)
        : await this.services.execute({
            vimId: target.vimId,
            apiVersion: target.apiVersion,
            serviceType: target.service,
            path: target.path,
            query: target.query,
            method: req.method,
            headers: req.headers,
            body: requestBody(req),
            signal: abort.signal,
          });
    await send(res, req.method, answer);
  }

  private async identity(req: Request, target: Target): Promise<FrontAnswer> {
    const region = await this.regions.resolve(target.vimId, target.apiVersion);
    const path = target.path.replace(/\/+$/, '');
    const route = `${req.method} ${path}`;
    const token = req.header('x-auth-token');
    switch (route) {
      case 'GET ':
        return this.keystone.versions(region, 'all');
      case 'GET v3':
        return this.keystone.versions(region, 'v3');
      case 'GET v2.0':
        return this.keystone.versions(region, 'v2.0');
      case 'POST v3/auth/tokens':
        return this.keystone.signInV3(region, await jsonBody(req), target.query);
      case 'POST v2.0/tokens':
        return this.keystone.signInV2(region, await jsonBody(req));
      case 'GET v2.0/tenants':
        return this.keystone.tenants(region, token);
    }
    if (path.startsWith('v3/')) {
      return this.keystone.forward(region, {
        method: req.method,
        path: safeSubPath(path.slice(3)),
        query: target.query,
        headers: req.headers,
        body: req.method === 'GET' || req.method === 'HEAD' ? undefined : await jsonBody(req),
      });
    }
    throw new ServiceNotInCatalogError(`the Keystone front serves no ${req.method} identity/${path}`);
  }
}

interface Target {
  vimId: VimId;
  apiVersion: ApiVersion;
  service: string;
  /** After `{service}/`, still URL-encoded. */
  path: string;
  query: string;
}

/** The region, service type and rest of a proxied URL, from the URL as it arrived. */
function parseTarget(originalUrl: string): Target | undefined {
  const queryAt = originalUrl.indexOf('?');
  const rawPath = queryAt < 0 ? originalUrl : originalUrl.slice(0, queryAt);
  const query = queryAt < 0 ? '' : originalUrl.slice(queryAt);
  const at = rawPath.indexOf(PREFIX);
  if (at < 0) return undefined;
  const segments = rawPath.slice(at + PREFIX.length).split('/');
  const apiVersion = segments[0] as ApiVersion;
  const regionParts = apiVersion === 'v0' ? 1 : 2;
  const [service, ...rest] = segments.slice(1 + regionParts);
  if (!service) return undefined;
  const ids = segments.slice(1, 1 + regionParts).map(decoded);
  const vimId = apiVersion === 'v0' ? VimId.parse(ids[0]) : VimId.of(ids[0], ids[1]);
  return { vimId, apiVersion, service: decoded(service), path: rest.join('/'), query };
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new InvalidRequestError(`the path is not well encoded: ${segment}`);
  }
}

/** The body to pass on: as it arrives, or re-encoded if a parser has read it (none does on these routes). */
function requestBody(req: Request): Buffer | Request | undefined {
  if (parsedByExpress(req)) {
    const body =
      (req as Request & { rawBody?: Buffer }).rawBody ??
      Buffer.from(req.is('json') ? JSON.stringify(req.body) : new URLSearchParams(req.body as Record<string, string>).toString());
    req.headers['content-length'] = String(body.length);
    delete req.headers['transfer-encoding'];
    return body;
  }
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  return hasBody ? req : undefined;
}

/** A body parser has read the body (Express sets `req.body` only then). */
function parsedByExpress(req: Request): boolean {
  return req.body !== undefined;
}

/** A sign-in body: read by Express's JSON parser, else here (bounded); not JSON is a 400. */
async function jsonBody(req: Request): Promise<unknown> {
  if (parsedByExpress(req)) return req.body;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_SIGN_IN_BYTES) throw new InvalidRequestError('the request body is too large');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new InvalidRequestError('the request body is not JSON');
  }
}

async function send(res: Response, method: string, answer: FrontAnswer): Promise<void> {
  res.status(answer.status);
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  const { body } = answer;
  if (method === 'HEAD' || !body) {
    res.end();
    body && !Buffer.isBuffer(body) && body.destroy();
    return;
  }
  if (Buffer.isBuffer(body)) {
    res.setHeader('content-length', String(body.length));
    res.end(body);
    return;
  }
  try {
    await pipeline(body, res);
  } catch {
    // The caller or the service went away mid-body: both sides are closed already.
    res.destroy();
  }
}
