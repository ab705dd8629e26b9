import KeyvRedis from '@keyv/redis';
import { CacheModule, CacheModuleOptions } from '@nestjs/cache-manager';
import { Module } from '@nestjs/common';
import { Keyv } from 'keyv';

import { RegionReadCache } from '../../application/ports/region-read-cache.port';
import { TokenCatalogCache } from '../../application/ports/token-catalog-cache.port';
import { VimInfo } from '../../domain/cloud-region';
import { CatalogEntry } from '../../domain/keystone-front';
import { AppConfig, appConfig } from '../../config/app.config';
import { BoundedMemoryStore, boundedMemoryKeyv, jsonBytes } from './bounded-memory-store';
import { CacheRegionReads } from './cache-region-reads';
import { CacheTokenCatalogs } from './cache-token-catalogs';
import { StoreConnection } from './store-connection';
import { StoreModule } from './store.module';

/**
 * `@keyv/redis` over the service's own Redis connection. The connection belongs to
 * StoreConnection, which closes it last: the cache's shutdown leaves it open.
 */
class SharedKeyvRedis extends KeyvRedis<unknown> {
  override async disconnect(): Promise<void> {
    // StoreConnection.beforeApplicationShutdown closes the client.
  }
}

function redisTier(connection: StoreConnection): Keyv[] {
  if (!connection.redis) return [];
  return [new Keyv({ store: new SharedKeyvRedis(connection.redis as never), useKeyPrefix: false, namespace: undefined })];
}

/**
 * The token-catalog cache (`@nestjs/cache-manager`): memory bounded by
 * TOKEN_CATALOG_CACHE_BYTES, then Redis when REDIS_URL is set.
 */
@Module({
  imports: [
    CacheModule.registerAsync({
      imports: [StoreModule],
      inject: [appConfig.KEY, StoreConnection],
      useFactory: (config: AppConfig, connection: StoreConnection): CacheModuleOptions => ({
        stores: [boundedMemoryKeyv(new BoundedMemoryStore<CatalogEntry[]>(config.cache.tokenCatalogBytes, jsonBytes)), ...redisTier(connection)],
      }),
    }),
  ],
  providers: [CacheTokenCatalogs, { provide: TokenCatalogCache, useExisting: CacheTokenCatalogs }],
  exports: [TokenCatalogCache, CacheTokenCatalogs],
})
export class TokenCatalogCacheModule {}

/** The region-read cache (`@nestjs/cache-manager`): memory only (credentials), bounded by REGION_CACHE_BYTES. */
@Module({
  imports: [
    CacheModule.registerAsync({
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig): CacheModuleOptions => ({
        stores: [boundedMemoryKeyv(new BoundedMemoryStore<VimInfo>(config.cache.regionReadBytes, vimInfoBytes))],
      }),
    }),
  ],
  providers: [CacheRegionReads, { provide: RegionReadCache, useExisting: CacheRegionReads }],
  exports: [RegionReadCache, CacheRegionReads],
})
export class RegionReadCacheModule {}

/** A region read as JSON (its VimId as its text). */
function vimInfoBytes(vim: VimInfo): number {
  return jsonBytes({ ...vim, vimId: vim.vimId.toString() });
}
