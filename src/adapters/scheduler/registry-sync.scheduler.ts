import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

import { SyncRegistrations } from '../../application/registration/sync-registrations';
import { Shutdown } from '../observability/shutdown';
import { DueTimer } from './due-timer';

/** With nothing due sooner, a look at the shared schedule this often (regions other replicas added). */
export const SYNC_MAX_SLEEP_MS = 5_000;
/**
 * Each round wakes up to this much after the due time (or after now, when more are due),
 * at random: replicas that would all wake at the same moment take turns at random
 * instead of the quicker one winning every time.
 */
export const SYNC_JITTER_MS = 100;

/** Sleeps until the earliest region's sync is due (REGISTRY_SYNC_INTERVAL_MS), or a POST or DELETE changes the schedule. */
@Injectable()
export class RegistrySyncScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly timer = new DueTimer(() => this.round(), 50, SYNC_MAX_SLEEP_MS);

  constructor(
    private readonly sync: SyncRegistrations,
    private readonly shutdown: Shutdown,
  ) {}

  onApplicationBootstrap(): void {
    this.sync.onWork(() => this.timer.wake());
    this.timer.start();
  }

  onModuleDestroy(): void {
    this.timer.stop();
  }

  /** A draining replica submits no sync; the region stays due, for another replica. */
  private async round(): Promise<number | undefined> {
    if (this.shutdown.draining) return undefined;
    await this.sync.runDue();
    const next = await this.sync.nextLookAt();
    // Also when more are due already: the next round of each replica comes at a random moment.
    return next === undefined ? undefined : Math.max(next, Date.now()) + Math.random() * SYNC_JITTER_MS;
  }
}
