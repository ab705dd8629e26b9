import { RedactorLimits } from '../application/jobs/redactor';
import { EnvReader } from './env.validation';

/**
 * The bounds on what hostile input or load can make the service hold: each cache,
 * queue and buffer has a count or byte limit here, read from the environment
 * (docs/hostile-input.md lists them).
 */
export interface Limits {
  redactor: RedactorLimits;
  /** The listening server (adapters/http/server-timeouts.ts). */
  server: { headersTimeoutMs: number; idleTimeoutMs: number; keepAliveTimeoutMs: number };
}

export function loadLimits(read: EnvReader): Limits {
  return {
    redactor: {
      tokens: read.int('REDACT_MAX_TOKENS', 2000, 1, 1_000_000),
      credentials: read.int('REDACT_MAX_CREDENTIALS', 10_000, 1, 1_000_000),
    },
    server: {
      headersTimeoutMs: read.int('HTTP_HEADERS_TIMEOUT_MS', 60_000, 1000),
      idleTimeoutMs: read.int('HTTP_IDLE_TIMEOUT_MS', 120_000, 1000),
      keepAliveTimeoutMs: read.int('HTTP_KEEPALIVE_TIMEOUT_MS', 65_000, 1000),
    },
  };
}
