import 'reflect-metadata';

import { Logger } from '@nestjs/common';

import { createHttpApp } from './adapters/http/http-app';
import { AppModule } from './app.module';
import { loadAppConfig } from './config/app.config';
import { withoutCredentials } from './config/env.validation';

async function bootstrap(): Promise<void> {
  const config = loadAppConfig(process.env);
  const app = await createHttpApp(AppModule, {
    httpsOptions: config.ssl ? { cert: config.ssl.cert, key: config.ssl.key } : undefined,
  });
  app.enableShutdownHooks();
  await app.listen(config.port);
  Logger.log(
    `multicloud-starlingx listening on ${config.ssl ? 'https' : 'http'}://0.0.0.0:${config.port} ` +
      `(A&AI ${withoutCredentials(config.aai.baseUrl)}, store ${config.redisUrl ? 'redis' : 'in-process memory'})`,
    'Bootstrap',
  );
}

bootstrap().catch((error: Error) => {
  Logger.error(error.message, 'Bootstrap');
  process.exit(1);
});
