import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { Response } from 'express';

import { StoreConnection } from '../store/store-connection';
import { Shutdown } from './shutdown';

/**
 * Kubernetes probes: live while the process serves; ready while the store answers and
 * the replica is not draining. A failing probe answers 503 with terminus's body.
 */
@Controller('health')
export class ProbesController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly store: StoreConnection,
    private readonly shutdown: Shutdown,
  ) {}

  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  async ready(@Res({ passthrough: true }) response: Response): Promise<unknown> {
    try {
      return await this.health.check([
        async () => {
          const store = this.indicator.check('store');
          return (await this.store.reachable()) ? store.up() : store.down({ message: 'the store does not answer' });
        },
        () => {
          const serving = this.indicator.check('serving');
          return this.shutdown.draining ? serving.down({ message: 'draining: the service is stopping' }) : serving.up();
        },
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(503);
      return error.getResponse();
    }
  }
}
