/**
 * Runs `round` when work is due, and sleeps in between: `round` says when work is next
 * due (ms since the epoch; undefined when it cannot tell, then it sleeps `maxSleepMs`),
 * and `wake()` (new work: a registration, a DELETE, an audit's end) brings the next round
 * forward. Rounds never overlap; one runs at most every `minSleepMs`, which lets work that
 * falls due close together go out in one round. Nothing polls while nothing is due.
 */
export class DueTimer {
  private timer?: NodeJS.Timeout;
  private fireAt = Infinity;
  private running = false;
  private again = false;
  private stopped = true;

  constructor(
    private readonly round: () => Promise<number | undefined>,
    private readonly minSleepMs: number,
    private readonly maxSleepMs: number,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(Date.now());
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(Date.now() + this.minSleepMs);
  }

  /** Fires at `at` unless a round is set to fire earlier already. */
  private schedule(at: number): void {
    if (this.stopped || (this.timer && this.fireAt <= at)) return;
    clearTimeout(this.timer);
    this.fireAt = at;
    this.timer = setTimeout(() => void this.fire(), Math.max(0, at - Date.now()));
    this.timer.unref?.();
  }

  private async fire(): Promise<void> {
    this.timer = undefined;
    this.fireAt = Infinity;
    this.running = true;
    this.again = false;
    let nextDue: number | undefined;
    try {
      nextDue = await this.round();
    } catch {
      nextDue = undefined;
    } finally {
      this.running = false;
    }
    const now = Date.now();
    const earliest = now + this.minSleepMs;
    const latest = now + this.maxSleepMs;
    const next = this.again ? earliest : nextDue === undefined ? latest : Math.min(latest, Math.max(earliest, nextDue));
    this.schedule(next);
  }
}
