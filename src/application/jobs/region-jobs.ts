import { randomUUID } from 'node:crypto';

import { JobCode, JobKind, JobOutcome, JobRecord, finishedJob, startedJob } from '../../domain/job-status';
import { runWithSignal } from './call-scope';
import { describeError, isTimeout } from './job-messages';
import { stoppedOutcome } from './job-report';
import { JobRequest, JobStorePort } from '../ports/job-store.port';
import { LogPort } from '../ports/log.port';
import { Settings } from '../ports/settings.port';

/** What a registration or de-registration does: a plain use case the runner calls. */
export interface JobBody {
  run(request: JobRequest): Promise<JobOutcome>;
}

/** The body of each kind of job. */
export type JobBodies = Record<JobKind, JobBody>;

export type Submission = 'started' | 'already-running' | 'queued';

/** A claim lives this long unless renewed; a dead replica's job frees its vimid after it. */
export const CLAIM_TTL_MS = 30_000;
const HEARTBEAT_MS = 2_000;

/**
 * The (de-)registration jobs of cloud regions: submit, claim, queue and dispatch by
 * kind. Jobs run in the background, one per vimid at a time across replicas. A request
 * of the same kind as the running job is absorbed; one of the other kind waits and runs
 * next (the last such request wins), and a de-registration stops a running
 * registration first.
 */
export class RegionJobs {
  private readonly active = new Map<string, { kind: JobKind; controller: AbortController; done: Promise<void> }>();

  constructor(
    private readonly store: JobStorePort,
    private readonly settings: Settings,
    private readonly log: LogPort,
    private readonly bodies: JobBodies,
  ) {}

  async submit(request: JobRequest): Promise<Submission> {
    const runId = randomUUID();
    if (await this.store.claim(request.vimId, runId, CLAIM_TTL_MS)) {
      // A request still pending here was left by a runner that vanished: this one is newer.
      await this.store.takePending(request.vimId);
      await this.begin(request, runId);
      return 'started';
    }
    const [latest, pending] = await Promise.all([
      this.store.latest(request.vimId),
      this.store.peekPending(request.vimId),
    ]);
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

  /** Stops this replica's jobs; their records say why. */
  abortAll(reason: string): void {
    for (const job of this.active.values()) job.controller.abort(new Error(reason));
  }

  private async begin(request: JobRequest, runId: string): Promise<void> {
    const record = startedJob(request.kind, runId, new Date(), request.trigger);
    try {
      await this.store.save(request.vimId, record);
    } catch (error) {
      await this.store.releaseClaim(request.vimId, runId).catch(() => undefined);
      throw error;
    }
    const controller = new AbortController();
    const done = this.runChain(request, record, controller).catch((error: Error) =>
      this.log.error(`job chain of ${request.vimId} broke: ${error.message}`),
    );
    this.active.set(request.vimId, { kind: request.kind, controller, done });
  }

  private async runChain(first: JobRequest, firstRecord: JobRecord, firstController: AbortController): Promise<void> {
    const vimId = first.vimId;
    let request: JobRequest | undefined = first;
    let record = firstRecord;
    let controller = firstController;
    try {
      while (request) {
        const outcome = await this.runOne(request, record, controller);
        const next = await this.store.takePending(vimId);
        if (!next) {
          await this.store.save(vimId, finishedJob(record, outcome, new Date()));
          break;
        }
        // The request that came meanwhile is the latest job now: GET never shows the
        // one it superseded as if it were.
        this.log.info(`${request.kind} job of ${vimId} ended (${outcome.message}); the ${next.kind} asked meanwhile starts now`);
        request = next;
        record = startedJob(next.kind, record.runId, new Date(), next.trigger);
        controller = new AbortController();
        this.active.set(vimId, { ...this.active.get(vimId)!, kind: next.kind, controller });
        await this.store.save(vimId, record);
      }
    } finally {
      this.active.delete(vimId);
      await this.store.releaseClaim(vimId, record.runId);
    }
    // A request queued between the last look and the release above.
    await this.startPending(vimId);
  }

  /** Starts the pending request of a vimid if no job runs for it. */
  private async startPending(vimId: string): Promise<void> {
    if (!(await this.store.peekPending(vimId))) return;
    const runId = randomUUID();
    if (!(await this.store.claim(vimId, runId, CLAIM_TTL_MS))) return;
    const pending = await this.store.takePending(vimId);
    if (pending) await this.begin(pending, runId);
    else await this.store.releaseClaim(vimId, runId);
  }

  private async runOne(request: JobRequest, record: JobRecord, controller: AbortController): Promise<JobOutcome> {
    const body = this.bodies[request.kind];
    const deadline = AbortSignal.timeout(this.settings.jobTimeoutMs);
    const signal = AbortSignal.any([controller.signal, deadline]);
    const heartbeat = setInterval(() => void this.beat(request, record, controller), HEARTBEAT_MS);
    try {
      // The deadline holds even for a step that does not watch the signal.
      return await Promise.race([runWithSignal(signal, () => body.run(request).then((o) => this.logged(o))), rejectOnAbort(signal)]);
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

  /** Keeps the claim alive; stops a registration another replica was asked to de-register. */
  private async beat(request: JobRequest, record: JobRecord, controller: AbortController): Promise<void> {
    try {
      if (!(await this.store.renewClaim(request.vimId, record.runId, CLAIM_TTL_MS))) {
        controller.abort(new Error('lost its claim on the region (the store forgot it)'));
        return;
      }
      if (request.kind === 'register') {
        const pending = await this.store.peekPending(request.vimId);
        if (pending?.kind === 'unregister') controller.abort(new Error('stopped by a de-registration request'));
      }
    } catch (error) {
      this.log.warn(`heartbeat of the ${request.kind} job of ${request.vimId} failed: ${(error as Error).message}`);
    }
  }
}

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
