import { Injectable } from '@nestjs/common';

import { currentSignal } from './call-scope';
import { Limiter } from './limiter';
import { Settings } from '../ports/settings.port';

export interface ItemFailure<T> {
  item: T;
  error: unknown;
}

/** A step of a job that failed, wholly or for some of its objects. */
export interface StepFailure {
  step: string;
  error: unknown;
  /** How many objects of the step failed, when the step itself ran. */
  failed?: number;
  /** How many it had. */
  of?: number;
}

/**
 * The objects all jobs of this replica work on at once (JOB_TASK_CONCURRENCY), shared:
 * two hundred registrations at once hold no more requests in memory than one. Likewise
 * the regions they register at once (JOB_REGION_CONCURRENCY): a distributed cloud's
 * thousand subclouds are planned a few dozen at a time, not all together.
 */
@Injectable()
export class TaskBudget {
  private readonly limiter: Limiter;
  private readonly regions: Limiter;

  constructor(settings: Settings) {
    this.limiter = new Limiter(settings.jobTaskConcurrency);
    this.regions = new Limiter(settings.jobRegionConcurrency);
  }

  /**
   * Runs one region's work when a region slot is free; a stopped job's waiting regions
   * leave the queue. Region work must not wait for another region's slot.
   */
  forRegion<T>(work: () => Promise<T>): Promise<T> {
    return this.regions.run(work, currentSignal());
  }

  get size(): number {
    return this.limiter.max;
  }

  /**
   * Runs `work` over `items` within the budget and returns the failures instead of
   * stopping at the first one. A stopped job's waiting items leave the queue.
   */
  async forEachSettled<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<Array<ItemFailure<T>>> {
    const failures: Array<ItemFailure<T>> = [];
    const signal = currentSignal();
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const item = items[next];
        next += 1;
        try {
          await this.limiter.run(() => work(item), signal);
        } catch (error) {
          failures.push({ item, error });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(this.size, items.length)) }, worker));
    return failures;
  }

  /** One step of a job: `work` over every item; the first failure stands for the step. */
  async runStep<T>(step: string, items: readonly T[], work: (item: T) => Promise<void>): Promise<StepFailure | undefined> {
    const failures = await this.forEachSettled(items, work);
    return failures.length ? { step, error: failures[0].error, failed: failures.length, of: items.length } : undefined;
  }
}
