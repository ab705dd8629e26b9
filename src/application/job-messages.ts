import { DomainError } from '../domain/errors';
import { JobCode } from '../domain/job-status';
import { RemoteCallError } from './ports/remote-call.error';

/** What went wrong, in one line an operator can act on. */
export function describeError(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/** The job code of a failure: the HTTP status of the remote call that failed, else 11. */
export function codeOf(error: unknown): number {
  if (error instanceof RemoteCallError && error.status !== undefined) return error.status;
  if (error instanceof DomainError) return JobCode.FAILURE;
  return JobCode.FAILURE;
}

/** Replaces every secret that could have slipped into a message. */
export function redact(message: string, secrets: Array<string | undefined>): string {
  return secrets
    .filter((secret): secret is string => typeof secret === 'string' && secret.length >= 3)
    .reduce((text, secret) => text.split(secret).join('***'), message);
}
