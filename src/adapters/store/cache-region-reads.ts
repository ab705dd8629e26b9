import { CACHE_MANAGER, Cache } from '@nestjs/cache-manager';
import { Inject, Injectable } from '@nestjs/common';

import { RegionReadCache } from '../../application/ports/region-read-cache.port';
import { VimInfo } from '../../domain/cloud-region';
import { BoundedMemoryStore } from './bounded-memory-store';

/** Regions read from A&AI in the cache-manager cache of RegionReadCacheModule (memory only). */
@Injectable()
export class CacheRegionReads extends RegionReadCache {
  constructor(@Inject(CACHE_MANAGER) private readonly cache: Cache) {
    super();
  }

  async get(vimId: string): Promise<VimInfo | undefined> {
    return (await this.cache.get<VimInfo>(vimId)) ?? undefined;
  }

  async set(vimId: string, vim: VimInfo, ttlMs: number): Promise<void> {
    await this.cache.set(vimId, vim, ttlMs);
  }

  /** The memory store deletes within this call (cache-manager and Keyv call it before their first await). */
  delete(vimId: string): void {
    void this.cache.del(vimId);
  }

  heldBytes(): number {
    return (this.cache.stores[0].store as BoundedMemoryStore<VimInfo>).heldBytes;
  }
}
