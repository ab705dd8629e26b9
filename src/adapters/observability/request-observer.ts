import { randomUUID } from 'node:crypto';

import type { NextFunction, Request, Response } from 'express';

import { runInContext } from '../../application/jobs/request-context';
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

/**
 * Every inbound request: its id goes back in `X-ONAP-RequestID`, the rest of the request
 * runs in a context holding it (log lines and outbound calls read it there), and it is
 * counted and timed by route pattern, method and status when the answer ends.
 */
export function observeRequest(request: Request, response: Response, next: NextFunction): void {
  const requestId = requestIdOf(request);
  response.setHeader('X-ONAP-RequestID', requestId);
  const started = performance.now();
  response.once('close', () => {
    const route = typeof request.route?.path === 'string' ? request.route.path : 'unmatched';
    const labels = { route, method: request.method };
    metrics.httpRequests.inc({ ...labels, status: String(response.statusCode) });
    metrics.httpDuration.observe(labels, (performance.now() - started) / 1000);
  });
  runInContext({ requestId }, next);
}
