import { randomUUID } from 'node:crypto';

import { JobCode, JobKind, JobOutcome, JobRecord, finishedJob, startedJob } from '../../domain/job-status';
import { runWithSignal } from './call-scope';
import { fenceMs, heartbeatMs, sweepMs } from './claim-timing';
import { describeError, isTimeout } from './job-messages';
import { stoppedOutcome } from './job-report';
import { JobRequest, JobStorePort } from '../ports/job-store.port';
import { LogPort } from '../ports/log.port';
import { Settings } from '../ports/settings.port';
import { currentContext, runInContext } from './request-context';

/** What a registration or de-registration does: a plain use case the runner calls. */
export interface JobBody {
  run(request: JobRequest): Promise<JobOutcome>;
}

/** The body of each kind of job. */
export type JobBodies = Record<JobKind, JobBody>;

export type Submission = 'started' | 'already-running' | 'queued';

/** An interrupted job is resumed at most this many times, then recorded as failed. */
export const MAX_RESUMES = 3;
/** The final save of a job's record: tries, the first retry after this, doubling up to the cap (~9 s in all). */
const FINAL_SAVE_TRIES = 8;
const FINAL_SAVE_RETRY_MS = 200;
const FINAL_SAVE_RETRY_CAP_MS = 2_000;

/**
 * A job stopped without an outcome of its own (shutdown, claim lost or not renewable):
 * its record stays in progress and a live replica resumes it.
 */
class Interruption extends Error {}

interface ActiveJob {
  kind: JobKind;
  controller: AbortController;
  done: Promise<void>;
  /** When the last claim renewal that succeeded was sent. */
  renewedAt: number;
  renewing: boolean;
}

/**
 * The (de-)registration jobs of cloud regions: submit, claim, queue and dispatch by
 * kind. Jobs run in the background, one per vimid at a time across replicas. A request
 * of the same kind as the running job is absorbed; one of the other kind waits and runs
 * next (the last such request wins), and a de-registration stops a running
 * registration first.
 *
 * No accepted request is lost: every replica's `sweep` starts the queued request of a
 * vimid nobody holds and resumes a job whose replica died or stopped (at most
 * MAX_RESUMES times). Fencing: a job whose claim was not renewed for two thirds of the
 * claim's life stops itself, and a record is written only by the run holding the claim.
 */
export class RegionJobs {
  private readonly active = new Map<string, ActiveJob>();
  private stopping = false;
  private sweeping = false;
  private sweepFailing = false;
  private readonly claimTtlMs: number;
  private readonly endListeners: Array<(request: JobRequest, outcome: JobOutcome) => void> = [];

  constructor(
    private readonly store: JobStorePort,
    private readonly settings: Settings,
    private readonly log: LogPort,
    private readonly bodies: JobBodies,
  ) {
    this.claimTtlMs = settings.jobClaimTtlMs;
  }

  /** How often each replica sweeps for work nobody holds. */
  get sweepIntervalMs(): number {
    return sweepMs(this.claimTtlMs);
  }

  async submit(asked: JobRequest): Promise<Submission> {
    const request = { ...asked, requestId: asked.requestId ?? currentContext()?.requestId };
    const runId = randomUUID();
    if (!this.stopping && (await this.store.claim(request.vimId, runId, this.claimTtlMs))) {
      // A request still pending here was left by a runner that vanished: this one is
      // newer and replaces it, once its job's record is written.
      const left = await this.store.peekPending(request.vimId);
      await this.begin(request, runId, 0, left);
      return 'started';
    }
    const [latest, pending] = await Promise.all([this.store.latest(request.vimId), this.store.peekPending(request.vimId)]);
    if (latest?.state === 'in-progress' && latest.kind === request.kind && !pending) {
      return 'already-running';
    }
    await this.store.setPending(request.vimId, request);
    if (request.kind === 'unregister') {
      this.active.get(request.vimId)?.controller.abort(new Error('stopped by a de-registration request'));
    }
    // The running job may have ended between the claim above and now: then start it here.
    await this.startPending(request.vimId);
    return 'queued';
  }

  /** Resolves when every job this replica runs has ended (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.active.size > 0) {
      await Promise.all([...this.active.values()].map((job) => job.done));
    }
  }

  /** The regions whose jobs run on this replica now (metrics). */
  runningRegions(): string[] {
    return [...this.active.keys()];
  }

  /**
   * SIGTERM: takes nothing new from now on; running jobs get `graceMs` to end, then
   * stop, each leaving its record in progress (interrupted) and its queued request in
   * the store, for another replica's sweep to resume.
   */
  async drain(graceMs: number): Promise<void> {
    this.stopping = true;
    const ended = await Promise.race([this.idle().then(() => true), sleep(graceMs).then(() => false)]);
    if (!ended) await this.shutdown(0);
  }

  /**
   * Takes nothing new from now on and stops this replica's jobs; each leaves its record
   * in progress (interrupted) and its queued request in the store, for another replica.
   */
  async shutdown(graceMs: number): Promise<void> {
    this.stopping = true;
    for (const job of this.active.values()) job.controller.abort(new Interruption('the service instance running it stopped'));
    await Promise.race([this.idle(), sleep(graceMs)]);
  }

  /**
   * Every replica, on an interval: starts the queued request of each vimid no live
   * claim holds, and resumes a job whose runner died or stopped.
   */
  async sweep(): Promise<void> {
    if (this.stopping || this.sweeping) return;
    this.sweeping = true;
    try {
      for (const vimId of await this.store.openVimIds()) {
        if (this.stopping) break;
        if (this.active.has(vimId) || (await this.store.isClaimed(vimId))) continue;
        await this.takeOver(vimId);
      }
      if (this.sweepFailing) this.log.info('the job sweep works again');
      this.sweepFailing = false;
    } catch (error) {
      if (!this.sweepFailing) this.log.warn(`the job sweep failed: ${describeError(error)}`);
      this.sweepFailing = true;
    } finally {
      this.sweeping = false;
    }
  }

  /** The open work of a vimid nobody holds: its queued request, else its interrupted job. */
  private async takeOver(vimId: string): Promise<void> {
    const runId = randomUUID();
    if (!(await this.store.claim(vimId, runId, this.claimTtlMs))) return;
    try {
      const pending = await this.store.peekPending(vimId);
      if (pending) {
        this.log.info(`the ${pending.kind} request of ${vimId} left queued starts now`);
        return await this.begin(pending, runId, 0, pending);
      }
      const record = await this.store.latest(vimId);
      if (record?.state === 'in-progress') return await this.resume(vimId, record, runId);
      await this.store.settle(vimId);
      await this.store.releaseClaim(vimId, runId);
    } catch (error) {
      await this.store.releaseClaim(vimId, runId).catch(() => undefined);
      throw error;
    }
  }

  private async resume(vimId: string, record: JobRecord, runId: string): Promise<void> {
    const resumes = record.resumes ?? 0;
    const reason = record.interruption ?? 'the service instance running it stopped';
    if (resumes >= MAX_RESUMES) {
      const outcome = stoppedOutcome(record.kind, vimId, `interrupted ${resumes + 1} times, the last time: ${reason}`);
      this.log.error(outcome.message);
      await this.store.save(vimId, finishedJob({ ...record, runId }, outcome, new Date()));
      await this.store.settle(vimId);
      await this.store.releaseClaim(vimId, runId);
      return;
    }
    this.log.warn(`the ${record.kind} job of ${vimId} was interrupted (${reason}); resuming it (${resumes + 1} of ${MAX_RESUMES})`);
    const request: JobRequest = {
      kind: record.kind,
      vimId,
      apiVersion: record.apiVersion ?? 'v1',
      project: record.project,
      trigger: record.trigger,
      ...(record.confirmDeletes ? { confirmDeletes: true } : {}),
    };
    await this.begin(request, runId, resumes + 1);
  }

  /**
   * Writes the job's first record and starts it. `queued`, the request this job takes
   * from the queue (or replaces), leaves the store only once that record is written:
   * when the write fails, the queued request stays for the next sweep, and a request
   * already answered is never lost.
   */
  private async begin(request: JobRequest, runId: string, resumes = 0, queued?: JobRequest): Promise<void> {
    const record = startedRecord(request, runId, resumes);
    try {
      await this.store.markOpen(request.vimId);
      if (!(await this.store.save(request.vimId, record))) throw new Error(`the claim on ${request.vimId} was lost before its job started`);
    } catch (error) {
      await this.store.releaseClaim(request.vimId, runId).catch(() => undefined);
      throw error;
    }
    if (queued) {
      // Should this fail, the request stays queued and runs once more after this job: twice, never lost.
      await this.store
        .dropPending(request.vimId, queued)
        .catch((error: Error) => this.log.warn(`the ${queued.kind} request of ${request.vimId} started but stays queued: ${describeError(error)}`));
    }
    const job: ActiveJob = { kind: request.kind, controller: new AbortController(), done: Promise.resolve(), renewedAt: Date.now(), renewing: false };
    this.active.set(request.vimId, job);
    const context = { requestId: request.requestId ?? randomUUID(), vimId: request.vimId, runId };
    job.done = runInContext(context, () => this.runChain(request, record, job)).catch((error: Error) => this.log.error(`job chain of ${request.vimId} broke: ${error.message}`));
  }

  private async runChain(first: JobRequest, firstRecord: JobRecord, job: ActiveJob): Promise<void> {
    const vimId = first.vimId;
    let request: JobRequest | undefined = first;
    let record = firstRecord;
    let fenced = false;
    try {
      while (request) {
        const outcome = await this.runOne(request, record, job);
        const reason = job.controller.signal.reason;
        if (reason instanceof Interruption) {
          // Nothing new is taken: the record stays in progress for a live replica to resume.
          this.log.warn(`${request.kind} job of ${vimId} interrupted: ${reason.message}`);
          fenced = !this.stopping;
          await this.finalSave(vimId, { ...record, interruption: reason.message });
          return;
        }
        // A stopping replica leaves the queued request in the store for another.
        const next = this.stopping ? undefined : await this.store.takePending(vimId);
        if (!next) {
          if (await this.finalSave(vimId, finishedJob(record, outcome, new Date()))) await this.store.settle(vimId);
          this.tellEnded(request, outcome);
          return;
        }
        this.tellEnded(request, outcome);
        // The request that came meanwhile is the latest job now: GET never shows the
        // one it superseded as if it were.
        this.log.info(`${request.kind} job of ${vimId} ended (${outcome.message}); the ${next.kind} asked meanwhile starts now`);
        const nextRecord = startedRecord(next, record.runId, 0);
        if (!(await this.store.save(vimId, nextRecord).catch(() => false))) {
          await this.store.setPending(vimId, next);
          this.log.warn(`the ${next.kind} request of ${vimId} is left queued: the job's record could not be written`);
          return;
        }
        request = next;
        record = nextRecord;
        job.kind = next.kind;
        job.controller = new AbortController();
      }
    } finally {
      this.active.delete(vimId);
      await this.store.releaseClaim(vimId, record.runId).catch(() => undefined);
      // A request queued between the last look and the release above.
      if (!this.stopping && !fenced) await this.startPending(vimId);
    }
  }

  /** `listener` hears of each job that ended with an outcome of its own (not interrupted). */
  whenEnded(listener: (request: JobRequest, outcome: JobOutcome) => void): void {
    this.endListeners.push(listener);
  }

  private tellEnded(request: JobRequest, outcome: JobOutcome): void {
    for (const listener of this.endListeners) listener(request, outcome);
  }

  /** Writes a job's last record, retried (bounded); never over a record of another run. */
  private async finalSave(vimId: string, record: JobRecord): Promise<boolean> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        if (await this.store.save(vimId, record)) return true;
        this.log.warn(`${record.kind} job of ${vimId}: its record was not written, the region's claim is no longer this run's`);
        return false;
      } catch (error) {
        if (attempt >= FINAL_SAVE_TRIES) {
          this.log.error(`${record.kind} job of ${vimId}: its record could not be written: ${describeError(error)}`);
          return false;
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(FINAL_SAVE_RETRY_MS * 2 ** (attempt - 1), FINAL_SAVE_RETRY_CAP_MS)));
      }
    }
  }

  /** Starts the pending request of a vimid if no job runs for it. */
  private async startPending(vimId: string): Promise<void> {
    if (this.stopping || !(await this.store.peekPending(vimId))) return;
    const runId = randomUUID();
    if (!(await this.store.claim(vimId, runId, this.claimTtlMs))) return;
    const pending = await this.store.peekPending(vimId);
    if (pending) await this.begin(pending, runId, 0, pending);
    else await this.store.releaseClaim(vimId, runId);
  }

  private async runOne(request: JobRequest, record: JobRecord, job: ActiveJob): Promise<JobOutcome> {
    const body = this.bodies[request.kind];
    const deadline = AbortSignal.timeout(this.settings.jobTimeoutMs);
    const signal = AbortSignal.any([job.controller.signal, deadline]);
    const heartbeat = setInterval(() => void this.beat(request, record, job), heartbeatMs(this.claimTtlMs));
    try {
      // The deadline holds even for a step that does not watch the signal.
      const context = { requestId: request.requestId ?? randomUUID(), vimId: request.vimId, runId: record.runId };
      return await runInContext(context, () => Promise.race([runWithSignal(signal, () => body.run(request).then((o) => this.logged(o))), rejectOnAbort(signal)]));
    } catch (error) {
      const reason = isTimeout(error) ? `timed out after ${this.settings.jobTimeoutMs} ms` : describeError(error);
      return stoppedOutcome(request.kind, request.vimId, reason);
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** A body's outcome goes to the log when it ends, even after its job was stopped. */
  private logged(outcome: JobOutcome): JobOutcome {
    if (outcome.code === JobCode.SUCCESS) this.log.info(outcome.message);
    else this.log.error(outcome.message);
    return outcome;
  }

  /**
   * Keeps the claim alive, and fences the job: it stops once its last successful
   * renewal is older than the fence, before the claim can expire and another replica
   * take the vimid. Also stops a registration another replica was asked to de-register.
   */
  private async beat(request: JobRequest, record: JobRecord, job: ActiveJob): Promise<void> {
    const age = Date.now() - job.renewedAt;
    if (age > fenceMs(this.claimTtlMs)) {
      job.controller.abort(new Interruption(`its claim on the region could not be renewed for ${age} ms (the store is unreachable)`));
      return;
    }
    if (job.renewing) return;
    job.renewing = true;
    const sent = Date.now();
    try {
      if (!(await this.store.renewClaim(request.vimId, record.runId, this.claimTtlMs))) {
        job.controller.abort(new Interruption('it lost its claim on the region (the store forgot it)'));
        return;
      }
      job.renewedAt = sent;
      if (request.kind === 'register') {
        const pending = await this.store.peekPending(request.vimId);
        if (pending?.kind === 'unregister') job.controller.abort(new Error('stopped by a de-registration request'));
      }
    } catch (error) {
      this.log.warn(`heartbeat of the ${request.kind} job of ${request.vimId} failed: ${(error as Error).message}`);
    } finally {
      job.renewing = false;
    }
  }
}

function startedRecord(request: JobRequest, runId: string, resumes: number): JobRecord {
  const record: JobRecord = { ...startedJob(request.kind, runId, new Date(), request.trigger), apiVersion: request.apiVersion };
  if (request.project !== undefined) record.project = request.project;
  if (request.confirmDeletes) record.confirmDeletes = true;
  if (resumes) record.resumes = resumes;
  return record;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
