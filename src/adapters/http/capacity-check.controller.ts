import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import type { Response } from 'express';

import { CapacityCheckResult, CheckCapacity } from '../../application/check-capacity';
import { CapacityCheckRequest } from './capacity-check.request';
import { Region, RegionRef, regionPaths } from './region-ref.decorator';

/** POST capacity_check on v0 and v1; its errors carry `"result": false` (see the filter). */
@Controller('api/multicloud-starlingx')
export class CapacityCheckController {
  constructor(private readonly checkCapacity: CheckCapacity) {}

  @Post(regionPaths('/capacity_check'))
  @HttpCode(200)
  check(
    @Region() region: RegionRef,
    @Body() demand: CapacityCheckRequest,
    @Res({ passthrough: true }) response: Response,
    @Headers('project') project?: string,
  ): Promise<CapacityCheckResult> {
    // A client that goes away before its answer stops the check and its remote calls.
    const gone = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) gone.abort(new Error('the client went away'));
    });
    return this.checkCapacity.execute(
      region.vimId,
      { vCPU: demand.vCPU, Memory: demand.Memory, Storage: demand.Storage },
      project?.trim() || undefined,
      gone.signal,
    );
  }
}
