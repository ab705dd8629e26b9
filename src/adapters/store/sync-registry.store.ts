import { Injectable } from '@nestjs/common';

import { SyncRegistryPort, SyncedRegion } from '../../application/ports/sync-registry.port';
import { AtomicStore } from './atomic-store';
import { ScheduledHash } from './scheduled-hash';
import { storeKeys } from './store-keys';

/** The synced regions (SPEC 12) as a hash in the store; their due times a sorted set beside it. */
@Injectable()
export class SyncRegistryStore extends SyncRegistryPort {
  private readonly regions: ScheduledHash<SyncedRegion>;

  constructor(atomic: AtomicStore) {
    super();
    this.regions = new ScheduledHash(atomic, storeKeys.syncedRegions, storeKeys.syncDue);
  }

  add(region: SyncedRegion, dueAt: number): Promise<void> {
    return this.regions.add(region, dueAt);
  }

  remove(vimId: string): Promise<void> {
    return this.regions.remove(vimId);
  }

  list(): Promise<SyncedRegion[]> {
    return this.regions.list();
  }

  async takeDue(now: number, limit: number, intervalMs: number): Promise<SyncedRegion[]> {
    return (await this.regions.takeDue(now, limit, () => intervalMs)).map(({ entry }) => entry);
  }

  nextDueAt(): Promise<number | undefined> {
    return this.regions.nextDueAt();
  }
}
