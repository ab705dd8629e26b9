import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiInternalServerErrorResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { CapacityCheckResult, CheckCapacity } from '../../application/check-capacity';
import { CapacityCheckRequest } from './capacity-check.request';
import { CapacityCheckBody, ErrorBody } from './api-models';
import { ApiProjectHeader, ApiRegion, Region, RegionRef, regionPaths } from './region-ref.decorator';

/** POST capacity_check on v0 and v1; its errors carry `"result": false` (see the filter). */
@ApiTags('capacity_check')
@ApiRegion()
@Controller('api/multicloud-starlingx')
export class CapacityCheckController {
  constructor(private readonly checkCapacity: CheckCapacity) {}

  @Post(regionPaths('/capacity_check'))
  @HttpCode(200)
  @ApiOperation({ summary: 'Whether a demand fits the region, and its audited per-zone capacity' })
  @ApiProjectHeader()
  @ApiOkResponse({ type: CapacityCheckBody })
  @ApiNotFoundResponse({ type: ErrorBody })
  @ApiInternalServerErrorResponse({ type: ErrorBody })
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
