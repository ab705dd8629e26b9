import { Controller, Delete, Get, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { GetRegistrationStatus } from '../../application/get-registration-status';
import { RegisterCloudRegion } from '../../application/register-cloud-region';
import { UnregisterCloudRegion } from '../../application/unregister-cloud-region';
import { statusBody } from '../../domain/job-status';
import { ErrorBody, JobStatusBody } from './api-models';
import { ApiProjectHeader, ApiRegion, Region, RegionRef, regionPaths } from './region-ref.decorator';

const PATHS = [...regionPaths('/registry'), ...regionPaths()];

/** POST / GET / DELETE `…/registry` (and the same without `/registry`) on v0 and v1. */
@ApiTags('registry')
@ApiRegion()
@Controller('api/multicloud-starlingx')
export class RegistryController {
  constructor(
    private readonly register: RegisterCloudRegion,
    private readonly unregister: UnregisterCloudRegion,
    private readonly status: GetRegistrationStatus,
  ) {}

  @Post(PATHS)
  @HttpCode(202)
  @ApiOperation({ summary: 'Register the cloud region: discover its resources into A&AI (background job)' })
  @ApiProjectHeader()
  @ApiAcceptedResponse({ description: 'Registration job accepted' })
  async post(@Region() region: RegionRef, @Headers('project') project?: string): Promise<void> {
    await this.register.execute(region.vimId, region.apiVersion, project?.trim() || undefined);
  }

  @Get(PATHS)
  @ApiOperation({ summary: "Status of the region's latest registration or de-registration job" })
  @ApiOkResponse({ type: JobStatusBody })
  @ApiNotFoundResponse({ type: ErrorBody })
  async get(@Region() region: RegionRef): Promise<Record<string, unknown>> {
    return statusBody(await this.status.execute(region.vimId));
  }

  @Delete(PATHS)
  @HttpCode(204)
  @ApiOperation({ summary: 'De-register the cloud region: remove what registration wrote (background job)' })
  @ApiNoContentResponse({ description: 'De-registration job accepted' })
  async delete(@Region() region: RegionRef): Promise<void> {
    await this.unregister.execute(region.vimId, region.apiVersion);
  }
}
