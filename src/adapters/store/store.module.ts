import { Module } from '@nestjs/common';

import { AppConfig, appConfig } from '../../config/app.config';
import { withoutCredentials } from '../../config/env.validation';
import { AtomicStore, MemoryAtomicStore, RedisAtomicStore } from './atomic-store';
import { StoreConnection } from './store-connection';

/** A store that cannot be reached at start stops it, naming the variable to check. */
async function openStore(redisUrl: string | undefined): Promise<StoreConnection> {
  try {
    return await StoreConnection.open(redisUrl);
  } catch (error) {
    throw new Error(`REDIS_URL: cannot reach Redis at ${withoutCredentials(redisUrl ?? '')} (${(error as Error).message}); start it or correct REDIS_URL`, { cause: error });
  }
}

/** The store connection (Redis or none) and its atomic operations, for the cache and the adapters. */
@Module({
  providers: [
    {
      provide: StoreConnection,
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig) => openStore(config.redisUrl),
    },
    {
      provide: AtomicStore,
      inject: [StoreConnection],
      useFactory: (connection: StoreConnection) => (connection.redis ? new RedisAtomicStore(connection.redis) : new MemoryAtomicStore()),
    },
  ],
  exports: [StoreConnection, AtomicStore],
})
export class StoreModule {}
