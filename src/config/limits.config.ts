import { RedactorLimits } from '../application/jobs/redactor';
import { RequestLimits } from '../application/ports/request-limits.port';
import { EnvReader } from './env.validation';

/**
 * The bounds on what hostile input or load can make the service hold: each cache,
 * queue and buffer has a count or byte limit here, read from the environment
 * (docs/hostile-input.md lists them).
 */
export interface Limits {
  redactor: RedactorLimits;
  /** What one API request may cost (application/ports/request-limits.port.ts). */
  requests: RequestLimits;
  /** Keystone sign-ins refused, answered again without a call for a while (adapters/openstack/keystone-auth.ts). */
  refusedScopes: RefusedScopeLimits;
  /** One paged OpenStack list: pages are read until this many bytes in all (HTTP_MAX_LIST_BYTES). */
  maxListBytes: number;
  /** The listening server (adapters/http/server-timeouts.ts). */
  server: { headersTimeoutMs: number; idleTimeoutMs: number; keepAliveTimeoutMs: number };
}

/** Scopes Keystone refused, remembered (KEYSTONE_REFUSED_SCOPES, KEYSTONE_REFUSED_SCOPE_TTL_MS); 0 in either: none. */
export interface RefusedScopeLimits {
  count: number;
  ttlMs: number;
}

export function loadLimits(read: EnvReader): Limits {
  return {
    redactor: {
      tokens: read.int('REDACT_MAX_TOKENS', 2000, 1, 1_000_000),
      credentials: read.int('REDACT_MAX_CREDENTIALS', 10_000, 1, 1_000_000),
    },
    requests: {
      planTimeoutMs: read.int('PLAN_TIMEOUT_MS', 60_000, 100),
      rewriteMaxBytes: read.int('PROXY_REWRITE_MAX_BYTES', 4 * 1024 * 1024, 0, 1024 * 1024 * 1024),
      rewriteConcurrency: read.int('PROXY_REWRITE_CONCURRENCY', 4, 1, 1024),
    },
    refusedScopes: {
      count: read.int('KEYSTONE_REFUSED_SCOPES', 1000, 0, 1_000_000),
      ttlMs: read.int('KEYSTONE_REFUSED_SCOPE_TTL_MS', 60_000, 0),
    },
    maxListBytes: read.int('HTTP_MAX_LIST_BYTES', 256 * 1024 * 1024, 1024),
    server: {
      headersTimeoutMs: read.int('HTTP_HEADERS_TIMEOUT_MS', 60_000, 1000),
      idleTimeoutMs: read.int('HTTP_IDLE_TIMEOUT_MS', 120_000, 1000),
      keepAliveTimeoutMs: read.int('HTTP_KEEPALIVE_TIMEOUT_MS', 65_000, 1000),
    },
  };
}
