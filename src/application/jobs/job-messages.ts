import { JobCode } from '../../domain/job-status';
import { RemoteCallError, WriteFailedError } from '../ports/remote-call.error';

/** Whether an error is an AbortSignal.timeout firing (a DOMException, not always an Error). */
export function isTimeout(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: string }).name === 'TimeoutError';
}

/** What went wrong, in one line an operator can act on. */
export function describeError(error: unknown): string {
  if (isTimeout(error)) return 'timed out';
  if (error && typeof error === 'object' && 'message' in error) {
    const { message, name } = error as { message?: string; name?: string };
    return message || name || 'failed';
  }
  return String(error);
}

/** The job code of a failure: the HTTP status of the remote call that failed, else 11. */
export function codeOf(error: unknown): number {
  return (error instanceof RemoteCallError || error instanceof WriteFailedError) && error.status !== undefined ? error.status : JobCode.FAILURE;
}
