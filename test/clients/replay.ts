import { Server } from 'node:http';

import request from 'supertest';

/** One request exactly as a client sends it (after the MultiCloud broker rewrote its path). */
export interface ClientRequest {
  method: 'POST' | 'DELETE' | 'GET';
  path: string;
  headers: Record<string, string>;
  /** The body's bytes as the client puts them on the wire; absent: no body at all. */
  body?: string | Buffer;
}

/** Sends it to the app unchanged: no content type or encoding added by the test client. */
export function replay(http: Server, sent: ClientRequest): request.Test {
  const call = request(http)[sent.method.toLowerCase() as 'post' | 'delete' | 'get'](sent.path);
  for (const [name, value] of Object.entries(sent.headers)) call.set(name, value);
  if (sent.body !== undefined) {
    // The bytes as they are: superagent would otherwise serialize a Buffer as JSON.
    call.serialize((body: unknown) => body as string).send(Buffer.isBuffer(sent.body) ? sent.body : Buffer.from(sent.body, 'utf8'));
  }
  return call;
}
