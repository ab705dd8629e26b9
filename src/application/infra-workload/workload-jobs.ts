import { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

import { RegionJobs } from '../jobs/region-jobs';
import { LogPort } from '../ports/log.port';
import { Settings } from '../ports/settings.port';
import { WorkloadJobStorePort } from '../ports/workload-store.port';
import { Heatbridge } from './heatbridge';
import { WorkloadCleanup } from './workload-cleanup';

/** How long running workload jobs get to stop when the service stops. */
const STOP_GRACE_MS = 5_000;

/**
 * The workload jobs of SPEC 13 on the machinery of registration jobs (SPEC 11): kept in
 * the store, claimed one per `{vimid}/{workload-id}` across replicas, swept and resumed
 * when a replica dies. The heatbridge runs as the `register` kind and the cleanup as
 * `unregister`, so a DELETE stops a running heatbridge and runs next, as a
 * de-registration stops a registration.
 */
export class WorkloadJobs extends RegionJobs implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;

  constructor(store: WorkloadJobStorePort, settings: Settings, log: LogPort, heatbridge: Heatbridge, cleanup: WorkloadCleanup) {
    super(store, settings, log, { register: heatbridge, unregister: cleanup });
  }

  onApplicationBootstrap(): void {
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), this.sweepIntervalMs);
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.shutdown(STOP_GRACE_MS);
  }
}
