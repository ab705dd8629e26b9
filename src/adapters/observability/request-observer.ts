import { randomUUID } from 'node:crypto';

import type { NextFunction, Request, Response } from 'express';

import { RequestContext, runInContext } from '../../application/jobs/request-context';
import { rootLogger } from './logging';
import { metrics } from './metrics';

const ids = new WeakMap<Request, string>();
/** An inbound id is taken as is only if it is a plain token (it goes into every log line). */
const PLAIN_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request's id: its X-ONAP-RequestID, else its X-TransactionId, else a new UUID. */
export function requestIdOf(request: Request): string {
  let id = ids.get(request);
  if (!id) {
    const inbound = [request.headers['x-onap-requestid'], request.headers['x-transactionid']]
      .map((value) => (Array.isArray(value) ? value[0] : value))
      .find((value) => value !== undefined && PLAIN_ID.test(value));
    id = inbound ?? randomUUID();
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
  const context: RequestContext = { requestId: requestIdOf(request) };
  response.setHeader('X-ONAP-RequestID', context.requestId);
  const started = performance.now();
  response.once('close', () => {
    const elapsedMs = performance.now() - started;
    const route = typeof request.route?.path === 'string' ? request.route.path : 'unmatched';
    const labels = { route, method: request.method };
    metrics.httpRequests.inc({ ...labels, status: String(response.statusCode) });
    metrics.httpDuration.observe(labels, elapsedMs / 1000);
    logRequest(request, response, context, elapsedMs);
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

/** The request's one line: its id, region, method, URL as sent, status and time; level by status. */
function logRequest(request: Request, response: Response, context: RequestContext, elapsedMs: number): void {
  if (UNLOGGED.test(request.originalUrl)) return;
  const url = loggedUrl(request.originalUrl);
  const status = response.statusCode;
  const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
  const logger = rootLogger();
  if (!logger?.isLevelEnabled(level)) return;
  const fields = { requestId: context.requestId, ...(context.vimId ? { vimid: context.vimId } : {}) };
  logger[level]({ ...fields, method: request.method, url, status, responseTime: Math.round(elapsedMs) }, `${request.method} ${url} ${status}`);
}
