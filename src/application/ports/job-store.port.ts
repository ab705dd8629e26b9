import { ApiVersion } from '../../domain/cloud-region';
import { JobKind, JobRecord, JobTrigger } from '../../domain/job-status';

/** A registration or de-registration asked for through the API, or by the periodic sync. */
export interface JobRequest {
  kind: JobKind;
  vimId: string;
  apiVersion: ApiVersion;
  project?: string;
  /** SPEC 7: apply the mass deletes the plan would hold (`POST …/registry?confirmDeletes=true`), this job only. */
  confirmDeletes?: boolean;
  /** The request id of the API call that asked for it (carried by its log lines and remote calls). */
  requestId?: string;
  /** Absent: an API request. */
  trigger?: JobTrigger;
}

/**
 * Job records, and the claim that makes one job per vimid run at a time across
 * replicas. A claim expires unless renewed, so a dead replica's claim frees itself.
 * The vimids with open work (a queued request or a job not ended) are listed, so
 * that any replica can find work a dead one left.
 */
export abstract class JobStorePort {
  /**
   * Writes the record only while `record.runId` holds the vimid's claim (one atomic
   * compare-and-set in the store); false when it does not, and nothing is written.
   */
  abstract save(vimId: string, record: JobRecord): Promise<boolean>;
  abstract latest(vimId: string): Promise<JobRecord | undefined>;

  abstract claim(vimId: string, runId: string, ttlMs: number): Promise<boolean>;
  /** False when the claim is no longer ours. */
  abstract renewClaim(vimId: string, runId: string, ttlMs: number): Promise<boolean>;
  abstract releaseClaim(vimId: string, runId: string): Promise<void>;
  abstract isClaimed(vimId: string): Promise<boolean>;

  /** A request that arrived while another job ran; the last one wins. Lists the vimid as open. */
  abstract setPending(vimId: string, request: JobRequest): Promise<void>;
  abstract peekPending(vimId: string): Promise<JobRequest | undefined>;
  abstract takePending(vimId: string): Promise<JobRequest | undefined>;
  /** Removes the queued request if it is still `request` (one queued since stays). */
  abstract dropPending(vimId: string, request: JobRequest): Promise<void>;

  /** Lists a vimid as having open work (before its in-progress record is written). */
  abstract markOpen(vimId: string): Promise<void>;
  /** The vimids listed as having open work. */
  abstract openVimIds(): Promise<string[]>;
  /**
   * Unlists a vimid whose job has ended, atomically unless a request is queued for it
   * (then it stays listed). Called by the claim holder only.
   */
  abstract settle(vimId: string): Promise<void>;
}
