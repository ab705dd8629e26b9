import { Injectable } from '@nestjs/common';

import { JobCode } from '../../domain/job-status';
import { RegionJobs } from '../jobs/region-jobs';
import { OutageLog } from '../jobs/outage-log';
import { LogPort } from '../ports/log.port';
import { Settings } from '../ports/settings.port';
import { SyncRegistryPort, SyncedRegion } from '../ports/sync-registry.port';

/**
 * Regions taken off the schedule per round: small, so that replicas waking together
 * take turns (the scheduler comes back at once while more are due) and share the work.
 */
const BATCH = 5;

/**
 * SPEC 12: every region registered through the API is registered again each
 * REGISTRY_SYNC_INTERVAL_MS, as a normal registration job (a reconcile: it writes only
 * what changed) with the scope of its last POST and the trigger `sync`. A POST
 * restarts the region's clock, a DELETE ends its syncing, and so does a registration
 * that finds no such region in A&AI. The synced set and each region's next due time
 * live in the store, so one replica syncs a region each time.
 */
@Injectable()
export class SyncRegistrations {
  private readonly listeners: Array<() => void> = [];
  private dispatching = false;
  private readonly outage: OutageLog;

  constructor(
    private readonly registry: SyncRegistryPort,
    private readonly jobs: RegionJobs,
    private readonly settings: Settings,
    log: LogPort,
  ) {
    this.outage = new OutageLog(log, 'registry sync');
    // A region A&AI does not have is not synced (a POST for any well-formed vimid would be, hourly, forever).
    jobs.whenEnded((request, outcome) => {
      if (request.kind !== 'register' || outcome.code !== JobCode.REGION_NOT_FOUND) return;
      this.forget(request.vimId).catch((error: Error) => log.warn(`${request.vimId} could not be dropped from the registry sync: ${error.message}`));
    });
  }

  private get intervalMs(): number {
    return this.settings.registrySyncIntervalMs;
  }

  /**
   * A POST: the region is synced from now on (recorded even while syncing is off, so a
   * replica started with an interval takes it up), its next sync an interval away.
   */
  async follow(region: SyncedRegion): Promise<void> {
    await this.registry.add(region, Date.now() + Math.max(0, this.intervalMs));
    this.wake();
  }

  /** A DELETE: the region is no longer synced (whatever the interval, so a later one does not revive it). */
  async forget(vimId: string): Promise<void> {
    await this.registry.remove(vimId);
    this.wake();
  }

  /**
   * Submits sync jobs that are due (at most BATCH), earliest due first, taking them off
   * the shared schedule (each one's next sync moves an interval on, so one replica syncs
   * it); returns how many.
   */
  async runDue(now = Date.now()): Promise<number> {
    if (this.intervalMs <= 0 || this.dispatching) return 0;
    this.dispatching = true;
    let submitted = 0;
    try {
      const due = await this.registry.takeDue(now, BATCH, this.intervalMs);
      for (const { vimId, apiVersion, project } of due) {
        await this.jobs.submit({ kind: 'register', vimId, apiVersion, project, trigger: 'sync' });
        submitted++;
      }
      this.outage.worked();
    } catch (error) {
      this.outage.failed(error);
    } finally {
      this.dispatching = false;
    }
    return submitted;
  }

  /** When a sync is next due (every replica's regions); undefined when syncing is off or nothing is synced. */
  async nextLookAt(): Promise<number | undefined> {
    if (this.intervalMs <= 0) return undefined;
    return this.registry.nextDueAt();
  }

  /** Called when the schedule changed here (a POST, a DELETE). */
  onWork(listener: () => void): void {
    this.listeners.push(listener);
  }

  private wake(): void {
    for (const listener of this.listeners) listener();
  }
}
