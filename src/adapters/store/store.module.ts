import { Module } from '@nestjs/common';

import { AppConfig, appConfig } from '../../config/app.config';
import { AtomicStore, MemoryAtomicStore, RedisAtomicStore } from './atomic-store';
import { StoreConnection } from './store-connection';

/** The store connection (Redis or none) and its atomic operations, for the cache and the adapters. */
@Module({
  providers: [
    {
      provide: StoreConnection,
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig) => StoreConnection.open(config.redisUrl),
    },
    {
      provide: AtomicStore,
      inject: [StoreConnection],
      useFactory: (connection: StoreConnection) =>
        connection.redis ? new RedisAtomicStore(connection.redis) : new MemoryAtomicStore(),
    },
  ],
  exports: [StoreConnection, AtomicStore],
})
export class StoreModule {}
