import { Inject, Injectable } from '@nestjs/common';

import { JobRequest } from '../../application/ports/job-store.port';
import { WorkloadJobStorePort, WorkloadSpec } from '../../application/ports/workload-store.port';
import { Redactor } from '../../application/jobs/redactor';
import { AppConfig, appConfig } from '../../config/app.config';
import { JobRecord } from '../../domain/job-status';
import { AtomicStore } from './atomic-store';

/** Keys of workload jobs: `{vimid}/{workload-id}` each; a list of open work of their own. */
const keys = {
  job: (key: string) => `mcstx:workload_job:${key}`,
  claim: (key: string) => `mcstx:workload_claim:${key}`,
  pending: (key: string) => `mcstx:workload_next:${key}`,
  spec: (key: string) => `mcstx:workload:${key}`,
  open: 'mcstx:workload_open',
};

/**
 * Heatbridge and cleanup jobs through the atomic store (memory or Redis), as
 * CacheJobStore keeps registration jobs: records written only by the claim holder,
 * plain JSON, redacted; their open list apart, so that each sweep resumes only its own.
 */
@Injectable()
export class CacheWorkloadJobStore extends WorkloadJobStorePort {
  constructor(
    private readonly atomic: AtomicStore,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
    private readonly redactor: Redactor,
  ) {
    super();
  }

  save(key: string, record: JobRecord): Promise<boolean> {
    const safe = this.redactor.value(record);
    return this.atomic.putIfHolder(keys.claim(key), record.runId, keys.job(key), JSON.stringify(safe), this.config.jobStatusTtlMs);
  }

  async latest(key: string): Promise<JobRecord | undefined> {
    this.atomic.assertAvailable();
    const value = await this.atomic.read(keys.job(key));
    return value ? (JSON.parse(value) as JobRecord) : undefined;
  }

  claim(key: string, runId: string, ttlMs: number): Promise<boolean> {
    return this.atomic.setIfAbsent(keys.claim(key), runId, ttlMs);
  }

  renewClaim(key: string, runId: string, ttlMs: number): Promise<boolean> {
    return this.atomic.renewIfHolder(keys.claim(key), runId, ttlMs);
  }

  releaseClaim(key: string, runId: string): Promise<void> {
    return this.atomic.deleteIfHolder(keys.claim(key), runId);
  }

  isClaimed(key: string): Promise<boolean> {
    return this.atomic.exists(keys.claim(key));
  }

  async setPending(key: string, request: JobRequest): Promise<void> {
    await this.atomic.put(keys.pending(key), JSON.stringify(request), this.config.settings.jobTimeoutMs + 60_000);
    await this.markOpen(key);
  }

  async peekPending(key: string): Promise<JobRequest | undefined> {
    return parse(await this.atomic.read(keys.pending(key)));
  }

  async takePending(key: string): Promise<JobRequest | undefined> {
    return parse(await this.atomic.take(keys.pending(key)));
  }

  /** A compare-and-delete: the request read back serializes to the stored text (JSON keeps key order). */
  dropPending(key: string, request: JobRequest): Promise<void> {
    return this.atomic.deleteIfHolder(keys.pending(key), JSON.stringify(request));
  }

  markOpen(key: string): Promise<void> {
    return this.atomic.hashSet(keys.open, key, '1');
  }

  async openVimIds(): Promise<string[]> {
    return Object.keys(await this.atomic.hashGetAll(keys.open));
  }

  settle(key: string): Promise<void> {
    return this.atomic.hashDeleteUnless(keys.open, key, keys.pending(key));
  }

  /** Kept as long as the job records; it holds ids only, no secret. */
  saveSpec(key: string, spec: WorkloadSpec): Promise<void> {
    return this.atomic.put(keys.spec(key), JSON.stringify(spec), this.config.jobStatusTtlMs);
  }

  async spec(key: string): Promise<WorkloadSpec | undefined> {
    const value = await this.atomic.read(keys.spec(key));
    return value ? (JSON.parse(value) as WorkloadSpec) : undefined;
  }
}

function parse(value: string | undefined): JobRequest | undefined {
  return value ? (JSON.parse(value) as JobRequest) : undefined;
}
