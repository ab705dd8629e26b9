import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Request } from 'express';
import type { Params } from 'nestjs-pino';
import pino from 'pino';
import pretty from 'pino-pretty';

import { currentContext } from '../../application/jobs/request-context';
import { AppConfig } from '../../config/app.config';
import { requestIdOf } from './request-observer';

/**
 * Log lines (SPEC section 10) through nestjs-pino: JSON (`LOG_FORMAT=json`) or text,
 * from `LOG_LEVEL` up, each with level, time, message, and the requestId, vimid and
 * jobRunId of the request, job or audit it was written for. One line per answered
 * request, except probes and scrapes.
 */
export function loggerParams(config: AppConfig): Params {
  const options: pino.LoggerOptions & Record<string, unknown> = {
    level: config.log.level,
    messageKey: 'message',
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    // pino-http binds the whole request (headers too) to its loggers: a binding whose
    // serializer gives nothing is left out; the request's line says what matters.
    serializers: { req: () => undefined, res: () => undefined },
    mixin: contextFields,
    genReqId: (request: IncomingMessage) => requestIdOf(request as Request),
    autoLogging: { ignore: (request: IncomingMessage) => /^\/(metrics|health)\b/.test(request.url ?? '') },
    customLogLevel: (_: IncomingMessage, response: ServerResponse, error?: Error) =>
      error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
    customSuccessMessage: (request: IncomingMessage, response: ServerResponse) =>
      `${request.method} ${request.url} ${response.statusCode}`,
    customErrorMessage: (request: IncomingMessage, response: ServerResponse) =>
      `${request.method} ${request.url} ${response.statusCode}`,
    customSuccessObject: requestFields,
    customErrorObject: requestFields,
  };
  const stream =
    config.log.format === 'json'
      ? pino.destination({ dest: 1, sync: true })
      : pretty({ sync: true, colorize: Boolean(process.stdout.isTTY), messageKey: 'message', translateTime: 'SYS:HH:MM:ss.l' });
  return { pinoHttp: [options as never, stream] };
}

function contextFields(): Record<string, string> {
  const context = currentContext();
  if (!context) return {};
  const fields: Record<string, string> = { requestId: context.requestId };
  if (context.vimId) fields.vimid = context.vimId;
  if (context.runId) fields.jobRunId = context.runId;
  return fields;
}

function requestFields(request: IncomingMessage, response: ServerResponse, value: { responseTime?: number }) {
  return {
    requestId: requestIdOf(request as Request),
    method: request.method,
    url: request.url,
    status: response.statusCode,
    responseTime: value.responseTime,
  };
}
