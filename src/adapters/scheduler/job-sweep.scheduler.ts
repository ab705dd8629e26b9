import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

import { RegionJobs } from '../../application/jobs/region-jobs';

/**
 * Every replica sweeps for job work nobody holds (RegionJobs.sweep): at start, then
 * every sixth of the claim's life (JOB_CLAIM_TTL_MS).
 */
@Injectable()
export class JobSweepScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;

  constructor(private readonly jobs: RegionJobs) {}

  onApplicationBootstrap(): void {
    void this.jobs.sweep();
    this.timer = setInterval(() => void this.jobs.sweep(), this.jobs.sweepIntervalMs);
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }
}
