import { INestApplication, Logger } from '@nestjs/common';
import express, { NextFunction, Request, Response } from 'express';

/** The routes whose bodies the service reads: registry (with or without `/registry`) and capacity_check. */
const BODY_ROUTE = /^\/api\/multicloud-starlingx\/(v0\/[^/]+|v1\/[^/]+\/[^/]+)(\/registry|\/capacity_check)?\/?$/;

const BODY_LIMIT = '1mb';

/**
 * Bodies are read as text, whatever their content type, and interpreted by the route:
 * registry POST and DELETE must never fail because of theirs (python-onapsdk sends a
 * form-encoded `defaultTenant=x` under a JSON content type, the ONAP CLI none), and
 * capacity_check parses its own JSON so that its errors carry `"result": false`.
 * Nothing else is read here: other bodies stay unread streams. Call before `init()`
 * on an app created with `bodyParser: false`.
 */
export function readRequestBodies(app: INestApplication): void {
  const logger = new Logger('RequestBody');
  app.use(express.text({ type: (request) => BODY_ROUTE.test(pathOf(request.url)), limit: BODY_LIMIT, defaultCharset: 'utf-8' }));
  app.use((error: HttpError, request: Request, response: Response, next: NextFunction) => {
    logger.warn(`${request.method} ${pathOf(request.url)}: body not read (${error.status ?? 400}: ${error.message})`);
    if (!request.path.endsWith('/capacity_check')) {
      // A registry request's body is optional: one that cannot be read is none.
      request.body = undefined;
      next();
      return;
    }
    response.status(error.status ?? 400).json({ result: false, error: `the body could not be read: ${error.message}` });
  });
}

interface HttpError extends Error {
  status?: number;
}

function pathOf(url: string | undefined): string {
  const end = (url ?? '').search(/[?#]/);
  return end < 0 ? (url ?? '') : (url ?? '').slice(0, end);
}

/** A body as JSON, or undefined when it is absent or not JSON. */
export function jsonOf(body: unknown): unknown {
  if (typeof body !== 'string' || body.trim() === '') return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/**
 * The `defaultTenant` a registry request carries, as JSON (`{"defaultTenant": "x"}`,
 * ESR) or form-encoded (`defaultTenant=x`, python-onapsdk, whatever its content type);
 * undefined when none can be read.
 */
export function defaultTenantOf(body: unknown): string | undefined {
  if (typeof body !== 'string') return undefined;
  const json = jsonOf(body);
  const value =
    json !== undefined
      ? typeof json === 'object' && json !== null && !Array.isArray(json)
        ? (json as Record<string, unknown>).defaultTenant
        : undefined
      : new URLSearchParams(body.trim()).get('defaultTenant');
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
