/** Waiting for a slot took longer than the caller's deadline allowed. */
export class SlotTimeoutError extends Error {
  readonly code = 'ESLOTTIMEOUT';
  constructor(waitedMs: number) {
    super(`no free slot within ${waitedMs} ms`);
    this.name = 'SlotTimeoutError';
  }
}

type Waiter = { start: () => void; leave: (error: unknown) => void };

/**
 * At most `max` calls at once; the rest wait in order. A waiting call leaves when its
 * signal aborts, or when its deadline (`deadlineAt`, epoch ms) passes.
 */
export class Limiter {
  private active = 0;
  private readonly waiting: Waiter[] = [];

  constructor(readonly max: number) {}

  /** No call holds a slot or waits for one. */
  get idle(): boolean {
    return this.active === 0 && this.waiting.length === 0;
  }

  async run<T>(work: () => Promise<T>, signal?: AbortSignal, deadlineAt?: number): Promise<T> {
    await this.acquire(signal, deadlineAt);
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private acquire(signal?: AbortSignal, deadlineAt?: number): Promise<void> {
    signal?.throwIfAborted();
    if (this.active < this.max) {
      this.active += 1;
      return Promise.resolve();
    }
    const queuedAt = Date.now();
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const entry: Waiter = {
        start: () => {
          done();
          resolve();
        },
        leave: (error) => {
          done();
          const at = this.waiting.indexOf(entry);
          if (at >= 0) this.waiting.splice(at, 1);
          reject(error);
        },
      };
      const onAbort = () => entry.leave(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (deadlineAt !== undefined) {
        timer = setTimeout(() => entry.leave(new SlotTimeoutError(Date.now() - queuedAt)), Math.max(0, deadlineAt - queuedAt));
      }
      this.waiting.push(entry);
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next.start();
    else this.active -= 1;
  }
}
