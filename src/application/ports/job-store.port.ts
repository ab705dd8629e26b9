import { ApiVersion } from '../../domain/cloud-region';
import { JobKind, JobRecord, JobTrigger } from '../../domain/job-status';

/** A registration or de-registration asked for through the API, or by the periodic sync. */
export interface JobRequest {
  kind: JobKind;
  vimId: string;
  apiVersion: ApiVersion;
  project?: string;
  /** Absent: an API request. */
  trigger?: JobTrigger;
}

/**
 * Job records, and the claim that makes one job per vimid run at a time across
 * replicas. A claim expires unless renewed, so a dead replica's claim frees itself.
 */
export abstract class JobStorePort {
  abstract save(vimId: string, record: JobRecord): Promise<void>;
  abstract latest(vimId: string): Promise<JobRecord | undefined>;

  abstract claim(vimId: string, runId: string, ttlMs: number): Promise<boolean>;
  /** False when the claim is no longer ours. */
  abstract renewClaim(vimId: string, runId: string, ttlMs: number): Promise<boolean>;
  abstract releaseClaim(vimId: string, runId: string): Promise<void>;
  abstract isClaimed(vimId: string): Promise<boolean>;

  /** A request that arrived while another job ran; the last one wins. */
  abstract setPending(vimId: string, request: JobRequest): Promise<void>;
  abstract peekPending(vimId: string): Promise<JobRequest | undefined>;
  abstract takePending(vimId: string): Promise<JobRequest | undefined>;
}
