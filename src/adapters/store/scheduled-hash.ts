import { nextDueAt } from '../../domain/audit-schedule';
import { AtomicStore } from './atomic-store';

/** A region taken off the schedule: its entry and when it was due. */
export interface Taken<T> {
  entry: T;
  dueAt: number;
}

/** Every so often, entries written without a due time (an older version's) are scheduled. */
const ADOPT_EVERY_MS = 60_000;

/**
 * A set of regions kept as a JSON hash in the store, with each region's next due time
 * in a sorted set beside it (SPEC 5, 12): shared by every replica, so replicas take
 * regions off one schedule, earliest due first. Taking a region moves its due time one
 * interval on, atomically, so no two replicas take it in the same interval; a replica
 * that dies leaves its regions due when their interval ends, for another to take.
 */
export class ScheduledHash<T extends { vimId: string }> {
  private adoptedAt = 0;

  constructor(
    private readonly atomic: AtomicStore,
    private readonly hashKey: string,
    private readonly dueKey: string,
  ) {}

  /** Adds or replaces the entry; its next due time is `dueAt`. */
  async add(entry: T, dueAt: number): Promise<void> {
    await this.atomic.hashSet(this.hashKey, entry.vimId, JSON.stringify(entry));
    await this.atomic.sortedSet(this.dueKey, entry.vimId, Math.round(dueAt));
  }

  async remove(vimId: string): Promise<void> {
    await this.atomic.hashDelete(this.hashKey, vimId);
    await this.atomic.sortedRemove(this.dueKey, [vimId]);
  }

  async list(): Promise<T[]> {
    const entries = await this.atomic.hashGetAll(this.hashKey);
    return Object.values(entries).flatMap((value) => parse<T>(value) ?? []);
  }

  has(vimId: string): Promise<boolean> {
    return this.atomic.hashHas(this.hashKey, vimId);
  }

  /**
   * Takes up to `limit` regions due at `now`, earliest due first: each one's due time
   * moves an interval on (nextDueAt) in one atomic step with the check that nobody moved it
   * first. Regions another replica took meanwhile are not returned.
   */
  async takeDue(now: number, limit: number, intervalOf: (entry: T) => number): Promise<Array<Taken<T>>> {
    await this.adoptUnscheduled(now);
    const due = await this.atomic.sortedUpTo(this.dueKey, now, limit);
    if (!due.length) return [];
    const values = await this.atomic.hashGetMany(
      this.hashKey,
      due.map(({ member }) => member),
    );
    const gone: string[] = [];
    const wanted = new Map<string, Taken<T>>();
    const moves: Array<{ member: string; from: number; to: number }> = [];
    due.forEach(({ member, score }, i) => {
      const entry = values[i] === undefined ? undefined : parse<T>(values[i]!);
      if (!entry) return void gone.push(member);
      wanted.set(member, { entry, dueAt: score });
      moves.push({ member, from: score, to: Math.round(nextDueAt(score, now, intervalOf(entry))) });
    });
    // A region removed between its schedule and its entry leaves the schedule too.
    if (gone.length) await this.atomic.sortedRemove(this.dueKey, gone);
    const moved = await this.atomic.sortedMove(this.dueKey, moves);
    return moved.map((member) => wanted.get(member)!);
  }

  /** The earliest due time of all regions (every replica's), or undefined when there is none. */
  async nextDueAt(): Promise<number | undefined> {
    return (await this.atomic.sortedHead(this.dueKey, 0)).first?.score;
  }

  /** How many regions were due before `before`, and when the earliest is due. */
  async overdue(before: number): Promise<{ count: number; earliestDueAt?: number }> {
    const { count, first } = await this.atomic.sortedHead(this.dueKey, before);
    return { count, earliestDueAt: first?.score };
  }

  /** Moves the region's due time to `dueAt`, whoever took it last. */
  async reschedule(vimId: string, dueAt: number): Promise<void> {
    if (await this.has(vimId)) await this.atomic.sortedSet(this.dueKey, vimId, Math.round(dueAt));
  }

  /** Regions in the hash without a due time (kept by a version before the schedule) are due now. */
  private async adoptUnscheduled(now: number): Promise<void> {
    if (now - this.adoptedAt < ADOPT_EVERY_MS) return;
    this.adoptedAt = now;
    const members = Object.keys(await this.atomic.hashGetAll(this.hashKey));
    await this.atomic.sortedAddMissing(this.dueKey, members, now);
  }
}

function parse<T>(value: string): T | undefined {
  try {
    return JSON.parse(value) as T;
  } catch {
    return undefined;
  }
}
