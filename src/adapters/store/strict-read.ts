import { Cache } from '@nestjs/cache-manager';

/**
 * A cache read that fails when the store fails. cache-manager's own `get` answers
 * "nothing" on a store error (a Redis reload would read as "no such job", "no zones");
 * its Keyv store, built with `throwOnErrors`, throws instead.
 */
export async function strictGet<T>(cache: Cache, key: string): Promise<T | undefined> {
  const value = await cache.stores[0].get<T>(key);
  return value ?? undefined;
}
