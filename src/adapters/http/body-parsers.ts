import type { INestApplication } from '@nestjs/common';
import { json, urlencoded } from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

import { isProxyPath } from './cloud-proxy.controller';

/**
 * Express's JSON and form parsers for every route but the proxy's, whose bodies go on
 * as they arrive (an image upload, a Heat template past the parsers' 100 kB limit).
 * Registered under the names Nest looks for, so Nest does not add its own. Call it
 * before `init()`/`listen()`; without it the proxy still works, re-encoding the JSON
 * bodies the parsers read.
 */
export function useBodyParsers(app: INestApplication): void {
  const skipProxy = (parser: RequestHandler) => (req: Request, res: Response, next: NextFunction) =>
    isProxyPath(req.path) ? next() : parser(req, res, next);
  const jsonBodies = skipProxy(json());
  const formBodies = skipProxy(urlencoded({ extended: true }));
  app.use(function jsonParser(req: Request, res: Response, next: NextFunction) {
    jsonBodies(req, res, next);
  });
  app.use(function urlencodedParser(req: Request, res: Response, next: NextFunction) {
    formBodies(req, res, next);
  });
}
