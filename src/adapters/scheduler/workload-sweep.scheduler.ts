import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

import { WorkloadJobs } from '../../application/infra-workload/workload-jobs';

/** How long running workload jobs get to stop when the service stops. */
const STOP_GRACE_MS = 5_000;

/**
 * The workload jobs' sweep (heatbridge and cleanup left by a replica that died), as
 * JobSweepScheduler does for registrations; on stop, running workload jobs are left in
 * the store, interrupted, for another replica to resume.
 */
@Injectable()
export class WorkloadSweepScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;

  constructor(private readonly jobs: WorkloadJobs) {}

  onApplicationBootstrap(): void {
    void this.jobs.sweep();
    this.timer = setInterval(() => void this.jobs.sweep(), this.jobs.sweepIntervalMs);
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.jobs.shutdown(STOP_GRACE_MS);
  }
}
