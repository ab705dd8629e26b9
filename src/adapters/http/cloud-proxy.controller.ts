import { All, Controller, Get, Next, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiDefaultResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';

import { FrontAnswer, KeystoneFront } from '../../application/keystone-front';
import { ProxyRegion, ProxyRegions } from '../../application/proxy/proxy-region';
import { ProxyServiceCall } from '../../application/proxy-service-call';
import { ServiceNotInCatalogError } from '../../domain/errors';
import { safeSubPath } from '../../domain/proxy-path';
import { ApiErrors } from './api-models';
import { Target, jsonBody, parseTarget, queryOf, requestBody, send } from './proxy-exchange';
import { API_PREFIX, ApiRegion, Region, RegionRef, regionPaths } from './region-ref.decorator';
import { withoutTrailingSlashes } from '../../domain/path-segment';

/** The service type of the Keystone front; any other type is proxied to the catalog's endpoint. */
const IDENTITY = 'identity';
/** `…/{vimid}/identity{suffix}` on v0 and v1. */
const identityPaths = (suffix = ''): string[] => regionPaths(`/${IDENTITY}${suffix}`);
/** `…/{vimid}/{service}` and `…/{vimid}/{service}/{path}` (`*path`: the rest, `/` included) on v0 and v1. */
const SERVICE_PATHS = [...regionPaths('/:service'), ...regionPaths('/:service/*path')];
/** Path segments other controllers serve: `…/{vimid}/registry…`, `…/capacity_check`. */
const NOT_PROXIED = new Set(['registry', 'capacity_check']);

const TOKEN_HEADER = { name: 'X-Auth-Token', required: true, description: "The caller's Keystone token" };
const SIGN_IN_BODY = { description: "Keystone's own sign-in body (the caller's credentials; never the stored ones)", schema: { type: 'object' } } as const;
const PASSED_THROUGH = { description: "Keystone's own answer (an error: 401 for wrong credentials…), passed through" };

/**
 * The Keystone front under `…/{vimid}/identity` (SPEC 8): version documents, sign-ins,
 * v2.0 tenants, each a route of its own; then `ANY …/{vimid}/{service-type}/…`: other
 * `identity/v3/…` calls forwarded to Keystone, any other type to the region's catalog
 * endpoint. Paths other controllers serve (`registry`, `capacity_check`) are passed on to
 * them whatever the order of routes. The API documents come from these routes.
 */
@ApiRegion()
@Controller(API_PREFIX)
export class CloudProxyController {
  constructor(
    private readonly regions: ProxyRegions,
    private readonly keystone: KeystoneFront,
    private readonly services: ProxyServiceCall,
  ) {}

  @Get(identityPaths())
  @ApiTags(IDENTITY)
  @ApiOperation({ summary: "Keystone's versions, linking to this proxy (no call to the cloud)" })
  @ApiResponse({ status: 300, description: '{"versions": {"values": [v3, v2.0]}}' })
  @ApiErrors(400, 404, 500)
  versions(@Region() region: RegionRef, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.front(region, req, res, (proxy) => this.keystone.versions(proxy, 'all'));
  }

  @Get(identityPaths('/v3'))
  @ApiTags(IDENTITY)
  @ApiOperation({ summary: 'The Keystone v3 version document, linking to this proxy (no call to the cloud)' })
  @ApiOkResponse({ description: '{"version": {"id": "v3.14", …}}' })
  @ApiErrors(400, 404, 500)
  versionV3(@Region() region: RegionRef, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.front(region, req, res, (proxy) => this.keystone.versions(proxy, 'v3'));
  }

  @Get(identityPaths('/v2.0'))
  @ApiTags(IDENTITY)
  @ApiOperation({ summary: 'The Keystone v2.0 version document, linking to this proxy (no call to the cloud)' })
  @ApiOkResponse({ description: '{"version": {"id": "v2.0", …}}' })
  @ApiErrors(400, 404, 500)
  versionV2(@Region() region: RegionRef, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.front(region, req, res, (proxy) => this.keystone.versions(proxy, 'v2.0'));
  }

  @Post(identityPaths('/v3/auth/tokens'))
  @ApiTags(IDENTITY)
  @ApiOperation({ summary: "Sign in with the caller's own v3 body at the region's Keystone; the catalog points at this proxy" })
  @ApiBody(SIGN_IN_BODY)
  @ApiResponse({ status: 201, description: "Keystone's token body, catalog rewritten; X-Subject-Token is Keystone's token" })
  @ApiDefaultResponse(PASSED_THROUGH)
  @ApiErrors(400, 404, 500, 502, 503)
  signInV3(@Region() region: RegionRef, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.front(region, req, res, async (proxy) => this.keystone.signInV3(proxy, await jsonBody(req), queryOf(req.originalUrl)));
  }

  @Post(identityPaths('/v2.0/tokens'))
  @ApiTags(IDENTITY)
  @ApiOperation({ summary: 'Sign in with a v2.0 body (converted to v3 on a v3 Keystone), answered in the v2.0 shape' })
  @ApiBody(SIGN_IN_BODY)
  @ApiOkResponse({ description: 'v2.0 access, serviceCatalog rewritten to this proxy' })
  @ApiDefaultResponse(PASSED_THROUGH)
  @ApiErrors(400, 404, 500, 502, 503)
  signInV2(@Region() region: RegionRef, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.front(region, req, res, async (proxy) => this.keystone.signInV2(proxy, await jsonBody(req)));
  }

  @Get(identityPaths('/v2.0/tenants'))
  @ApiTags(IDENTITY)
  @ApiOperation({ summary: "The caller's projects in the v2.0 shape" })
  @ApiHeader(TOKEN_HEADER)
  @ApiOkResponse({ description: '{"tenants": [...], "tenants_links": []}' })
  @ApiDefaultResponse(PASSED_THROUGH)
  @ApiErrors(400, 401, 404, 500, 502)
  tenants(@Region() region: RegionRef, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.front(region, req, res, (proxy) => this.keystone.tenants(proxy, req.header('x-auth-token')));
  }

  @All(SERVICE_PATHS)
  @ApiTags('proxy')
  @ApiOperation({
    summary: "Forwarded to the region's catalog endpoint of that service type, streamed",
    description:
      "Any method, with the caller's token, query, headers and body; URLs of real endpoints in the answer point at " +
      `this proxy. ${IDENTITY}/v3/{path} calls other than the routes above go to Keystone. ` +
      'registry and capacity_check are not service types: their own routes serve them.',
  })
  @ApiParam({ name: 'service', description: `A catalog service type: compute, image, volumev3, network, …, or ${IDENTITY}` })
  @ApiParam({ name: 'path', description: "The service's own path, `/` included (no `..`, no encoded `/`)" })
  @ApiHeader(TOKEN_HEADER)
  @ApiDefaultResponse({ description: "The service's answer, streamed" })
  @ApiErrors(400, 401, 404, 500, 502, 503)
  async proxy(@Req() req: Request, @Res() res: Response, @Next() next: NextFunction): Promise<void> {
    const target = parseTarget(req.originalUrl);
    if (!target || NOT_PROXIED.has(target.service)) return next();
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const answer =
      target.service === IDENTITY
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

  private async front(region: RegionRef, req: Request, res: Response, answer: (proxy: ProxyRegion) => FrontAnswer | Promise<FrontAnswer>): Promise<void> {
    const proxy = await this.regions.resolve(region.vimId, region.apiVersion);
    await send(res, req.method, await answer(proxy));
  }

  /** An `identity/…` call no route above serves: other v3 calls go to Keystone. */
  private async identity(req: Request, target: Target): Promise<FrontAnswer> {
    const region = await this.regions.resolve(target.vimId, target.apiVersion);
    const path = withoutTrailingSlashes(target.path);
    if (path.startsWith('v3/')) {
      return this.keystone.forward(region, {
        method: req.method,
        path: safeSubPath(path.slice(3)),
        query: target.query,
        headers: req.headers,
        body: req.method === 'GET' || req.method === 'HEAD' ? undefined : await jsonBody(req),
      });
    }
    throw new ServiceNotInCatalogError(`the Keystone front serves no ${req.method} ${IDENTITY}/${path}`);
  }
}
