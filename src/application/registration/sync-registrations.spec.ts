import { FakeJobStore } from '../../../test/fakes/fake-job-store';
import { FakeLog } from '../../../test/fakes/fake-log';
import { testSettings } from '../../../test/fakes/settings';
import { MemoryAtomicStore } from '../../adapters/store/atomic-store';
import { SyncRegistryStore } from '../../adapters/store/sync-registry.store';
import { JobCode } from '../../domain/job-status';
import { RegionJobs } from '../jobs/region-jobs';
import { JobRequest } from '../ports/job-store.port';
import { SyncRegistrations } from './sync-registrations';

const INTERVAL = 1_000;

describe('SyncRegistrations', () => {
  let atomic: MemoryAtomicStore;
  let jobStore: FakeJobStore;
  let ran: JobRequest[];

  /** A replica: its own sync and job runner on the shared store. */
  function replica(intervalMs = INTERVAL): { sync: SyncRegistrations; jobs: RegionJobs } {
    const settings = testSettings({ registrySyncIntervalMs: intervalMs });
    const log = new FakeLog();
    const body = {
      run: async (request: JobRequest) => {
        ran.push(request);
        return request.vimId.endsWith('_Gone')
          ? { code: JobCode.REGION_NOT_FOUND, message: `Cloud Region not found in AAI: ${request.vimId}` }
          : { code: JobCode.SUCCESS, message: 'ok' };
      },
    };
    const jobs = new RegionJobs(jobStore, settings, log, { register: body, unregister: body });
    return { sync: new SyncRegistrations(new SyncRegistryStore(atomic), jobs, settings, log), jobs };
  }

  beforeEach(() => {
    atomic = new MemoryAtomicStore();
    jobStore = new FakeJobStore();
    ran = [];
  });

  it('syncs a followed region an interval after its POST, with its scope and the trigger sync', async () => {
    const { sync, jobs } = replica();
    const posted = Date.now();
    await sync.follow({ vimId: 'Owner_R', apiVersion: 'v1', project: 'demo' });
    expect(await sync.runDue(posted + INTERVAL / 2)).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, INTERVAL + 20));
    expect(await sync.runDue()).toBe(1);
    await jobs.idle();
    expect(ran).toEqual([{ kind: 'register', vimId: 'Owner_R', apiVersion: 'v1', project: 'demo', trigger: 'sync' }]);
    expect(await jobStore.latest('Owner_R')).toMatchObject({ kind: 'register', trigger: 'sync', state: 'succeeded' });
  });

  it('stops syncing a region whose registration found it not in A&AI (code 10)', async () => {
    const { sync, jobs } = replica(200);
    await jobs.submit({ kind: 'register', vimId: 'Owner_Gone', apiVersion: 'v1' });
    await sync.follow({ vimId: 'Owner_Gone', apiVersion: 'v1' });
    await sync.follow({ vimId: 'Owner_R', apiVersion: 'v1' });
    await jobs.idle();
    await new Promise((resolve) => setTimeout(resolve, 220));
    expect(await sync.runDue()).toBe(1);
    await jobs.idle();
    expect(ran.map((request) => `${request.vimId} ${request.trigger ?? 'api'}`)).toEqual(['Owner_Gone api', 'Owner_R sync']);
  });

  it('lets one of two replicas sync a region per interval', async () => {
    const a = replica(200);
    const b = replica(200);
    await a.sync.follow({ vimId: 'Owner_R', apiVersion: 'v1' });
    await new Promise((resolve) => setTimeout(resolve, 220));
    expect((await a.sync.runDue()) + (await b.sync.runDue())).toBe(1);
    expect((await a.sync.runDue()) + (await b.sync.runDue())).toBe(0);
  });

  it('syncs nothing after a DELETE, nor when the interval is 0', async () => {
    const { sync } = replica(200);
    await sync.follow({ vimId: 'Owner_R', apiVersion: 'v1' });
    await sync.forget('Owner_R');
    await new Promise((resolve) => setTimeout(resolve, 220));
    expect(await sync.runDue()).toBe(0);

    const off = replica(0);
    await off.sync.follow({ vimId: 'Owner_S', apiVersion: 'v1' });
    expect(await off.sync.runDue(Date.now() + 10 * INTERVAL)).toBe(0);
  });
});
