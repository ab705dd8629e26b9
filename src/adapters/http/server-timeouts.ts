import { Server } from 'node:http';

import { INestApplication } from '@nestjs/common';

import { AppConfig, appConfig } from '../../config/app.config';

/**
 * The listening server's timeouts. Node's whole-request deadline (`requestTimeout`,
 * 300 s) would cut a slow multi-GB image upload through the proxy with a 408: it is
 * off. What bounds a client instead: its headers must arrive within
 * HTTP_HEADERS_TIMEOUT_MS, a socket with no byte either way for HTTP_IDLE_TIMEOUT_MS
 * is closed, and an idle kept-alive socket is closed after HTTP_KEEPALIVE_TIMEOUT_MS
 * (longer than the usual clients' own idle time, so a client never sends on a socket
 * the server is closing at that instant: "socket hang up").
 */
export function applyServerTimeouts(app: INestApplication): void {
  const { server } = app.get<AppConfig>(appConfig.KEY).limits;
  const http = app.getHttpServer() as Server;
  http.requestTimeout = 0;
  http.headersTimeout = server.headersTimeoutMs;
  http.keepAliveTimeout = server.keepAliveTimeoutMs;
  http.setTimeout(server.idleTimeoutMs);
}
