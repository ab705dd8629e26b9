/**
 * The audit's fair schedule (SPEC 5): each audited region has a due time; a replica with
 * free slots takes the regions that are due, earliest due first (ties by id, as a Redis
 * sorted set orders them), and moves each one's due time an interval past the moment it
 * took it (nextDueAt). When throughput is short, the most overdue region goes first, so no region is
 * starved and every region is late by about the same amount.
 */
export interface DueRegion {
  vimId: string;
  /** When the region's next audit is due (ms since the epoch). */
  dueAt: number;
}

/** The regions due at `now`, earliest due first, at most `limit`. */
export function pickDue(regions: Iterable<DueRegion>, now: number, limit: number): DueRegion[] {
  if (limit <= 0) return [];
  const due: DueRegion[] = [];
  for (const region of regions) if (region.dueAt <= now) due.push(region);
  due.sort(byDueTime);
  return due.slice(0, limit);
}

/**
 * When a region taken at `takenAt` (due at `dueAt`) is due again: one interval after it
 * was due, so a little lateness does not add up and the rate stays one audit per
 * interval; but never sooner than 0.9 of an interval after it was taken (a late audit
 * is not followed by another at once), so a region short of throughput waits its turn.
 */
export function nextDueAt(dueAt: number, takenAt: number, intervalMs: number): number {
  return Math.max(dueAt + intervalMs, takenAt + Math.round(0.9 * intervalMs));
}

/** The earliest due time, or undefined when no region is audited. */
export function earliestDue(regions: Iterable<DueRegion>): number | undefined {
  let earliest: number | undefined;
  for (const { dueAt } of regions) if (earliest === undefined || dueAt < earliest) earliest = dueAt;
  return earliest;
}

/** The schedule's shortfall at `now`: how many regions are overdue and how late the most overdue is. */
export interface AuditShortfall {
  overdue: number;
  maxLagMs: number;
}

export function shortfall(regions: Iterable<DueRegion>, now: number, graceMs = 0): AuditShortfall {
  let overdue = 0;
  let maxLagMs = 0;
  for (const { dueAt } of regions) {
    const lag = now - dueAt;
    if (lag <= graceMs) continue;
    overdue += 1;
    maxLagMs = Math.max(maxLagMs, lag);
  }
  return { overdue, maxLagMs };
}

function byDueTime(a: DueRegion, b: DueRegion): number {
  return a.dueAt - b.dueAt || (a.vimId < b.vimId ? -1 : a.vimId > b.vimId ? 1 : 0);
}
