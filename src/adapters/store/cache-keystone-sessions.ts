import { CACHE_MANAGER, Cache } from '@nestjs/cache-manager';
import { Inject, Injectable } from '@nestjs/common';
import { createCache } from 'cache-manager';

import { KeystoneSession } from '../openstack/keystone-session';
import { BoundedMemoryStore, boundedMemoryKeyv } from './bounded-memory-store';

/**
 * The Keystone sessions the service signed in with, per (cloud, user, scope) hash, in
 * the cache-manager cache of KeystoneSessionCacheModule: process memory only (a session
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
