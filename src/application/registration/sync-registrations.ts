import { Injectable } from '@nestjs/common';

import { JobCode } from '../../domain/job-status';
import { RegionJobs } from '../jobs/region-jobs';
import { OutageLog } from '../jobs/outage-log';
import { LogPort } from '../ports/log.port';
import { Settings } from '../ports/settings.port';
import { SyncRegistryPort, SyncedRegion } from '../ports/sync-registry.port';

/**
 * SPEC 12: every region registered through the API is registered again each
 * REGISTRY_SYNC_INTERVAL_MS, as a normal registration job (a reconcile: it writes only
 * what changed) with the scope of its last POST and the trigger `sync`. A POST
 * restarts the region's clock, a DELETE ends its syncing, and so does a registration
 * that finds no such region in A&AI. The synced set and a lease
 * per region per interval live in the store, so one replica syncs a region each time.
 */
@Injectable()
export class SyncRegistrations {
  /** When this replica looks at a region again (from the lease it lost, or took). */
  private readonly notBefore = new Map<string, number>();
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
    await this.registry.add(region);
    if (this.intervalMs <= 0) return;
    await this.registry.restartLease(region.vimId, this.intervalMs);
    this.notBefore.set(region.vimId, Date.now() + this.intervalMs);
  }

  /** A DELETE: the region is no longer synced (whatever the interval, so a later one does not revive it). */
  async forget(vimId: string): Promise<void> {
    await this.registry.remove(vimId);
    this.notBefore.delete(vimId);
  }

  /** Submits the sync jobs that are due and whose lease this replica wins; returns how many. */
  async runDue(now = Date.now()): Promise<number> {
    if (this.intervalMs <= 0 || this.dispatching) return 0;
    this.dispatching = true;
    let submitted = 0;
    try {
      const regions = await this.registry.list();
      const listed = new Set(regions.map((region) => region.vimId));
      for (const vimId of this.notBefore.keys()) if (!listed.has(vimId)) this.notBefore.delete(vimId);
      for (const region of regions) {
        if ((this.notBefore.get(region.vimId) ?? 0) > now) continue;
        const lease = await this.registry.tryLease(region.vimId, this.intervalMs);
        if (!lease.won) {
          this.notBefore.set(region.vimId, now + lease.retryInMs);
          continue;
        }
        this.notBefore.set(region.vimId, now + this.intervalMs);
        const { vimId, apiVersion, project } = region;
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
}
