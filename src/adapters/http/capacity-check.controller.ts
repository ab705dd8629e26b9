import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';

import { CapacityCheckResult, CheckCapacity } from '../../application/check-capacity';
import { parseCapacityDemand } from '../../domain/capacity-demand';
import { InvalidRequestError } from '../../domain/errors';
import { ApiErrors, CapacityCheckModel, CapacityDemandModel } from './api-models';
import { API_PREFIX, ApiProjectHeader, ApiRegion, Region, RegionRef, regionPaths } from './region-ref.decorator';
import { jsonOf } from './request-body';

/** POST capacity_check on v0 and v1; its errors carry `"result": false` (see the filter). */
@ApiTags('capacity_check')
@ApiRegion()
@Controller(API_PREFIX)
export class CapacityCheckController {
  constructor(private readonly checkCapacity: CheckCapacity) {}

  @Post(regionPaths('/capacity_check'))
  @HttpCode(200)
  @ApiOperation({ summary: 'Whether a demand fits the region, and its audited per-zone capacity' })
  @ApiProjectHeader()
  @ApiBody({ type: CapacityDemandModel })
  @ApiOkResponse({ type: CapacityCheckModel })
  @ApiErrors(400, 404, 413, 415, 500, 503, 504)
  check(
    @Region() region: RegionRef,
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
    @Headers('project') project?: string,
  ): Promise<CapacityCheckResult> {
    const json = jsonOf(body);
    if (json === undefined && typeof body === 'string' && body.trim() !== '') {
      throw new InvalidRequestError('the body is not valid JSON');
    }
    // A client that goes away before its answer stops the check and its remote calls.
    const gone = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) gone.abort(new Error('the client went away'));
    });
    return this.checkCapacity.execute(region.vimId, parseCapacityDemand(json), project?.trim() || undefined, gone.signal);
  }
}
