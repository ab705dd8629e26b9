import { createClient } from 'redis';

import { AtomicStore, MemoryAtomicStore, RedisAtomicStore } from '../../src/adapters/store/atomic-store';
import { AuditRegistryStore } from '../../src/adapters/store/audit-registry.store';
import { SyncRegistryStore } from '../../src/adapters/store/sync-registry.store';
import { BASE_REDIS_URL, resetStore, testRedisUrl } from '../support/redis';

/**
 * The shared audit schedule in the store adapters themselves (Redis when the run has
 * REDIS_URL, else in-process): two registry instances on one store stand for two replicas.
 */
describe('the audit schedule in the store, shared by replicas', () => {
  let redis: ReturnType<typeof createClient> | undefined;
  let atomic: AtomicStore;
  const interval = () => 5_000;

  beforeEach(async () => {
    await resetStore();
    if (BASE_REDIS_URL) {
      redis = createClient({ url: testRedisUrl() });
      await redis.connect();
      atomic = new RedisAtomicStore(redis as never);
    } else {
      atomic = new MemoryAtomicStore();
    }
  });

  afterEach(async () => {
    await redis?.quit();
    redis = undefined;
  });

  it('hands out the due regions earliest due first, and each once per interval across replicas', async () => {
    const a = new AuditRegistryStore(atomic);
    const b = new AuditRegistryStore(atomic);
    const now = 1_000_000;
    await a.add({ vimId: 'Owner_Late', apiVersion: 'v1' }, now - 3_000);
    await a.add({ vimId: 'Owner_Later', apiVersion: 'v1' }, now - 4_000);
    await b.add({ vimId: 'Owner_Due', apiVersion: 'v1' }, now);
    await b.add({ vimId: 'Owner_NotYet', apiVersion: 'v0' }, now + 1);

    expect(await a.overdue(now - 500)).toEqual({ count: 2, earliestDueAt: now - 4_000 });
    const first = await a.takeDue(now, 2, interval);
    expect(first).toEqual([
      { region: { vimId: 'Owner_Later', apiVersion: 'v1' }, dueAt: now - 4_000 },
      { region: { vimId: 'Owner_Late', apiVersion: 'v1' }, dueAt: now - 3_000 },
    ]);
    expect((await b.takeDue(now, 10, interval)).map((taken) => taken.region.vimId)).toEqual(['Owner_Due']);
    // Everything due was taken, by one replica or the other: nothing more this interval (a
    // late region's next audit comes 0.9 of an interval after it was taken, an on-time one's an interval after it was due).
    expect(await a.takeDue(now + 4_499, 10, interval)).toEqual([{ region: { vimId: 'Owner_NotYet', apiVersion: 'v0' }, dueAt: now + 1 }]);
    expect(await b.takeDue(now + 4_499, 10, interval)).toEqual([]);
    expect(await b.nextDueAt()).toBe(now + 4_500);
    expect((await b.takeDue(now + 4_999, 10, interval)).map((taken) => taken.region.vimId)).toEqual(['Owner_Late', 'Owner_Later']);
    // The replica that is left takes the rest when due.
    expect((await b.takeDue(now + 5_000, 10, interval)).map((taken) => taken.region.vimId)).toEqual(['Owner_Due']);
    expect(await a.takeDue(now + 5_000, 10, interval)).toEqual([]);
  });

  it('drops a removed region from the schedule', async () => {
    const a = new AuditRegistryStore(atomic);
    await a.add({ vimId: 'Owner_Gone', apiVersion: 'v1' }, 0);
    await a.remove('Owner_Gone');
    expect(await a.takeDue(Date.now(), 10, interval)).toEqual([]);
    expect(await a.nextDueAt()).toBeUndefined();
  });

  it('syncs each region once per interval across replicas, and a POST restarts its clock', async () => {
    const a = new SyncRegistryStore(atomic);
    const b = new SyncRegistryStore(atomic);
    const now = 2_000_000;
    await a.add({ vimId: 'Owner_S', apiVersion: 'v1' }, now);
    expect(await a.takeDue(now, 100, 60_000)).toEqual([{ vimId: 'Owner_S', apiVersion: 'v1' }]);
    expect(await b.takeDue(now + 59_999, 100, 60_000)).toEqual([]);
    await b.add({ vimId: 'Owner_S', apiVersion: 'v1', project: 'p' }, now + 120_000);
    expect(await a.nextDueAt()).toBe(now + 120_000);
  });
});
