import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';

import { noteVimId } from '../../application/jobs/request-context';
import { ApiVersion } from '../../domain/cloud-region';
import { VimId } from '../../domain/vim-id';

export interface RegionRef {
  vimId: VimId;
  apiVersion: ApiVersion;
}

/** Route paths of one endpoint on both APIs: v0 `{vimid}`, v1 `{cloud-owner}/{cloud-region-id}`. */
export function regionPaths(suffix = ''): string[] {
  return [`v0/:vimid${suffix}`, `v1/:owner/:region${suffix}`];
}

/** The region a request names; a vimid that does not decode is a 400 before anything else runs. */
export const Region = createParamDecorator((_: unknown, context: ExecutionContext): RegionRef => {
  const params = context.switchToHttp().getRequest<Request>().params as Record<string, string | undefined>;
  const region: RegionRef =
    params.vimid !== undefined
      ? { vimId: VimId.parse(params.vimid), apiVersion: 'v0' }
      : { vimId: VimId.of(params.owner ?? '', params.region ?? ''), apiVersion: 'v1' };
  // The request's log lines name the region from here on.
  noteVimId(region.vimId.toString());
  return region;
});
