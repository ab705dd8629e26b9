import { randomUUID } from 'node:crypto';

import { AtomicStore } from './atomic-store';

/**
 * A set of regions kept as a JSON hash in the store, and a per-region lease (a key with
 * expiry) that lets one replica act on a region per interval: what the audited and the
 * synced regions share.
 */
export class LeasedHash<T extends { vimId: string }> {
  private readonly holder = randomUUID();

  constructor(
    private readonly atomic: AtomicStore,
    private readonly hashKey: string,
    private readonly leaseKey: (vimId: string) => string,
  ) {}

  async add(entry: T): Promise<void> {
    await this.atomic.hashSet(this.hashKey, entry.vimId, JSON.stringify(entry));
  }

  async remove(vimId: string): Promise<void> {
    await this.atomic.hashDelete(this.hashKey, vimId);
  }

  async list(): Promise<T[]> {
    const entries = await this.atomic.hashGetAll(this.hashKey);
    return Object.values(entries).flatMap((value) => {
      try {
        return [JSON.parse(value) as T];
      } catch {
        return [];
      }
    });
  }

  has(vimId: string): Promise<boolean> {
    return this.atomic.hashHas(this.hashKey, vimId);
  }

  /** Takes the lease for `ms` unless held; on refusal, says in how many ms it ends. */
  async tryLease(vimId: string, ms: number): Promise<{ won: boolean; retryInMs: number }> {
    const key = this.leaseKey(vimId);
    if (await this.atomic.setIfAbsent(key, this.holder, ms)) return { won: true, retryInMs: ms };
    return { won: false, retryInMs: await this.atomic.remainingMs(key) };
  }

  /** Holds the lease for `ms` from now, whoever held it. */
  async restartLease(vimId: string, ms: number): Promise<void> {
    await this.atomic.put(this.leaseKey(vimId), this.holder, ms);
  }
}
