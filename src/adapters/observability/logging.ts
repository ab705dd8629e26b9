import { Params, PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import type PinoPretty from 'pino-pretty';

import { currentContext } from '../../application/jobs/request-context';
import { AppConfig } from '../../config/app.config';

/**
 * Log lines (SPEC section 10) through nestjs-pino: JSON (`LOG_FORMAT=json`) or text,
 * from `LOG_LEVEL` up, each with level, time, message, and the ONAP `RequestID`,
 * `InvocationID` and `PartnerName` and the vimid and jobRunId of the request, job or
 * audit it was written for. Nest's and the service's
 * lines go through nestjs-pino's Logger; the one line per answered request is written by
 * request-observer.ts (`logRequest`), so no per-request logger or second
 * AsyncLocalStorage is made: its middleware is applied to no route.
 */
export function loggerParams(config: AppConfig): Params {
  const options: pino.LoggerOptions = {
    level: config.log.level,
    messageKey: 'message',
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    mixin: contextFields,
  };
  const pretty = config.log.format === 'text' ? loadPretty() : undefined;
  const stream = pretty
    ? pretty({ sync: true, colorize: Boolean(process.stdout.isTTY), messageKey: 'message', translateTime: 'SYS:HH:MM:ss.l' })
    : // Written asynchronously: lines that come while a write is under way go out in the next one
      // (one write for many under load, at once when idle); pino writes what is left on exit.
      pino.destination({ dest: 1, sync: false, minLength: 0 });
  if (config.log.format === 'text' && !pretty) {
    pino(options, stream).warn('LOG_FORMAT=text needs pino-pretty (a development dependency), which is not installed: the log lines are JSON');
  }
  return { pinoHttp: [options as never, stream], forRoutes: [] };
}

/** pino-pretty, loaded only when text lines are asked for; undefined where it is not installed (a production install). */
function loadPretty(): typeof PinoPretty | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require('pino-pretty') as typeof PinoPretty & { default?: typeof PinoPretty };
    return loaded.default ?? loaded;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

/** The logger every line goes through (set by nestjs-pino once the module is configured). */
export function rootLogger(): pino.Logger | undefined {
  return PinoLogger.root as pino.Logger | undefined;
}

function contextFields(): Record<string, string> {
  const context = currentContext();
  if (!context) return {};
  const fields: Record<string, string> = { RequestID: context.requestId };
  if (context.invocationId) fields.InvocationID = context.invocationId;
  if (context.partnerName) fields.PartnerName = context.partnerName;
  if (context.vimId) fields.vimid = context.vimId;
  if (context.runId) fields.jobRunId = context.runId;
  return fields;
}
