import { RedisClientType } from 'redis';

import { StoreUnavailableError } from '../../application/ports/store-unavailable.error';
import { pickDue } from '../../domain/audit-schedule';

/**
 * The atomic operations cache-manager lacks: set-if-absent with expiry (leases,
 * claims), renew/delete only by the holder, a hash of audited regions, take-once values.
 */
export abstract class AtomicStore {
  /**
   * Throws when the store cannot be reached. cache-manager reads answer "nothing" on a
   * store error, which must not be taken for "no such job".
   */
  abstract assertAvailable(): void;
  abstract setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  abstract renewIfHolder(key: string, value: string, ttlMs: number): Promise<boolean>;
  abstract deleteIfHolder(key: string, value: string): Promise<void>;
  abstract exists(key: string): Promise<boolean>;
  /** Remaining life of a key in ms; 0 when it does not exist. */
  abstract remainingMs(key: string): Promise<number>;
  abstract put(key: string, value: string, ttlMs: number): Promise<void>;
  abstract read(key: string): Promise<string | undefined>;
  abstract take(key: string): Promise<string | undefined>;
  abstract hashSet(key: string, field: string, value: string): Promise<void>;
  abstract hashDelete(key: string, field: string): Promise<void>;
  abstract hashHas(key: string, field: string): Promise<boolean>;
  abstract hashGetAll(key: string): Promise<Record<string, string>>;
  abstract hashIncrement(key: string, field: string): Promise<number>;
  /** Sets `key` only while `claimKey` holds `holder`, in one atomic step; false when it does not. */
  abstract putIfHolder(claimKey: string, holder: string, key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Deletes a hash field unless `guardKey` exists, in one atomic step. */
  abstract hashDeleteUnless(key: string, field: string, guardKey: string): Promise<void>;
  /**
   * Only while hash `hashKey` has `field`, in one atomic step: sets every entry (with
   * expiry) and deletes `removeKeys`. False when the field is absent, and nothing changes.
   */
  abstract putAllIfMember(hashKey: string, field: string, entries: Array<[string, string]>, ttlMs: number, removeKeys: string[]): Promise<boolean>;
  abstract deleteKeys(keys: string[]): Promise<void>;
  /** Values of some fields of a hash (undefined where absent). */
  abstract hashGetMany(key: string, fields: string[]): Promise<Array<string | undefined>>;
  /** Sorted set: sets a member's score. */
  abstract sortedSet(key: string, member: string, score: number): Promise<void>;
  /** Sorted set: adds the members not in it yet, at `score` (the others keep theirs). */
  abstract sortedAddMissing(key: string, members: string[], score: number): Promise<void>;
  abstract sortedRemove(key: string, members: string[]): Promise<void>;
  /** Sorted set: the members scored at most `maxScore`, lowest first (ties by member), at most `limit`. */
  abstract sortedUpTo(key: string, maxScore: number, limit: number): Promise<ScoredMember[]>;
  /** Sorted set: how many members are scored at most `maxScore`, and the lowest member. */
  abstract sortedHead(key: string, maxScore: number): Promise<{ count: number; first?: ScoredMember }>;
  /**
   * Sorted set: each move sets the member's score to `to` only while it is still `from`,
   * all in one atomic step; the members moved (what another holder moved first is not).
   */
  abstract sortedMove(key: string, moves: Array<{ member: string; from: number; to: number }>): Promise<string[]>;
}

export interface ScoredMember {
  member: string;
  score: number;
}

/** A Redis failure as the error the HTTP layer answers 503 with. */
export function asStoreError(error: unknown): StoreUnavailableError {
  if (error instanceof StoreUnavailableError) return error;
  return new StoreUnavailableError(`Redis: ${(error as Error)?.message ?? String(error)}`);
}

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const PUT_IF_HOLDER = `if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('set', KEYS[2], ARGV[2], 'PX', ARGV[3]) return 1 else return 0 end`;
const PUT_ALL_IF_MEMBER = `if redis.call('hexists', KEYS[1], ARGV[1]) == 0 then return 0 end
local n = tonumber(ARGV[3])
for i = 1, n do redis.call('set', KEYS[1 + i], ARGV[3 + i], 'PX', ARGV[2]) end
for i = n + 2, #KEYS do redis.call('del', KEYS[i]) end
return 1`;
const SORTED_MOVE = `local moved = {}
for i = 1, #ARGV, 3 do
  local score = redis.call('zscore', KEYS[1], ARGV[i])
  if score and tonumber(score) == tonumber(ARGV[i + 1]) then
    redis.call('zadd', KEYS[1], 'XX', ARGV[i + 2], ARGV[i])
    moved[#moved + 1] = ARGV[i]
  end
end
return moved`;
const HDEL_UNLESS = `if redis.call('exists', KEYS[2]) == 0 then return redis.call('hdel', KEYS[1], ARGV[1]) else return 0 end`;

export class RedisAtomicStore extends AtomicStore {
  constructor(private readonly redis: RedisClientType) {
    super();
  }

  /** Any Redis failure (offline, closed, an error reply) comes out as StoreUnavailableError. */
  private async call<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw asStoreError(error);
    }
  }

  assertAvailable(): void {
    if (!this.redis.isReady) throw new StoreUnavailableError('Redis is not connected');
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.call(() => this.redis.set(key, value, { NX: true, PX: Math.max(1, Math.round(ttlMs)) }))) === 'OK';
  }

  async renewIfHolder(key: string, value: string, ttlMs: number): Promise<boolean> {
    return Number(await this.call(() => this.redis.eval(RENEW, { keys: [key], arguments: [value, String(Math.round(ttlMs))] }))) === 1;
  }

  async deleteIfHolder(key: string, value: string): Promise<void> {
    await this.call(() => this.redis.eval(RELEASE, { keys: [key], arguments: [value] }));
  }

  async exists(key: string): Promise<boolean> {
    return (await this.call(() => this.redis.exists(key))) === 1;
  }

  async remainingMs(key: string): Promise<number> {
    return Math.max(0, await this.call(() => this.redis.pTTL(key)));
  }

  async put(key: string, value: string, ttlMs: number): Promise<void> {
    await this.call(() => this.redis.set(key, value, { PX: Math.max(1, Math.round(ttlMs)) }));
  }

  async read(key: string): Promise<string | undefined> {
    return (await this.call(() => this.redis.get(key))) ?? undefined;
  }

  async take(key: string): Promise<string | undefined> {
    return (await this.call(() => this.redis.getDel(key))) ?? undefined;
  }

  async hashSet(key: string, field: string, value: string): Promise<void> {
    await this.call(() => this.redis.hSet(key, field, value));
  }

  async hashDelete(key: string, field: string): Promise<void> {
    await this.call(() => this.redis.hDel(key, field));
  }

  async hashHas(key: string, field: string): Promise<boolean> {
    return Boolean(await this.call(() => this.redis.hExists(key, field)));
  }

  async hashGetAll(key: string): Promise<Record<string, string>> {
    return { ...(await this.call(() => this.redis.hGetAll(key))) };
  }

  hashIncrement(key: string, field: string): Promise<number> {
    return this.call(() => this.redis.hIncrBy(key, field, 1));
  }

  async putIfHolder(claimKey: string, holder: string, key: string, value: string, ttlMs: number): Promise<boolean> {
    const args = [holder, value, String(Math.max(1, Math.round(ttlMs)))];
    return Number(await this.call(() => this.redis.eval(PUT_IF_HOLDER, { keys: [claimKey, key], arguments: args }))) === 1;
  }

  async hashDeleteUnless(key: string, field: string, guardKey: string): Promise<void> {
    await this.call(() => this.redis.eval(HDEL_UNLESS, { keys: [key, guardKey], arguments: [field] }));
  }

  async putAllIfMember(hashKey: string, field: string, entries: Array<[string, string]>, ttlMs: number, removeKeys: string[]): Promise<boolean> {
    const keys = [hashKey, ...entries.map(([key]) => key), ...removeKeys];
    const args = [field, String(Math.max(1, Math.round(ttlMs))), String(entries.length), ...entries.map(([, value]) => value)];
    return Number(await this.call(() => this.redis.eval(PUT_ALL_IF_MEMBER, { keys, arguments: args }))) === 1;
  }

  async deleteKeys(keys: string[]): Promise<void> {
    if (keys.length) await this.call(() => this.redis.del(keys));
  }

  async hashGetMany(key: string, fields: string[]): Promise<Array<string | undefined>> {
    if (!fields.length) return [];
    return (await this.call(() => this.redis.hmGet(key, fields))).map((value) => value ?? undefined);
  }

  async sortedSet(key: string, member: string, score: number): Promise<void> {
    await this.call(() => this.redis.zAdd(key, { score, value: member }));
  }

  async sortedAddMissing(key: string, members: string[], score: number): Promise<void> {
    if (members.length)
      await this.call(() =>
        this.redis.zAdd(
          key,
          members.map((value) => ({ score, value })),
          { NX: true },
        ),
      );
  }

  async sortedRemove(key: string, members: string[]): Promise<void> {
    if (members.length) await this.call(() => this.redis.zRem(key, members));
  }

  async sortedUpTo(key: string, maxScore: number, limit: number): Promise<ScoredMember[]> {
    if (limit <= 0) return [];
    const found = await this.call(() => this.redis.zRangeByScoreWithScores(key, '-inf', maxScore, { LIMIT: { offset: 0, count: limit } }));
    return found.map(({ value, score }) => ({ member: value, score }));
  }

  async sortedHead(key: string, maxScore: number): Promise<{ count: number; first?: ScoredMember }> {
    const [count, first] = await this.call(() => Promise.all([this.redis.zCount(key, '-inf', maxScore), this.redis.zRangeWithScores(key, 0, 0)]));
    return { count, first: first[0] && { member: first[0].value, score: first[0].score } };
  }

  async sortedMove(key: string, moves: Array<{ member: string; from: number; to: number }>): Promise<string[]> {
    if (!moves.length) return [];
    const args = moves.flatMap(({ member, from, to }) => [member, String(from), String(to)]);
    return (await this.call(() => this.redis.eval(SORTED_MOVE, { keys: [key], arguments: args }))) as string[];
  }
}

/** The same in process memory (the embedded default: one replica, nothing kept on restart). */
export class MemoryAtomicStore extends AtomicStore {
  private readonly values = new Map<string, { value: string; expires: number }>();
  private readonly hashes = new Map<string, Map<string, string>>();
  private readonly sortedSets = new Map<string, Map<string, number>>();

  assertAvailable(): void {
    // Process memory is always there.
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.live(key)) return false;
    this.values.set(key, { value, expires: Date.now() + ttlMs });
    return true;
  }

  async renewIfHolder(key: string, value: string, ttlMs: number): Promise<boolean> {
    const entry = this.live(key);
    if (entry?.value !== value) return false;
    entry.expires = Date.now() + ttlMs;
    return true;
  }

  async deleteIfHolder(key: string, value: string): Promise<void> {
    if (this.live(key)?.value === value) this.values.delete(key);
  }

  async exists(key: string): Promise<boolean> {
    return this.live(key) !== undefined;
  }

  async remainingMs(key: string): Promise<number> {
    const entry = this.live(key);
    return entry ? Math.max(0, entry.expires - Date.now()) : 0;
  }

  async put(key: string, value: string, ttlMs: number): Promise<void> {
    this.values.set(key, { value, expires: Date.now() + ttlMs });
  }

  async read(key: string): Promise<string | undefined> {
    return this.live(key)?.value;
  }

  async take(key: string): Promise<string | undefined> {
    const value = this.live(key)?.value;
    this.values.delete(key);
    return value;
  }

  async hashSet(key: string, field: string, value: string): Promise<void> {
    const hash = this.hashes.get(key) ?? new Map<string, string>();
    hash.set(field, value);
    this.hashes.set(key, hash);
  }

  async hashDelete(key: string, field: string): Promise<void> {
    this.hashes.get(key)?.delete(field);
  }

  async hashHas(key: string, field: string): Promise<boolean> {
    return this.hashes.get(key)?.has(field) ?? false;
  }

  async hashGetAll(key: string): Promise<Record<string, string>> {
    return Object.fromEntries(this.hashes.get(key) ?? []);
  }

  async hashIncrement(key: string, field: string): Promise<number> {
    const count = Number((await this.hashGetAll(key))[field] ?? 0) + 1;
    await this.hashSet(key, field, String(count));
    return count;
  }

  // No await between the check and the write: atomic in one process.
  async putIfHolder(claimKey: string, holder: string, key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.live(claimKey)?.value !== holder) return false;
    this.values.set(key, { value, expires: Date.now() + ttlMs });
    return true;
  }

  async hashDeleteUnless(key: string, field: string, guardKey: string): Promise<void> {
    if (!this.live(guardKey)) this.hashes.get(key)?.delete(field);
  }

  async putAllIfMember(hashKey: string, field: string, entries: Array<[string, string]>, ttlMs: number, removeKeys: string[]): Promise<boolean> {
    if (!this.hashes.get(hashKey)?.has(field)) return false;
    for (const [key, value] of entries) this.values.set(key, { value, expires: Date.now() + ttlMs });
    for (const key of removeKeys) this.values.delete(key);
    return true;
  }

  async deleteKeys(keys: string[]): Promise<void> {
    for (const key of keys) this.values.delete(key);
  }

  async hashGetMany(key: string, fields: string[]): Promise<Array<string | undefined>> {
    const hash = this.hashes.get(key);
    return fields.map((field) => hash?.get(field));
  }

  async sortedSet(key: string, member: string, score: number): Promise<void> {
    this.sorted(key).set(member, score);
  }

  async sortedAddMissing(key: string, members: string[], score: number): Promise<void> {
    const set = this.sorted(key);
    for (const member of members) if (!set.has(member)) set.set(member, score);
  }

  async sortedRemove(key: string, members: string[]): Promise<void> {
    const set = this.sorted(key);
    for (const member of members) set.delete(member);
  }

  async sortedUpTo(key: string, maxScore: number, limit: number): Promise<ScoredMember[]> {
    const entries = [...this.sorted(key)].map(([vimId, dueAt]) => ({ vimId, dueAt }));
    return pickDue(entries, maxScore, limit).map(({ vimId, dueAt }) => ({ member: vimId, score: dueAt }));
  }

  async sortedHead(key: string, maxScore: number): Promise<{ count: number; first?: ScoredMember }> {
    let count = 0;
    let first: ScoredMember | undefined;
    for (const [member, score] of this.sorted(key)) {
      if (score <= maxScore) count += 1;
      if (!first || score < first.score || (score === first.score && member < first.member)) first = { member, score };
    }
    return { count, first };
  }

  async sortedMove(key: string, moves: Array<{ member: string; from: number; to: number }>): Promise<string[]> {
    const set = this.sorted(key);
    const moved: string[] = [];
    for (const { member, from, to } of moves) {
      if (set.get(member) !== from) continue;
      set.set(member, to);
      moved.push(member);
    }
    return moved;
  }

  private sorted(key: string): Map<string, number> {
    let set = this.sortedSets.get(key);
    if (!set) this.sortedSets.set(key, (set = new Map()));
    return set;
  }

  private live(key: string): { value: string; expires: number } | undefined {
    const entry = this.values.get(key);
    if (entry && entry.expires <= Date.now()) {
      this.values.delete(key);
      return undefined;
    }
    return entry;
  }
}
