import { Controller, Get, Header } from '@nestjs/common';

import { RegionJobs } from '../../application/jobs/region-jobs';
import { JobStorePort } from '../../application/ports/job-store.port';
import { StoreConnection } from '../store/store-connection';
import { metrics, metricsRegistry } from './metrics';

/** GET /metrics: Prometheus text format; the gauges of current state are read at scrape time. */
@Controller()
export class MetricsController {
  constructor(
    private readonly jobs: RegionJobs,
    private readonly jobStore: JobStorePort,
    private readonly store: StoreConnection,
  ) {}

  @Get('metrics')
  @Header('Content-Type', metricsRegistry.contentType)
  async scrape(): Promise<string> {
    const up = await this.store.reachable();
    metrics.storeUp.set(up ? 1 : 0);
    const running = this.jobs.runningRegions();
    metrics.jobsRunning.set(running.length);
    if (up) {
      const pending = await Promise.all(running.map((vimId) => this.jobStore.peekPending(vimId).catch(() => undefined)));
      metrics.jobsQueued.set(pending.filter(Boolean).length);
    }
    return metricsRegistry.metrics();
  }
}
