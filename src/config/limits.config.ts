import { RedactorLimits } from '../application/jobs/redactor';
import { EnvReader } from './env.validation';

/**
 * The bounds on what hostile input or load can make the service hold: each cache,
 * queue and buffer has a count or byte limit here, read from the environment
 * (docs/hostile-input.md lists them).
 */
export interface Limits {
  redactor: RedactorLimits;
}

export function loadLimits(read: EnvReader): Limits {
  return {
    redactor: {
      tokens: read.int('REDACT_MAX_TOKENS', 2000, 1, 1_000_000),
      credentials: read.int('REDACT_MAX_CREDENTIALS', 10_000, 1, 1_000_000),
    },
  };
}
