import { Body, Controller, Delete, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';

import { GetRegistrationStatus } from '../../application/get-registration-status';
import { RegionJobs } from '../../application/jobs/region-jobs';
import { PlanRegistration, RegistrationPlan } from '../../application/plan-registration';
import { SyncRegistrations } from '../../application/registration/sync-registrations';
import { statusBody } from '../../domain/job-status';
import { ApiErrors, JobStatusModel, RegistrationPlanModel, RegistryBodyModel } from './api-models';
import { API_PREFIX, ApiProjectHeader, ApiRegion, Region, RegionRef, regionPaths } from './region-ref.decorator';
import { defaultTenantOf } from './request-body';

const PATHS = [...regionPaths('/registry'), ...regionPaths()];

/**
 * POST / GET / DELETE `…/registry` (and the same without `/registry`) on v0 and v1.
 * Their bodies never fail a request: a readable `defaultTenant` scopes the registration
 * when no `Project` header does; anything else is ignored.
 */
@ApiTags('registry')
@ApiRegion()
@Controller(API_PREFIX)
export class RegistryController {
  constructor(
    private readonly jobs: RegionJobs,
    private readonly status: GetRegistrationStatus,
    private readonly planner: PlanRegistration,
    private readonly sync: SyncRegistrations,
  ) {}

  @Post(PATHS)
  @HttpCode(202)
  @ApiOperation({ summary: 'Register the cloud region: discover its resources into A&AI (background job)' })
  @ApiProjectHeader()
  @ApiBody({ type: RegistryBodyModel, required: false })
  @ApiQuery({
    name: 'confirmDeletes',
    required: false,
    type: Boolean,
    description:
      'true: this job applies the deletes held by RECONCILE_MAX_DELETE_PERCENT (more than that share of one kind in one region, ' +
      'where A&AI holds at least 10 of it); the job status lists held deletes under "held" otherwise',
  })
  @ApiAcceptedResponse({ description: 'Registration job accepted; the status is at GET' })
  @ApiErrors(400, 503)
  async post(@Region() region: RegionRef, @Body() body: unknown, @Headers('project') project?: string, @Query('confirmDeletes') confirmDeletes?: unknown): Promise<void> {
    const vimId = region.vimId.toString();
    const scope = project?.trim() || defaultTenantOf(body);
    const confirm = confirmDeletes === 'true' || confirmDeletes === '';
    await this.jobs.submit({ kind: 'register', vimId, apiVersion: region.apiVersion, project: scope, ...(confirm ? { confirmDeletes: true } : {}) });
    await this.sync.follow({ vimId, apiVersion: region.apiVersion, project: scope });
  }

  /** SPEC 7's dry run: what a registration would change now; nothing is written. */
  @Get(regionPaths('/registry/plan'))
  @ApiOperation({ summary: 'What a registration would change now (dry run); nothing is written' })
  @ApiProjectHeader()
  @ApiOkResponse({ type: RegistrationPlanModel })
  @ApiErrors(400, 404, 500, 502, 503, 504)
  plan(@Region() region: RegionRef, @Res({ passthrough: true }) response: Response, @Headers('project') project?: string): Promise<RegistrationPlan> {
    // A client that goes away before its answer no longer waits for the plan (stopped once nobody does).
    const gone = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) gone.abort(new Error('the client went away'));
    });
    return this.planner.execute(region.vimId, region.apiVersion, project?.trim() || undefined, gone.signal);
  }

  @Get(PATHS)
  @ApiOperation({ summary: "Status of the region's latest registration or de-registration job" })
  @ApiOkResponse({ type: JobStatusModel })
  @ApiErrors(400, 404, 503)
  async get(@Region() region: RegionRef): Promise<Record<string, unknown>> {
    return statusBody(await this.status.execute(region.vimId));
  }

  @Delete(PATHS)
  @HttpCode(204)
  @ApiOperation({ summary: 'De-register the cloud region: remove what registration wrote (background job)' })
  @ApiNoContentResponse({ description: 'De-registration job accepted; the status is at GET' })
  @ApiErrors(400, 503)
  async delete(@Region() region: RegionRef): Promise<void> {
    const vimId = region.vimId.toString();
    await this.sync.forget(vimId);
    await this.jobs.submit({ kind: 'unregister', vimId, apiVersion: region.apiVersion });
  }
}
