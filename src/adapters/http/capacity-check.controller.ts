import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';

import { CapacityCheckResult, CheckCapacity } from '../../application/check-capacity';
import { CapacityDemand } from '../../domain/capacity-demand';
import { ApiErrors, CapacityCheckModel, CapacityDemandModel } from './api-models';
import { CapacityDemandPipe } from './capacity-check.request';
import { API_PREFIX, ApiProjectHeader, ApiRegion, Region, RegionRef, regionPaths } from './region-ref.decorator';

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
    @Body(CapacityDemandPipe) demand: CapacityDemand,
    @Res({ passthrough: true }) response: Response,
    @Headers('project') project?: string,
  ): Promise<CapacityCheckResult> {
    // A client that goes away before its answer stops the check and its remote calls.
    const gone = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) gone.abort(new Error('the client went away'));
    });
    return this.checkCapacity.execute(region.vimId, demand, project?.trim() || undefined, gone.signal);
  }
}
