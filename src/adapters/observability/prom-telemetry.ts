import { Injectable } from '@nestjs/common';

import { AuditOutcome, TelemetryPort } from '../../application/ports/telemetry.port';
import { metrics } from './metrics';

/** The use cases' observations as Prometheus series. */
@Injectable()
export class PromTelemetry extends TelemetryPort {
  auditEnded(vimId: string, outcome: AuditOutcome, lagMs: number): void {
    metrics.audits.inc({ outcome });
    metrics.auditLag.set({ vimid: vimId }, lagMs / 1000);
    if (outcome === 'success') metrics.auditLastSuccess.set({ vimid: vimId }, Date.now() / 1000);
  }

  auditForgotten(vimId: string): void {
    metrics.auditLag.remove({ vimid: vimId });
    metrics.auditLastSuccess.remove({ vimid: vimId });
  }

  auditShortfall(overdue: number, maxLagMs: number): void {
    metrics.auditOverdue.set(overdue);
    metrics.auditScheduleLag.set(maxLagMs / 1000);
  }
}
