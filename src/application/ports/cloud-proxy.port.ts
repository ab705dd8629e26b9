import { Readable } from 'node:stream';

/** A cloud's TLS trust, from its esr-system-info. */
export interface CloudTls {
  caCert?: string;
  insecure: boolean;
}

/** One call the proxy makes on a caller's behalf. */
export interface ProxyCall {
  method: string;
  url: string;
  headers: Record<string, string | string[]>;
  /** A stream is passed on as it arrives (never held whole). */
  body?: Readable | Buffer;
  tls: CloudTls;
  /** Aborts the call (the caller went away). */
  signal?: AbortSignal;
}

export interface ProxyAnswer {
  status: number;
  headers: Record<string, string | string[]>;
  /** Read as it arrives. */
  body: Readable;
}

/**
 * Calls to a cloud's Keystone and services with the caller's own token, bodies
 * streamed both ways. A connection failure or timeout throws UpstreamUnreachableError;
 * any HTTP status is an answer.
 */
export abstract class CloudProxyPort {
  abstract send(call: ProxyCall): Promise<ProxyAnswer>;
}
