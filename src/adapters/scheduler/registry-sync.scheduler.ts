import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';

import { SyncRegistrations } from '../../application/registration/sync-registrations';
import { Shutdown } from '../observability/shutdown';

/** A short fixed tick; REGISTRY_SYNC_INTERVAL_MS per region is applied by SyncRegistrations.runDue. */
export const SYNC_TICK_MS = 200;

@Injectable()
export class RegistrySyncScheduler {
  constructor(
    private readonly sync: SyncRegistrations,
    private readonly shutdown: Shutdown,
  ) {}

  /** A draining replica submits no sync; another replica's lease takes the region. */
  @Interval('registry-sync', SYNC_TICK_MS)
  tick(): void {
    if (!this.shutdown.draining) void this.sync.runDue();
  }
}
