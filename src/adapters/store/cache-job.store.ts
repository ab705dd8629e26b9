import { Inject, Injectable } from '@nestjs/common';

import { JobRequest, JobStorePort } from '../../application/ports/job-store.port';
import { Redactor } from '../../application/jobs/redactor';
import { AppConfig, appConfig } from '../../config/app.config';
import { JobRecord } from '../../domain/job-status';
import { countEndedJob } from '../observability/job-metrics';
import { AtomicStore } from './atomic-store';
import { storeKeys } from './store-keys';

/**
 * Job records, claims, queued requests and the list of open vimids, through the atomic
 * store (memory or Redis). A record is plain JSON under `mcstx:job:{vimid}`, written
 * only by the run holding the vimid's claim (a Lua compare-and-set in Redis).
 */
@Injectable()
export class CacheJobStore extends JobStorePort {
  constructor(
    private readonly atomic: AtomicStore,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
    private readonly redactor: Redactor,
  ) {
    super();
  }

  async save(vimId: string, record: JobRecord): Promise<boolean> {
    const { jobClaim, job } = storeKeys;
    // Every status passes here: nothing secret reaches the store or a GET.
    const safe = this.redactor.value(record);
    const saved = await this.atomic.putIfHolder(jobClaim(vimId), record.runId, job(vimId), JSON.stringify(safe), this.config.jobStatusTtlMs);
    if (saved && record.finishedAt) countEndedJob(record);
    return saved;
  }

  async latest(vimId: string): Promise<JobRecord | undefined> {
    this.atomic.assertAvailable();
    const value = await this.atomic.read(storeKeys.job(vimId));
    return value ? (JSON.parse(value) as JobRecord) : undefined;
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

  /** Kept as long as the job it waits for can run, no longer; listed before it is answered. */
  async setPending(vimId: string, request: JobRequest): Promise<void> {
    await this.atomic.put(storeKeys.jobPending(vimId), JSON.stringify(request), this.config.settings.jobTimeoutMs + 60_000);
    await this.markOpen(vimId);
  }

  async peekPending(vimId: string): Promise<JobRequest | undefined> {
    return parse(await this.atomic.read(storeKeys.jobPending(vimId)));
  }

  async takePending(vimId: string): Promise<JobRequest | undefined> {
    return parse(await this.atomic.take(storeKeys.jobPending(vimId)));
  }

  /** A compare-and-delete: the request read back serializes to the stored text (JSON keeps key order). */
  dropPending(vimId: string, request: JobRequest): Promise<void> {
    return this.atomic.deleteIfHolder(storeKeys.jobPending(vimId), JSON.stringify(request));
  }

  markOpen(vimId: string): Promise<void> {
    return this.atomic.hashSet(storeKeys.openJobs, vimId, '1');
  }

  async openVimIds(): Promise<string[]> {
    return Object.keys(await this.atomic.hashGetAll(storeKeys.openJobs));
  }

  settle(vimId: string): Promise<void> {
    return this.atomic.hashDeleteUnless(storeKeys.openJobs, vimId, storeKeys.jobPending(vimId));
  }
}

function parse(value: string | undefined): JobRequest | undefined {
  return value ? (JSON.parse(value) as JobRequest) : undefined;
}
