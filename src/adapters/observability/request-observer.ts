import { randomUUID } from 'node:crypto';

import type { NextFunction, Request, Response } from 'express';

import { RequestContext, runInContext } from '../../application/jobs/request-context';
import { rootLogger } from './logging';
import { metrics } from './metrics';
import { SERVICE_NAME, plainHeader } from './onap-headers';

const ids = new WeakMap<Request, string>();

/** The request's id: its X-ONAP-RequestID, else X-RequestID, else X-TransactionID, else a new UUID. */
export function requestIdOf(request: Request): string {
  let id = ids.get(request);
  if (!id) {
    id = plainHeader(request, ['x-onap-requestid', 'x-requestid', 'x-transactionid']) ?? randomUUID();
    ids.set(request, id);
  }
  return id;
}

/** Probes and scrapes are counted but not logged. */
const UNLOGGED = /^\/(metrics|health)\b/;

/**
 * Every inbound request: its id goes back in `X-ONAP-RequestID`, the rest of the request
 * runs in a context holding it (log lines and outbound calls read it there), and when the
 * answer ends it is counted and timed by route pattern, method and status, and logged.
 */
export function observeRequest(request: Request, response: Response, next: NextFunction): void {
  const context: RequestContext = {
    requestId: requestIdOf(request),
    invocationId: plainHeader(request, ['x-invocationid']) ?? randomUUID(),
    partnerName: plainHeader(request, ['x-onap-partnername']) ?? 'UNKNOWN',
  };
  response.setHeader('X-ONAP-RequestID', context.requestId);
  const started = performance.now();
  response.once('close', () => {
    const elapsedMs = performance.now() - started;
    const route = typeof request.route?.path === 'string' ? request.route.path : 'unmatched';
    const labels = { route, method: request.method };
    metrics.httpRequests.inc({ ...labels, status: String(response.statusCode) });
    metrics.httpDuration.observe(labels, elapsedMs / 1000);
    logRequest(request, response, context, route, elapsedMs);
  });
  runInContext(context, next);
}

/** A logged URL is cut here (a hostile one may be 16 KB). */
const MAX_LOGGED_URL = 1024;

/**
 * A URL as logged: each query value masked (a caller may put a token or a password
 * there, as `?token=…`; the names stay), the whole cut at MAX_LOGGED_URL characters.
 */
export function loggedUrl(url: string): string {
  const at = url.indexOf('?');
  const masked =
    at < 0
      ? url
      : `${url.slice(0, at)}?${url
          .slice(at + 1)
          .split('&')
          .map((pair) => {
            const equals = pair.indexOf('=');
            return equals < 0 || equals === pair.length - 1 ? pair : `${pair.slice(0, equals)}=***`;
          })
          .join('&')}`;
  return masked.length > MAX_LOGGED_URL ? `${masked.slice(0, MAX_LOGGED_URL)}…` : masked;
}

/**
 * The request's one line, with ONAP's fields: RequestID, InvocationID, PartnerName, the
 * route as ServiceName, this service as TargetEntity, ResponseCode, ElapsedTime (ms);
 * then the region, method and URL as sent (query values masked, cut). Level by status.
 */
function logRequest(request: Request, response: Response, context: RequestContext, route: string, elapsedMs: number): void {
  if (UNLOGGED.test(request.originalUrl)) return;
  const url = loggedUrl(request.originalUrl);
  const status = response.statusCode;
  const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
  const logger = rootLogger();
  if (!logger?.isLevelEnabled(level)) return;
  logger[level](
    {
      RequestID: context.requestId,
      InvocationID: context.invocationId,
      PartnerName: context.partnerName,
      ServiceName: `${request.method} ${route}`,
      TargetEntity: SERVICE_NAME,
      ResponseCode: status,
      ElapsedTime: Math.round(elapsedMs),
      ...(context.vimId ? { vimid: context.vimId } : {}),
      method: request.method,
      url,
    },
    `${request.method} ${url} ${status}`,
  );
}
