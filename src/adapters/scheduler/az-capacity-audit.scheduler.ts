import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';

import { AuditAzCapacity } from '../../application/audit-az-capacity';
import { Shutdown } from '../observability/shutdown';

/**
 * A short fixed tick; each region's own interval (5 s v1, 10 s v0, or
 * AZCAP_AUDIT_INTERVAL_MS) is applied by AuditAzCapacity.runDue, which also keeps a
 * region's audits from overlapping (setInterval does not wait for the previous run).
 */
export const AUDIT_TICK_MS = 200;

@Injectable()
export class AzCapacityAuditScheduler {
  constructor(
    private readonly audit: AuditAzCapacity,
    private readonly shutdown: Shutdown,
  ) {}

  /** A draining replica starts no new audit; another replica's lease takes the region. */
  @Interval('azcap-audit', AUDIT_TICK_MS)
  tick(): void {
    if (!this.shutdown.draining) void this.audit.runDue();
  }
}
