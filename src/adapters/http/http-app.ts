import { INestApplication, NestApplicationOptions, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

import { describeApi } from './api-documents';
import { readRequestBodies } from './request-body';
import { Server } from 'node:http';

import { answerClientErrors } from './client-errors';
import { applyServerTimeouts } from './server-timeouts';

/**
 * What every HTTP app of this service needs before it serves, in main.ts and the tests
 * alike. `forceCloseConnections`: when the app closes (after the drain), the connections
 * still open are closed, so a client that sent half a request cannot hold the stop for
 * HTTP_HEADERS_TIMEOUT_MS (a fuzz run's close once took 63 s).
 */
export const HTTP_APP_OPTIONS: NestApplicationOptions = { bodyParser: false, forceCloseConnections: true };

export function configureHttpApp(app: INestApplication): INestApplication {
  readRequestBodies(app);
  describeApi(app);
  applyServerTimeouts(app);
  answerClientErrors(app.getHttpServer() as Server);
  return app;
}

/** The service's HTTP app: created with the options above and configured. */
export async function createHttpApp(module: Type<unknown>, options: NestApplicationOptions = {}): Promise<INestApplication> {
  return configureHttpApp(await NestFactory.create(module, { ...options, ...HTTP_APP_OPTIONS }));
}
