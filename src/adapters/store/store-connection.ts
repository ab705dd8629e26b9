import { BeforeApplicationShutdown, Logger } from '@nestjs/common';
import { RedisClientType, createClient } from 'redis';

/**
 * The service's store: Redis when REDIS_URL is set, else nothing here (the adapters
 * then keep everything in process memory). One Redis connection serves the atomic
 * operations (jobs, leases, the audit's keys) and the Redis tier of the token-catalog
 * cache (`@keyv/redis` over this same client).
 */
export class StoreConnection implements BeforeApplicationShutdown {
  private constructor(readonly redis: RedisClientType | undefined) {}

  /**
   * While Redis is away the client reconnects on its own; meanwhile store calls fail at
   * once (no offline queue) instead of waiting, and its errors are logged, not thrown
   * at the process. At start there is nothing to wait for: a first connection that
   * fails stops the start (node-redis 5 and later would otherwise retry it forever).
   */
  static async open(redisUrl: string | undefined): Promise<StoreConnection> {
    if (!redisUrl) return new StoreConnection(undefined);
    const logger = new Logger('Redis');
    let reported = false;
    let started = false;
    const client: RedisClientType = createClient({
      url: redisUrl,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: 5_000,
        reconnectStrategy: (retries: number, cause: Error) => (started ? Math.min(100 * 2 ** retries, 5_000) : cause),
      },
    });
    client.on('error', (error: Error) => {
      if (!started) return; // the start's own failure is thrown by connect()
      if (!reported) logger.error(`connection lost: ${error.message}; reconnecting`);
      reported = true;
    });
    client.on('ready', () => {
      if (reported) logger.log('connection back');
      reported = false;
    });
    await client.connect();
    started = true;
    return new StoreConnection(client);
  }

  /** Whether the store answers (always, for the in-process store): readiness and metrics. */
  async reachable(timeoutMs = 1_000): Promise<boolean> {
    if (!this.redis) return true;
    if (!this.redis.isReady) return false;
    const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
    return Promise.race([
      this.redis.ping().then(
        () => true,
        () => false,
      ),
      timeout,
    ]);
  }

  /** close() waits for Redis to answer, which an offline client never gets: then drop it. */
  async beforeApplicationShutdown(): Promise<void> {
    if (!this.redis?.isOpen) return;
    if (this.redis.isReady) await this.redis.close();
    else this.redis.destroy();
  }
}
