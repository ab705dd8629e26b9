export type AuditOutcome = 'success' | 'failure';

/** What the use cases report for the service's metrics (SPEC section 10). */
export abstract class TelemetryPort {
  /** An audit of `vimId` ended; it started `lagMs` after it was due. */
  abstract auditEnded(vimId: string, outcome: AuditOutcome, lagMs: number): void;
  /** A region left the audit: its per-region series go. */
  abstract auditForgotten(vimId: string): void;
  /** The audit schedule's shortfall: regions overdue, and how late the most overdue one is. */
  abstract auditShortfall(overdue: number, maxLagMs: number): void;
}

/** For use cases built without metrics (unit tests). */
export const NO_TELEMETRY: TelemetryPort = { auditEnded: () => undefined, auditForgotten: () => undefined, auditShortfall: () => undefined };
