import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

import { AuditAzCapacity } from '../../application/audit-az-capacity';
import { Shutdown } from '../observability/shutdown';
import { DueTimer } from './due-timer';

/** Rounds run at most this often: audits due close together start in one round. */
export const AUDIT_MIN_SLEEP_MS = 25;
/** With nothing due sooner, a look at the shared schedule this often (regions other replicas added, or left). */
export const AUDIT_MAX_SLEEP_MS = 5_000;

/**
 * Sleeps until the earliest region is due (each region's own interval: 5 s v1, 10 s v0,
 * or AZCAP_AUDIT_INTERVAL_MS), or until an audit ends and frees a slot, or a region
 * joins; then AuditAzCapacity.dispatchDue starts what is due, earliest due first.
 */
@Injectable()
export class AzCapacityAuditScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly timer = new DueTimer(() => this.round(), AUDIT_MIN_SLEEP_MS, AUDIT_MAX_SLEEP_MS);

  constructor(
    private readonly audit: AuditAzCapacity,
    private readonly shutdown: Shutdown,
  ) {}

  onApplicationBootstrap(): void {
    this.audit.onWork(() => this.timer.wake());
    this.timer.start();
  }

  onModuleDestroy(): void {
    this.timer.stop();
  }

  /** A draining replica starts no new audit; the region stays due, for another replica. */
  private async round(): Promise<number | undefined> {
    if (this.shutdown.draining) return undefined;
    await this.audit.dispatchDue();
    return this.audit.nextLookAt();
  }
}
