import { ExecutionContext, applyDecorators, createParamDecorator } from '@nestjs/common';
import { ApiHeader, ApiParam } from '@nestjs/swagger';
import type { Request } from 'express';

import { noteVimId } from '../../application/jobs/request-context';
import { ApiVersion } from '../../domain/cloud-region';
import { OWNER, REGION, VIM_ID, VimId } from '../../domain/vim-id';

export interface RegionRef {
  vimId: VimId;
  apiVersion: ApiVersion;
}

/** The prefix of every API route; `{API_PREFIX}/v0/…` and `…/v1/…` are the two API versions. */
export const API_PREFIX = 'api/multicloud-starlingx';

/** Route paths of one endpoint on both APIs: v0 `{vimid}`, v1 `{cloud-owner}/{cloud-region-id}`. */
export function regionPaths(suffix = ''): string[] {
  return [`v0/:vimid${suffix}`, `v1/:owner/:region${suffix}`];
}

/** The region a request names; a vimid that does not decode is a 400 before anything else runs. */
export const Region = createParamDecorator((_: unknown, context: ExecutionContext): RegionRef => {
  const params = context.switchToHttp().getRequest<Request>().params as Record<string, string | undefined>;
  const region: RegionRef =
    params.vimid !== undefined ? { vimId: VimId.parse(params.vimid), apiVersion: 'v0' } : { vimId: VimId.of(params.owner ?? '', params.region ?? ''), apiVersion: 'v1' };
  // The request's log lines name the region from here on.
  noteVimId(region.vimId.toString());
  return region;
});

/** The path parameters of `regionPaths` in the API documents (each path keeps those it names). */
export function ApiRegion(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    ApiParam({ name: 'vimid', description: '{cloud-owner}_{cloud-region-id} (v0)', schema: { type: 'string', pattern: VIM_ID.source } }),
    ApiParam({ name: 'owner', description: 'A&AI cloud-owner (v1)', schema: { type: 'string', pattern: OWNER.source } }),
    ApiParam({ name: 'region', description: 'A&AI cloud-region-id (v1)', schema: { type: 'string', pattern: REGION.source } }),
  );
}

/** The `Project` header that scopes a route's Keystone session. */
export function ApiProjectHeader(): ClassDecorator & MethodDecorator {
  return ApiHeader({
    name: 'project',
    required: false,
    description: 'Project id or name to scope the Keystone session to (default: the default-tenant in A&AI)',
  });
}
