import { ApiVersion } from './cloud-region';

export type JobKind = 'register' | 'unregister';
export type JobState = 'in-progress' | 'succeeded' | 'failed';
/** What started a job: an API request, or the periodic sync of SPEC 12. */
export type JobTrigger = 'request' | 'sync';

/** The codes the Python plugin's clients read: 1 running, 0 success, 10 region not in A&AI, 11 other. */
export const JobCode = {
  RUNNING: 1,
  SUCCESS: 0,
  REGION_NOT_FOUND: 10,
  FAILURE: 11,
} as const;

/** The latest registration or de-registration job of a cloud region. */
export interface JobRecord {
  kind: JobKind;
  /** Absent in records written before triggers existed: a request. */
  trigger?: JobTrigger;
  state: JobState;
  code: number;
  message: string;
  runId: string;
  startedAt: string;
  finishedAt?: string;
  /** Per-step counts and warnings, for operators. */
  details?: Record<string, unknown>;
  /** What a replica needs to resume the job (never shown in the status body). */
  apiVersion?: ApiVersion;
  project?: string;
  /** SPEC 7: this job applies the deletes a mass-delete rule would hold (`?confirmDeletes=true`). */
  confirmDeletes?: boolean;
  /** How many times the job was resumed after an interruption, and why it last was. */
  resumes?: number;
  interruption?: string;
}

export function runningMessage(kind: JobKind): string {
  return kind === 'register' ? 'The registration is on progress' : 'The de-registration is in progress';
}

export function startedJob(kind: JobKind, runId: string, now: Date, trigger: JobTrigger = 'request'): JobRecord {
  return {
    kind,
    trigger,
    state: 'in-progress',
    code: JobCode.RUNNING,
    message: runningMessage(kind),
    runId,
    startedAt: now.toISOString(),
  };
}

export interface JobOutcome {
  code: number;
  message: string;
  details?: Record<string, unknown>;
}

export function finishedJob(started: JobRecord, outcome: JobOutcome, now: Date): JobRecord {
  return {
    ...started,
    state: outcome.code === JobCode.SUCCESS ? 'succeeded' : 'failed',
    code: outcome.code,
    message: outcome.message,
    finishedAt: now.toISOString(),
    details: outcome.details,
  };
}

/**
 * The GET registry body, compatible with the Python plugin: while running,
 * `status` is `[1, message]`; once ended, the final message alone.
 */
export function statusBody(record: JobRecord): Record<string, unknown> {
  const body: Record<string, unknown> = {
    status: record.state === 'in-progress' ? [JobCode.RUNNING, record.message] : record.message,
    code: record.code,
    state: record.state,
    kind: record.kind,
    trigger: record.trigger ?? 'request',
    startedAt: record.startedAt,
  };
  if (record.finishedAt) body.finishedAt = record.finishedAt;
  if (record.details) Object.assign(body, record.details);
  return body;
}
