import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';

import { TelemetryPort } from '../../application/ports/telemetry.port';
import { AppConfig, appConfig } from '../../config/app.config';
import { StoreModule } from '../store/store.module';
import { loggerParams } from './logging';
import { ProbesController } from './probes.controller';
import { PromTelemetry } from './prom-telemetry';
import { observeRequest } from './request-observer';
import { DrainingGuard, Shutdown } from './shutdown';

/** SPEC section 10: request ids and log lines, metrics, probes, draining on SIGTERM. */
@Global()
@Module({
  imports: [
    LoggerModule.forRootAsync({ inject: [appConfig.KEY], useFactory: (config: AppConfig) => loggerParams(config) }),
    TerminusModule.forRoot({ logger: false }),
    StoreModule,
  ],
  controllers: [ProbesController],
  providers: [Shutdown, { provide: APP_GUARD, useClass: DrainingGuard }, { provide: TelemetryPort, useClass: PromTelemetry }],
  exports: [Shutdown, TelemetryPort],
})
export class ObservabilityModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(observeRequest).forRoutes('*');
  }
}
