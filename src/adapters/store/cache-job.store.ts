import { CACHE_MANAGER, Cache } from '@nestjs/cache-manager';
import { Inject, Injectable } from '@nestjs/common';

import { JobRequest, JobStorePort } from '../../application/ports/job-store.port';
import { AppConfig, appConfig } from '../../config/app.config';
import { JobRecord } from '../../domain/job-status';
import { countEndedJob } from '../observability/job-metrics';
import { AtomicStore } from './atomic-store';
import { storeKeys } from './store-keys';

/** Job records through cache-manager (memory or Redis); claims and pending requests atomically. */
@Injectable()
export class CacheJobStore extends JobStorePort {
  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    private readonly atomic: AtomicStore,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
  ) {
    super();
  }

  async save(vimId: string, record: JobRecord): Promise<void> {
    await this.cache.set(storeKeys.job(vimId), record, this.config.jobStatusTtlMs);
    if (record.finishedAt) countEndedJob(record);
  }

  async latest(vimId: string): Promise<JobRecord | undefined> {
    this.atomic.assertAvailable();
    return (await this.cache.get<JobRecord>(storeKeys.job(vimId))) ?? undefined;
  }

  claim(vimId: string, runId: string, ttlMs: number): Promise<boolean> {
    return this.atomic.setIfAbsent(storeKeys.jobClaim(vimId), runId, ttlMs);
  }

  renewClaim(vimId: string, runId: string, ttlMs: number): Promise<boolean> {
    return this.atomic.renewIfHolder(storeKeys.jobClaim(vimId), runId, ttlMs);
  }

  releaseClaim(vimId: string, runId: string): Promise<void> {
    return this.atomic.deleteIfHolder(storeKeys.jobClaim(vimId), runId);
  }

  isClaimed(vimId: string): Promise<boolean> {
    return this.atomic.exists(storeKeys.jobClaim(vimId));
  }

  /** Kept as long as the job it waits for can run, no longer. */
  async setPending(vimId: string, request: JobRequest): Promise<void> {
    await this.atomic.put(storeKeys.jobPending(vimId), JSON.stringify(request), this.config.settings.jobTimeoutMs + 60_000);
  }

  async peekPending(vimId: string): Promise<JobRequest | undefined> {
    return parse(await this.atomic.read(storeKeys.jobPending(vimId)));
  }

  async takePending(vimId: string): Promise<JobRequest | undefined> {
    return parse(await this.atomic.take(storeKeys.jobPending(vimId)));
  }
}

function parse(value: string | undefined): JobRequest | undefined {
  return value ? (JSON.parse(value) as JobRequest) : undefined;
}
