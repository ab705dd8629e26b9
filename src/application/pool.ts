export interface ItemFailure<T> {
  item: T;
  error: unknown;
}

/**
 * Runs `work` over `items`, at most `concurrency` at once, and returns the failures
 * instead of stopping at the first one.
 */
export async function forEachSettled<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<Array<ItemFailure<T>>> {
  const failures: Array<ItemFailure<T>> = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      try {
        await work(item);
      } catch (error) {
        failures.push({ item, error });
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker);
  await Promise.all(workers);
  return failures;
}
