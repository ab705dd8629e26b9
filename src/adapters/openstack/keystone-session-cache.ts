import { CACHE_MANAGER, Cache, CacheModule, CacheModuleOptions } from '@nestjs/cache-manager';
import { Inject, Injectable, Module } from '@nestjs/common';
import { createCache } from 'cache-manager';

import { AppConfig, appConfig } from '../../config/app.config';
import { BoundedMemoryStore, boundedMemoryKeyv } from '../store/bounded-memory-store';
import { KeystoneSession } from './keystone-session';

/**
 * The Keystone sessions the service signed in with, per (cloud, user, scope) hash, in
 * the cache-manager cache of KeystoneSessionCacheModule (below): process memory only (a session
 * holds its token and can sign in again), bounded by KEYSTONE_SESSION_CACHE_BYTES, each
 * until its token expires. A session dropped early costs one sign-in.
 */
@Injectable()
export class KeystoneSessionCache {
  constructor(@Inject(CACHE_MANAGER) private readonly cache: Cache) {}

  async get(key: string): Promise<KeystoneSession | undefined> {
    return (await this.cache.get<KeystoneSession>(key)) ?? undefined;
  }

  async set(key: string, session: KeystoneSession): Promise<void> {
    const ttlMs = session.expiresAt - Date.now();
    if (ttlMs > 0) await this.cache.set(key, session, ttlMs);
  }

  heldBytes(): number {
    return (this.cache.stores[0].store as BoundedMemoryStore<KeystoneSession>).heldBytes;
  }
}

/** What a session costs: its token, project and (public) catalog as JSON. */
export function sessionBytes(session: KeystoneSession): number {
  return Buffer.byteLength(JSON.stringify({ token: session.token, project: session.project, catalog: session.catalog })) + 512;
}

/** A session cache outside Nest (unit tests): the same bounded memory store. */
export function memorySessionCache(maxBytes = 32 * 1024 * 1024): KeystoneSessionCache {
  return new KeystoneSessionCache(createCache({ stores: [boundedMemoryKeyv(new BoundedMemoryStore(maxBytes, sessionBytes))] }) as Cache);
}

/** The Keystone-session cache (`@nestjs/cache-manager`): memory only, bounded by KEYSTONE_SESSION_CACHE_BYTES. */
@Module({
  imports: [
    CacheModule.registerAsync({
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig): CacheModuleOptions => ({
        stores: [boundedMemoryKeyv(new BoundedMemoryStore<KeystoneSession>(config.cache.keystoneSessionBytes, sessionBytes))],
      }),
    }),
  ],
  providers: [KeystoneSessionCache],
  exports: [KeystoneSessionCache],
})
export class KeystoneSessionCacheModule {}
