import { Injectable } from '@nestjs/common';

import { SyncRegistryPort, SyncedRegion } from '../../application/ports/sync-registry.port';
import { AtomicStore } from './atomic-store';
import { LeasedHash } from './leased-hash';
import { storeKeys } from './store-keys';

/** The synced regions (SPEC 12) as a hash in the store; each region's lease a key with expiry. */
@Injectable()
export class SyncRegistryStore extends SyncRegistryPort {
  private readonly regions: LeasedHash<SyncedRegion>;

  constructor(atomic: AtomicStore) {
    super();
    this.regions = new LeasedHash(atomic, storeKeys.syncedRegions, storeKeys.syncLease);
  }

  add(region: SyncedRegion): Promise<void> {
    return this.regions.add(region);
  }

  remove(vimId: string): Promise<void> {
    return this.regions.remove(vimId);
  }

  list(): Promise<SyncedRegion[]> {
    return this.regions.list();
  }

  tryLease(vimId: string, ms: number): Promise<{ won: boolean; retryInMs: number }> {
    return this.regions.tryLease(vimId, ms);
  }

  restartLease(vimId: string, ms: number): Promise<void> {
    return this.regions.restartLease(vimId, ms);
  }
}
