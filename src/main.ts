import 'reflect-metadata';

import { setFlagsFromString } from 'node:v8';

import { INestApplication, Logger } from '@nestjs/common';
import { Logger as PinoLogger } from 'nestjs-pino';

import { createHttpApp } from './adapters/http/http-app';
import { Shutdown } from './adapters/observability/shutdown';
import { AppModule } from './app.module';
import { RegionJobs } from './application/jobs/region-jobs';
import { AppConfig, loadAppConfig } from './config/app.config';
import { withoutCredentials } from './config/env.validation';

async function bootstrap(): Promise<void> {
  const config = loadAppConfig(process.env);
  // V8 lets the old generation grow to up to 4x its live set before a full collection: a
  // burst of registrations took a 50 MB live set to a 240 MB heap. A factor of 2 halves
  // that headroom for a few more collections of 5 to 15 ms (docs/benchmarks.md).
  if (config.heapGrowingPercent > 0) setFlagsFromString(`--heap-growing-percent=${config.heapGrowingPercent}`);
  collectStreamedBuffersSooner();
  const app = await createHttpApp(AppModule, {
    httpsOptions: config.ssl ? { cert: config.ssl.cert, key: config.ssl.key } : undefined,
    bufferLogs: true,
  });
  app.useLogger(app.get(PinoLogger));
  for (const warning of config.warnings) Logger.warn(warning, 'Config');
  process.once('SIGTERM', () => void stop(app, config, 'SIGTERM'));
  process.once('SIGINT', () => void stop(app, config, 'SIGINT'));
  await app.listen(config.port);
  Logger.log(
    `multicloud-starlingx listening on ${config.ssl ? 'https' : 'http'}://0.0.0.0:${config.port} ` +
      `(A&AI ${withoutCredentials(config.aai.baseUrl)}, store ${config.redisUrl ? 'redis' : 'in-process memory'})`,
    'Bootstrap',
  );
}

/**
 * The chunks a stream reads (a proxied image body, either way) are ArrayBuffers outside
 * V8's heap, garbage once passed on and freed only by a collection. Node 20's V8 runs a
 * cheap young collection once about 32 MB of them are young; Node 24's V8 13 derives that
 * trigger from --scavenger-max-new-space-capacity-mb (default 32: about 128 MB), above the
 * 64 MB of outside memory at which it starts a full collection instead, so a 200 MB image
 * held 70 to 80 MB of dead chunks (+24 to 34 MB on Node 20). 8 brings the young collections
 * back at about 32 MB. Set after start it still moves that trigger (measured); the young
 * generation keeps its size. V8 before 13 has no such flag and would print an error.
 */
function collectStreamedBuffersSooner(): void {
  if (Number(process.versions.v8.split('.')[0]) >= 13) setFlagsFromString('--scavenger-max-new-space-capacity-mb=8');
}

/**
 * SPEC section 10: readiness turns false and new POST/DELETE answer 503 at once;
 * running jobs get SHUTDOWN_GRACE_MS, then stop and are left for another replica;
 * the app closes (store last) and the process exits 0.
 */
async function stop(app: INestApplication, config: AppConfig, signal: string): Promise<void> {
  Logger.log(`${signal}: draining; running jobs get ${config.shutdownGraceMs} ms`, 'Shutdown');
  app.get(Shutdown).draining = true;
  try {
    await app.get(RegionJobs).drain(config.shutdownGraceMs);
    await app.close();
    Logger.log('stopped', 'Shutdown');
    process.exit(0);
  } catch (error) {
    Logger.error(`stopping failed: ${(error as Error).message}`, 'Shutdown');
    process.exit(1);
  }
}

bootstrap().catch((error: Error) => {
  Logger.error(error.message, 'Bootstrap');
  process.exit(1);
});
