import { AsyncLocalStorage } from 'node:async_hooks';
import { setMaxListeners } from 'node:events';

import type { RequestContext } from './request-context';

/**
 * What a remote call belongs to: the abort signal of its job or audit (adapters read
 * it, so a stopped job stops its calls without every port method taking a signal),
 * where its warnings go, and who it is for (request-context.ts). One AsyncLocalStorage
 * for all three: each one more costs every promise the service makes.
 */
interface Scope {
  signal?: AbortSignal;
  warnings?: string[];
  context?: RequestContext;
  /** Reads shared by everything under one `shareReads` (a job's regions): by owner, then by name. */
  shared?: WeakMap<object, Map<string, Promise<unknown>>>;
}

const scope = new AsyncLocalStorage<Scope>();

/** Runs `work` in the current scope with `patch` applied (request-context.ts sets `context`). */
export function runInScope<T>(patch: Scope, work: () => T): T {
  return scope.run({ ...scope.getStore(), ...patch }, work);
}

export function currentScope(): Scope | undefined {
  return scope.getStore();
}

export function runWithSignal<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  const outer = scope.getStore();
  const combined = outer?.signal ? AbortSignal.any([outer.signal, signal]) : signal;
  // Every call in flight and every waiting one listens to it: no leak, just many.
  setMaxListeners(0, combined);
  return scope.run({ ...outer, signal: combined }, work);
}

/**
 * Runs `work` so that reads made through `sharedRead` under it happen once (a job's
 * subclouds share one Keystone project list instead of reading it once per region).
 */
export function shareReads<T>(work: () => T): T {
  return scope.run({ ...scope.getStore(), shared: new WeakMap() }, work);
}

/** `read` once per `owner` and `name` under the current `shareReads`; every time outside one. */
export function sharedRead<T>(owner: object, name: string, read: () => Promise<T>): Promise<T> {
  const shared = scope.getStore()?.shared;
  if (!shared) return read();
  let reads = shared.get(owner);
  if (!reads) shared.set(owner, (reads = new Map()));
  let promise = reads.get(name) as Promise<T> | undefined;
  if (!promise) reads.set(name, (promise = read()));
  return promise;
}

/** Whether reads are shared here (a job's regions): an adapter may then read more at once and keep the rest. */
export function sharingReads(): boolean {
  return scope.getStore()?.shared !== undefined;
}

/** Keeps `value` for one `takeRead` of `owner` and `name` under the current `shareReads` (nothing outside one). */
export function keepRead<T>(owner: object, name: string, value: T): void {
  const shared = scope.getStore()?.shared;
  if (!shared) return;
  let reads = shared.get(owner);
  if (!reads) shared.set(owner, (reads = new Map()));
  reads.set(`kept ${name}`, Promise.resolve(value));
}

/** What `keepRead` kept, once: a second take (after the job's writes) reads afresh. */
export function takeRead<T>(owner: object, name: string): Promise<T> | undefined {
  const reads = scope.getStore()?.shared?.get(owner);
  const kept = reads?.get(`kept ${name}`) as Promise<T> | undefined;
  reads?.delete(`kept ${name}`);
  return kept;
}

/** Runs `work`, collecting what adapters report with `reportWarning` (e.g. a list cut at its page cap). */
export async function collectWarnings<T>(work: () => Promise<T>): Promise<{ value: T; warnings: string[] }> {
  const collected: string[] = [];
  const value = await scope.run({ ...scope.getStore(), warnings: collected }, work);
  return { value, warnings: [...new Set(collected)] };
}

/** A warning for the status of the job (or request) this call belongs to; dropped outside one. */
export function reportWarning(message: string): void {
  scope.getStore()?.warnings?.push(message);
}

export function currentSignal(): AbortSignal | undefined {
  return scope.getStore()?.signal;
}

/**
 * Work shared by several callers under all their signals: each caller waits with
 * `join()` under its own; the work itself is stopped once every caller that joined
 * has stopped (a caller without a signal keeps it running to its end).
 */
export class SharedWork<T> {
  readonly promise: Promise<T>;
  private readonly controller = new AbortController();
  private waiting = 0;
  private unbounded = false;

  constructor(work: () => Promise<T>) {
    // Its own signal only (no caller's), but still for whom it was started (log lines, request id).
    this.promise = scope.run({ signal: this.controller.signal, context: scope.getStore()?.context }, work);
    this.promise.catch(() => undefined);
  }

  join(): Promise<T> {
    const signal = currentSignal();
    if (!signal) {
      this.unbounded = true;
      return this.promise;
    }
    this.waiting += 1;
    const leave = () => {
      this.waiting -= 1;
      if (this.waiting === 0 && !this.unbounded) this.controller.abort(signal.reason);
    };
    if (signal.aborted) {
      leave();
      return Promise.reject(signal.reason);
    }
    signal.addEventListener('abort', leave, { once: true });
    const stopListening = () => signal.removeEventListener('abort', leave);
    this.promise.then(stopListening, stopListening);
    return untilAborted(this.promise);
  }
}

/**
 * Waits for `promise`, or rejects as soon as the current scope is aborted. The shared
 * `promise` is always marked handled: a caller that stopped waiting must not leave its
 * later failure unhandled (Node would exit).
 */
export function untilAborted<T>(promise: Promise<T>): Promise<T> {
  const signal = currentSignal();
  if (!signal) return promise;
  promise.catch(() => undefined);
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
