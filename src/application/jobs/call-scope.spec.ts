import { runWithSignal, untilAborted } from './call-scope';

/** Rejections Node saw nobody handle while `work` ran (and a few turns after). */
async function unhandledDuring(work: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', listener);
  try {
    await work();
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    process.off('unhandledRejection', listener);
  }
  return seen;
}

describe('untilAborted', () => {
  it('leaves no rejection unhandled when the scope is already aborted and the shared work fails later', async () => {
    const controller = new AbortController();
    controller.abort(new Error('job stopped'));
    const seen = await unhandledDuring(async () => {
      let fail!: (error: Error) => void;
      const shared = new Promise<void>((_, reject) => (fail = reject));
      await expect(runWithSignal(controller.signal, () => untilAborted(shared))).rejects.toThrow('job stopped');
      fail(new Error('Keystone sign-in failed'));
    });
    expect(seen).toEqual([]);
  });

  it('leaves no rejection unhandled when the scope aborts while waiting and the shared work fails later', async () => {
    const controller = new AbortController();
    const seen = await unhandledDuring(async () => {
      let fail!: (error: Error) => void;
      const shared = new Promise<void>((_, reject) => (fail = reject));
      const waiting = runWithSignal(controller.signal, () => untilAborted(shared));
      controller.abort(new Error('job stopped'));
      await expect(waiting).rejects.toThrow('job stopped');
      fail(new Error('Keystone sign-in failed'));
    });
    expect(seen).toEqual([]);
  });
});
