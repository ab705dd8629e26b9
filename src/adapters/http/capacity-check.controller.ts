import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';

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
    @Headers('project') project?: string,
  ): Promise<CapacityCheckResult> {
    return this.checkCapacity.execute(
      region.vimId,
      { vCPU: demand.vCPU, Memory: demand.Memory, Storage: demand.Storage },
      project?.trim() || undefined,
    );
  }
}
