import { BeforeApplicationShutdown, Logger } from '@nestjs/common';
import { KeyvAdapter } from 'cache-manager';
import { RedisStore, redisStore } from 'cache-manager-redis-yet';
import { Keyv } from 'keyv';
import { RedisClientType } from 'redis';

import { asStoreError } from './atomic-store';

/**
 * The service's store: Redis when REDIS_URL is set, else nothing here (cache-manager
 * then keeps everything in process memory). One Redis connection serves both the
 * cache-manager stores and the atomic operations (leases, claims) it lacks.
 */
export class StoreConnection implements BeforeApplicationShutdown {
  private constructor(
    readonly redis: RedisClientType | undefined,
    readonly keyv: Keyv | undefined,
  ) {}

  /**
   * While Redis is away the client reconnects on its own; meanwhile store calls fail at
   * once (no offline queue) instead of waiting, and its errors are logged, not thrown
   * at the process.
   */
  static async open(redisUrl: string | undefined): Promise<StoreConnection> {
    if (!redisUrl) return new StoreConnection(undefined, undefined);
    const logger = new Logger('Redis');
    let reported = false;
    const store = await redisStore({
      url: redisUrl,
      disableOfflineQueue: true,
      socket: { connectTimeout: 5_000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 5_000) },
    });
    store.client.on('error', (error: Error) => {
      if (!reported) logger.error(`connection lost: ${error.message}; reconnecting`);
      reported = true;
    });
    store.client.on('ready', () => {
      if (reported) logger.log('connection back');
      reported = false;
    });
    return new StoreConnection(store.client, plainKeyv(store));
  }

  /** Whether the store answers (always, for the in-process store): readiness and metrics. */
  async reachable(timeoutMs = 1_000): Promise<boolean> {
    if (!this.redis) return true;
    if (!this.redis.isReady) return false;
    const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
    return Promise.race([this.redis.ping().then(() => true, () => false), timeout]);
  }

  /** quit() waits for Redis to answer, which an offline client never gets: then drop it. */
  async beforeApplicationShutdown(): Promise<void> {
    if (!this.redis?.isOpen) return;
    if (this.redis.isReady) await this.redis.quit();
    else await this.redis.disconnect();
  }
}

/**
 * Keyv over cache-manager-redis-yet that writes keys and values as they are: no
 * `keyv:` prefix, no `{"value":…,"expires":…}` envelope, so operators read
 * `GET cap_azlist_{vimid}` → `["nova"]`. Keyv hands the store the bare value
 * (serialize) and gets the envelope back from the wrapped reads.
 */
function plainKeyv(store: RedisStore): Keyv {
  const envelope = (value: unknown) => (value === undefined || value === null ? undefined : { value });
  // Every failure names the store (StoreUnavailableError), so the API answers 503 with it.
  const call = async <T>(command: () => Promise<T>): Promise<T> => {
    try {
      return await command();
    } catch (error) {
      throw asStoreError(error);
    }
  };
  const plain = {
    ...store,
    get: (key: string) => call(async () => envelope(await store.get(key))),
    mget: (...keys: string[]) => call(async () => (await store.mget(...keys)).map(envelope)),
    set: (key: string, value: unknown, ttl?: number) => call(() => store.set(key, value, ttl)),
    del: (key: string) => call(() => store.del(key)),
    mdel: (...keys: string[]) => call(() => store.mdel(...keys)),
    reset: () => call(() => store.reset()),
    ttl: (key: string) => call(() => store.ttl(key)),
  };
  return new Keyv({
    store: new KeyvAdapter(plain as never),
    useKeyPrefix: false,
    // A write that did not reach Redis must fail, not report success.
    throwOnErrors: true,
    serialize: (data: { value?: unknown }) => data.value as never,
    deserialize: (data: unknown) => ({ value: data }) as never,
  });
}
