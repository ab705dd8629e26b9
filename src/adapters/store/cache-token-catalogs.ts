import { CACHE_MANAGER, Cache } from '@nestjs/cache-manager';
import { Inject, Injectable } from '@nestjs/common';

import { TokenCatalogCache } from '../../application/ports/token-catalog-cache.port';
import { CatalogEntry } from '../../domain/keystone-front';
import { BoundedMemoryStore } from './bounded-memory-store';
import { storeKeys } from './store-keys';

/**
 * Token catalogs in the cache-manager cache of TokenCatalogCacheModule: process memory
 * bounded by TOKEN_CATALOG_CACHE_BYTES first, then Redis (when REDIS_URL is set) under
 * `mcstx:token_catalog:{sha256}` until the token expires, so another replica knows a
 * token signed in here. A store failure costs one Keystone read, never the call.
 */
@Injectable()
export class CacheTokenCatalogs extends TokenCatalogCache {
  constructor(@Inject(CACHE_MANAGER) private readonly cache: Cache) {
    super();
  }

  async get(key: string): Promise<CatalogEntry[] | undefined> {
    const value = await this.cache.get<CatalogEntry[]>(storeKeys.tokenCatalog(key)).catch(() => undefined);
    return Array.isArray(value) ? value : undefined;
  }

  async set(key: string, catalog: CatalogEntry[], ttlMs: number): Promise<void> {
    await this.cache.set(storeKeys.tokenCatalog(key), catalog, Math.max(1, Math.round(ttlMs))).catch(() => undefined);
  }

  /** Bytes the in-process tier holds (JSON size of the catalogs), at most TOKEN_CATALOG_CACHE_BYTES. */
  heldBytes(): number {
    return (this.cache.stores[0].store as BoundedMemoryStore<CatalogEntry[]>).heldBytes;
  }
}
