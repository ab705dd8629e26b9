import { DueRegion, earliestDue, nextDueAt, pickDue, shortfall } from './audit-schedule';

/** N regions on one interval, capacity for fewer audits per round than regions: a fake clock. */
function simulate(regionCount: number, capacity: number, rounds: number, intervalMs = 5_000) {
  const schedule: DueRegion[] = Array.from({ length: regionCount }, (_, i) => ({ vimId: `Owner_R${String(i).padStart(3, '0')}`, dueAt: 0 }));
  const audits = new Map<string, number[]>(schedule.map(({ vimId }) => [vimId, []]));
  const lagsByRound: number[][] = [];
  for (let round = 0; round < rounds; round += 1) {
    const now = round * intervalMs;
    const taken = pickDue(schedule, now, capacity);
    lagsByRound.push(taken.map(({ dueAt }) => now - dueAt));
    for (const region of taken) {
      audits.get(region.vimId)!.push(round);
      region.dueAt = nextDueAt(region.dueAt, now, intervalMs);
    }
  }
  return { audits, lagsByRound };
}

describe('the fair audit schedule', () => {
  it('takes the due regions earliest due first, ties by id, at most the free slots', () => {
    const regions = [
      { vimId: 'b', dueAt: 300 },
      { vimId: 'a', dueAt: 300 },
      { vimId: 'c', dueAt: 100 },
      { vimId: 'later', dueAt: 1_001 },
    ];
    expect(pickDue(regions, 1_000, 10).map((r) => r.vimId)).toEqual(['c', 'a', 'b']);
    expect(pickDue(regions, 1_000, 2).map((r) => r.vimId)).toEqual(['c', 'a']);
    expect(pickDue(regions, 1_000, 0)).toEqual([]);
    expect(earliestDue(regions)).toBe(100);
    expect(earliestDue([])).toBeUndefined();
  });

  it.each([
    [10, 3],
    [1_000, 200],
    [1_000, 999],
    [7, 1],
  ])('audits each of %i regions within ceil(N / capacity) rounds with capacity for %i per round', (regionCount, capacity) => {
    const rounds = 5 * Math.ceil(regionCount / capacity);
    const { audits } = simulate(regionCount, capacity, rounds);
    const bound = Math.ceil(regionCount / capacity);
    for (const [vimId, at] of audits) {
      // First audit within the first `bound` rounds, then never more than `bound` rounds apart.
      expect({ vimId, first: at[0] }).toEqual({ vimId, first: expect.any(Number) });
      expect(at[0]).toBeLessThan(bound);
      for (let i = 1; i < at.length; i += 1) expect(at[i] - at[i - 1]).toBeLessThanOrEqual(bound);
      expect(at.length).toBeGreaterThanOrEqual(Math.floor(rounds / bound));
    }
  });

  it('makes every region late by the same amount once throughput is short (no region starved)', () => {
    const { lagsByRound } = simulate(10, 5, 12);
    // Capacity for half the regions: once settled, every region is late by the same amount each round.
    for (const lags of lagsByRound.slice(3)) expect(new Set(lags)).toEqual(new Set([5_500]));
  });

  it('counts the regions overdue beyond a grace, and how late the most overdue is', () => {
    const regions = [
      { vimId: 'a', dueAt: 1_000 },
      { vimId: 'b', dueAt: 9_500 },
      { vimId: 'c', dueAt: 12_000 },
    ];
    expect(shortfall(regions, 10_000, 1_000)).toEqual({ overdue: 1, maxLagMs: 9_000 });
    expect(shortfall(regions, 10_000)).toEqual({ overdue: 2, maxLagMs: 9_000 });
    expect(shortfall(regions, 500)).toEqual({ overdue: 0, maxLagMs: 0 });
  });
});
