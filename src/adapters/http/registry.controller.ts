import { Body, Controller, Delete, Get, Headers, HttpCode, Post } from '@nestjs/common';

import { GetRegistrationStatus } from '../../application/get-registration-status';
import { RegionJobs } from '../../application/jobs/region-jobs';
import { PlanRegistration, RegistrationPlan } from '../../application/plan-registration';
import { SyncRegistrations } from '../../application/registration/sync-registrations';
import { statusBody } from '../../domain/job-status';
import { Region, RegionRef, regionPaths } from './region-ref.decorator';
import { defaultTenantOf } from './request-body';

const PATHS = [...regionPaths('/registry'), ...regionPaths()];

/**
 * POST / GET / DELETE `…/registry` (and the same without `/registry`) on v0 and v1.
 * Their bodies never fail a request: a readable `defaultTenant` scopes the registration
 * when no `Project` header does; anything else is ignored.
 */
@Controller('api/multicloud-starlingx')
export class RegistryController {
  constructor(
    private readonly jobs: RegionJobs,
    private readonly status: GetRegistrationStatus,
    private readonly planner: PlanRegistration,
    private readonly sync: SyncRegistrations,
  ) {}

  @Post(PATHS)
  @HttpCode(202)
  async post(@Region() region: RegionRef, @Body() body: unknown, @Headers('project') project?: string): Promise<void> {
    const vimId = region.vimId.toString();
    const scope = project?.trim() || defaultTenantOf(body);
    await this.jobs.submit({ kind: 'register', vimId, apiVersion: region.apiVersion, project: scope });
    await this.sync.follow({ vimId, apiVersion: region.apiVersion, project: scope });
  }

  /** SPEC 7's dry run: what a registration would change now; nothing is written. */
  @Get(regionPaths('/registry/plan'))
  plan(@Region() region: RegionRef, @Headers('project') project?: string): Promise<RegistrationPlan> {
    return this.planner.execute(region.vimId, region.apiVersion, project?.trim() || undefined);
  }

  @Get(PATHS)
  async get(@Region() region: RegionRef): Promise<Record<string, unknown>> {
    return statusBody(await this.status.execute(region.vimId));
  }

  @Delete(PATHS)
  @HttpCode(204)
  async delete(@Region() region: RegionRef): Promise<void> {
    const vimId = region.vimId.toString();
    await this.sync.forget(vimId);
    await this.jobs.submit({ kind: 'unregister', vimId, apiVersion: region.apiVersion });
  }
}
