import { createClient } from 'redis';

import { AuditRegistryStore } from '../../src/adapters/store/audit-registry.store';
import { AtomicStore, MemoryAtomicStore, RedisAtomicStore } from '../../src/adapters/store/atomic-store';
import { CacheCapacityStore } from '../../src/adapters/store/cache-capacity.store';
import { AuditAzCapacity } from '../../src/application/audit-az-capacity';
import { TaskBudget } from '../../src/application/jobs/task-budget';
import { CloudRegionReader } from '../../src/application/registration/cloud-region-reader';
import { UnregisterCloudRegion } from '../../src/application/unregister-cloud-region';
import { VimId } from '../../src/domain/vim-id';
import { FakeAai } from '../fakes/fake-aai';
import { FakeLog } from '../fakes/fake-log';
import { FakeOpenStack } from '../fakes/fake-openstack';
import { FakeK8sConnectivity } from '../fakes/fake-stores';
import { testSettings } from '../fakes/settings';
import { BASE_REDIS_URL, resetStore, testRedisUrl } from '../support/redis';

const VIM = 'Owner_Raced';

/**
 * The store adapters themselves (Redis when the run has REDIS_URL, else in-process),
 * with an audit in flight when a de-registration lands right after the audit checked
 * that its region is still audited.
 */
describe('an audit in flight against a de-registration', () => {
  let redis: ReturnType<typeof createClient> | undefined;
  let atomic: AtomicStore;

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
    await redis?.close();
    redis = undefined;
  });

  it('leaves no cap_* key behind', async () => {
    const settings = testSettings();
    const aai = new FakeAai();
    const reader = new CloudRegionReader(aai, settings);
    const registry = new AuditRegistryStore(atomic);
    const capacity = new CacheCapacityStore(atomic);
    const unregistration = new UnregisterCloudRegion(aai, reader, registry, capacity, new FakeK8sConnectivity(), new TaskBudget(settings));
    const openstack = new FakeOpenStack();
    const audit = new AuditAzCapacity(registry, capacity, reader, openstack, settings, new FakeLog());

    await registry.add({ vimId: VIM, apiVersion: 'v1' }, Date.now());
    const old = { zone: 'old', figures: {} as never, hosts: [], unmatchedHosts: [] };
    expect(await capacity.saveAudit(VIM, [old], { source: 'hypervisors', asOf: Date.now(), intervalMs: 5_000, zones: [] })).toBe(true);
    // The de-registration runs whole while the audit's cloud reads are in flight: the
    // audit then has its figures and nothing left to ask before it saves them.
    const listHypervisors = openstack.listHypervisors.bind(openstack);
    openstack.listHypervisors = async (...args) => {
      const answer = await listHypervisors(...args);
      await unregistration.run({ kind: 'unregister', vimId: VIM, apiVersion: 'v1' });
      return answer;
    };

    const report = await audit.auditWithSession(VimId.parse(VIM), { project: { id: 'p', name: 'p' } } as never, 'RegionOne', 5_000);
    expect(report.zones.map((zone) => zone.zone)).toEqual(['nova']);
    expect(await capacity.readAudit(VIM)).toBeUndefined();
    expect(await registry.has(VIM)).toBe(false);
    if (redis) expect(await redis.keys('*Raced*')).toEqual([]);
  });
});
