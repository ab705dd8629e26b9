import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { SyncRegistryPort, SyncedRegion } from '../../application/ports/sync-registry.port';
import { AtomicStore } from './atomic-store';
import { storeKeys } from './store-keys';

/** The synced regions as a hash in the store; each region's lease a key with expiry. */
@Injectable()
export class SyncRegistryStore extends SyncRegistryPort {
  private readonly holder = randomUUID();

  constructor(private readonly atomic: AtomicStore) {
    super();
  }

  async add(region: SyncedRegion): Promise<void> {
    await this.atomic.hashSet(storeKeys.syncedRegions, region.vimId, JSON.stringify(region));
  }

  async remove(vimId: string): Promise<void> {
    await this.atomic.hashDelete(storeKeys.syncedRegions, vimId);
  }

  async list(): Promise<SyncedRegion[]> {
    const entries = await this.atomic.hashGetAll(storeKeys.syncedRegions);
    return Object.values(entries).flatMap((value) => {
      try {
        return [JSON.parse(value) as SyncedRegion];
      } catch {
        return [];
      }
    });
  }

  async tryLease(vimId: string, ms: number): Promise<{ won: boolean; retryInMs: number }> {
    const key = storeKeys.syncLease(vimId);
    if (await this.atomic.setIfAbsent(key, this.holder, ms)) return { won: true, retryInMs: ms };
    return { won: false, retryInMs: await this.atomic.remainingMs(key) };
  }

  async restartLease(vimId: string, ms: number): Promise<void> {
    await this.atomic.put(storeKeys.syncLease(vimId), this.holder, ms);
  }
}
