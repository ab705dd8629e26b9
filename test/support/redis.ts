import { createClient } from 'redis';

/** REDIS_URL as the test run was started with (the CI's second pass sets it). */
export const BASE_REDIS_URL = process.env.REDIS_URL;

/** Suites that need a shared store across app instances run only against Redis. */
export const describeWithRedis = BASE_REDIS_URL ? describe : describe.skip;

/** A Redis database of this Jest worker's own, so parallel suites never share keys. */
export function testRedisUrl(): string | undefined {
  if (!BASE_REDIS_URL) return undefined;
  const url = new URL(BASE_REDIS_URL);
  url.pathname = `/${1 + (Number(process.env.JEST_WORKER_ID ?? '1') % 15)}`;
  return url.toString();
}

function workerClient() {
  return createClient({ url: testRedisUrl() });
}

export async function withRedis<T>(work: (client: ReturnType<typeof workerClient>) => Promise<T>): Promise<T> {
  const client = workerClient();
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

/** Empties this worker's database (a no-op with the in-process store). */
export async function resetStore(): Promise<void> {
  if (!BASE_REDIS_URL) return;
  await withRedis((client) => client.flushDb());
}
