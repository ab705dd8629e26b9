import { AsyncLocalStorage } from 'node:async_hooks';
import { setMaxListeners } from 'node:events';

/**
 * The abort signal of the job or audit a remote call belongs to. Adapters read it,
 * so a stopped job stops its calls without every port method taking a signal.
 */
const scope = new AsyncLocalStorage<AbortSignal>();

export function runWithSignal<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  const outer = scope.getStore();
  const combined = outer ? AbortSignal.any([outer, signal]) : signal;
  // Every call in flight and every waiting one listens to it: no leak, just many.
  setMaxListeners(0, combined);
  return scope.run(combined, work);
}

export function currentSignal(): AbortSignal | undefined {
  return scope.getStore();
}

/**
 * Runs work shared by several callers (one Keystone sign-in) outside any one caller's
 * signal, so that one caller stopping does not fail the others.
 */
export function detached<T>(work: () => Promise<T>): Promise<T> {
  return scope.exit(work);
}

/** Waits for `promise`, or rejects as soon as the current scope is aborted. */
export function untilAborted<T>(promise: Promise<T>): Promise<T> {
  const signal = currentSignal();
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

export function throwIfAborted(): void {
  currentSignal()?.throwIfAborted();
}

/** Waits `ms`, or less if the current scope is aborted. */
export function pause(ms: number): Promise<void> {
  const signal = currentSignal();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
