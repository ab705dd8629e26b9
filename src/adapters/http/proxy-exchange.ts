import { pipeline } from 'node:stream/promises';

import type { Request, Response } from 'express';

import { FrontAnswer } from '../../application/keystone-front';
import { ApiVersion } from '../../domain/cloud-region';
import { InvalidRequestError } from '../../domain/errors';
import { VimId } from '../../domain/vim-id';
import { API_PREFIX } from './region-ref.decorator';

const PREFIX = `/${API_PREFIX}/`;
const MAX_SIGN_IN_BYTES = 1024 * 1024;
/** A Keystone body nests 5 levels; one nested deeper is refused before it is parsed (its copy would overflow the stack). */
const MAX_SIGN_IN_DEPTH = 32;

/** A proxied call as it arrived: its region, service type, rest of the path and query. */
export interface Target {
  vimId: VimId;
  apiVersion: ApiVersion;
  service: string;
  /** After `{service}/`, still URL-encoded. */
  path: string;
  query: string;
}

/** The region, service type and rest of a proxied URL, from the URL as it arrived. */
export function parseTarget(originalUrl: string): Target | undefined {
  const query = queryOf(originalUrl);
  const rawPath = originalUrl.slice(0, originalUrl.length - query.length);
  const at = rawPath.indexOf(PREFIX);
  if (at < 0) return undefined;
  const segments = rawPath.slice(at + PREFIX.length).split('/');
  const apiVersion = segments[0] as ApiVersion;
  const regionParts = apiVersion === 'v0' ? 1 : 2;
  const [service, ...rest] = segments.slice(1 + regionParts);
  if (!service) return undefined;
  const ids = segments.slice(1, 1 + regionParts).map(decoded);
  const vimId = apiVersion === 'v0' ? VimId.parse(ids[0]) : VimId.of(ids[0], ids[1]);
  return { vimId, apiVersion, service: decoded(service), path: rest.join('/'), query };
}

/** `?…` as it arrived, or `''`. */
export function queryOf(originalUrl: string): string {
  const queryAt = originalUrl.indexOf('?');
  return queryAt < 0 ? '' : originalUrl.slice(queryAt);
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new InvalidRequestError(`the path is not well encoded: ${segment}`);
  }
}

/** The body to pass on: as it arrives, or re-encoded if a parser has read it (none does on these routes). */
export function requestBody(req: Request): Buffer | Request | undefined {
  if (parsedByExpress(req)) {
    const body =
      (req as Request & { rawBody?: Buffer }).rawBody ??
      Buffer.from(req.is('json') ? JSON.stringify(req.body) : new URLSearchParams(req.body as Record<string, string>).toString());
    req.headers['content-length'] = String(body.length);
    delete req.headers['transfer-encoding'];
    return body;
  }
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  return hasBody ? req : undefined;
}

/** A body parser has read the body (Express sets `req.body` only then). */
function parsedByExpress(req: Request): boolean {
  return req.body !== undefined;
}

/** A sign-in body: read by Express's JSON parser, else here (bounded); not JSON is a 400. */
export async function jsonBody(req: Request): Promise<unknown> {
  if (parsedByExpress(req)) return req.body;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_SIGN_IN_BYTES) {
      // The rest of the body stays unread: the connection cannot carry another request
      // (a client reusing it would wait for an answer forever).
      req.res?.setHeader('Connection', 'close');
      throw new InvalidRequestError('the request body is too large');
    }
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  if (nestingDepth(text) > MAX_SIGN_IN_DEPTH) throw new InvalidRequestError(`the request body nests deeper than ${MAX_SIGN_IN_DEPTH} levels`);
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidRequestError('the request body is not JSON');
  }
}

/** How deep a JSON text nests its arrays and objects (brackets inside strings do not count); one pass. */
export function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let at = 0; at < text.length; at++) {
    const char = text[at];
    if (inString) {
      if (char === '\\') at++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '[' || char === '{') deepest = Math.max(deepest, ++depth);
    else if (char === ']' || char === '}') depth--;
  }
  return deepest;
}

export async function send(res: Response, method: string, answer: FrontAnswer): Promise<void> {
  res.status(answer.status);
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  const { body } = answer;
  if (method === 'HEAD' || !body) {
    res.end();
    if (body && !Buffer.isBuffer(body)) body.destroy();
    return;
  }
  if (Buffer.isBuffer(body)) {
    res.setHeader('content-length', String(body.length));
    res.end(body);
    return;
  }
  try {
    await pipeline(body, res);
  } catch {
    // The caller or the service went away mid-body: both sides are closed already.
    res.destroy();
  }
}
