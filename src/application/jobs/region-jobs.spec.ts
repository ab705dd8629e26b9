import { FakeJobStore } from '../../../test/fakes/fake-job-store';
import { FakeLog } from '../../../test/fakes/fake-log';
import { testSettings } from '../../../test/fakes/settings';
import { JobCode, JobOutcome } from '../../domain/job-status';
import { currentSignal, pause } from './call-scope';
import { RegionJobs } from './region-jobs';
import { JobRequest } from '../ports/job-store.port';

const VIM = 'Owner_Region';
const register: JobRequest = { kind: 'register', vimId: VIM, apiVersion: 'v1' };
const unregister: JobRequest = { kind: 'unregister', vimId: VIM, apiVersion: 'v1' };

describe('RegionJobs', () => {
  let store: FakeJobStore;
  let runner: RegionJobs;
  let ran: string[];

  let log: FakeLog;

  function setUp(jobTimeoutMs = 10_000, registration: () => Promise<JobOutcome> = () => slow('registered')) {
    store = new FakeJobStore();
    log = new FakeLog();
    ran = [];
    runner = new RegionJobs(store, testSettings({ jobTimeoutMs }), log, {
      register: {
        run: async () => {
          ran.push('register');
          return registration();
        },
      },
      unregister: {
        run: async () => {
          ran.push('unregister');
          return { code: JobCode.SUCCESS, message: 'unregistered' };
        },
      },
    });
  }

  async function slow(message: string, ms = 60): Promise<JobOutcome> {
    await pause(ms);
    return { code: JobCode.SUCCESS, message };
  }

  it('records the job as running, then its outcome', async () => {
    setUp();
    expect(await runner.submit(register)).toBe('started');
    expect(await store.latest(VIM)).toMatchObject({ kind: 'register', state: 'in-progress', code: 1, message: 'The registration is on progress' });
    await runner.idle();
    expect(await store.latest(VIM)).toMatchObject({ state: 'succeeded', code: 0, message: 'registered' });
    expect(await store.isClaimed(VIM)).toBe(false);
  });

  it('absorbs a request of the same kind while one runs', async () => {
    setUp();
    await runner.submit(register);
    expect(await runner.submit(register)).toBe('already-running');
    await runner.idle();
    expect(ran).toEqual(['register']);
  });

  it('stops a running registration for a de-registration, then runs it', async () => {
    setUp(10_000, async () => {
      await pause(5_000);
      return { code: JobCode.SUCCESS, message: 'should not finish' };
    });
    await runner.submit(register);
    await pause(10);
    expect(await runner.submit(unregister)).toBe('queued');
    await runner.idle();
    expect(ran).toEqual(['register', 'unregister']);
    // The de-registration supersedes the stopped registration's record at once.
    expect(store.history.map((h) => [h.record.kind, h.record.state])).toEqual([
      ['register', 'in-progress'],
      ['unregister', 'in-progress'],
      ['unregister', 'succeeded'],
    ]);
    expect(log.lines).toContain(
      'info register job of Owner_Region ended (register job of Owner_Region failed: stopped by a de-registration request); the unregister asked meanwhile starts now',
    );
  });

  it('stops a job at its deadline', async () => {
    setUp(50, async () => {
      await pause(5_000);
      return { code: JobCode.SUCCESS, message: 'late' };
    });
    await runner.submit(register);
    await runner.idle();
    expect(await store.latest(VIM)).toMatchObject({ state: 'failed', code: 11 });
    expect((await store.latest(VIM))!.message).toContain('register job of Owner_Region failed');
  });

  it('runs the job with its abort signal in scope', async () => {
    let seen: AbortSignal | undefined;
    setUp(10_000, async () => {
      seen = currentSignal();
      return { code: 0, message: 'ok' };
    });
    await runner.submit(register);
    await runner.idle();
    expect(seen).toBeInstanceOf(AbortSignal);
  });

  it('starts a request queued just as the running job ended, instead of losing it', async () => {
    setUp();
    // Another replica's registration holds the claim and is about to end.
    await store.claim(VIM, 'other-run', 30_000);
    await store.save(VIM, { kind: 'register', state: 'in-progress', code: 1, message: '', runId: 'other-run', startedAt: '' });
    const latest = store.latest.bind(store);
    store.latest = async (vimId) => {
      const record = await latest(vimId);
      // It ends right after this read, before the request is queued.
      await store.save(VIM, { ...record!, state: 'succeeded', code: 0 });
      await store.releaseClaim(VIM, 'other-run');
      return record;
    };
    expect(await runner.submit(unregister)).toBe('queued');
    await runner.idle();
    expect(ran).toEqual(['unregister']);
    expect(await store.peekPending(VIM)).toBeUndefined();
  });

  it('on shutdown takes nothing new: the stopped job stays in progress and the queued request queued', async () => {
    setUp(10_000, () => slow('registered', 5_000));
    await runner.submit(register);
    await pause(10);
    await store.setPending(VIM, unregister);
    await runner.shutdown(1_000);
    expect(ran).toEqual(['register']);
    expect(await store.latest(VIM)).toMatchObject({ kind: 'register', state: 'in-progress', interruption: 'the service instance running it stopped' });
    expect(await store.peekPending(VIM)).toEqual(unregister);
    expect(await store.isClaimed(VIM)).toBe(false);
    expect(await store.openVimIds()).toEqual([VIM]);
    expect(await runner.submit(register)).toBe('queued');
    await runner.sweep();
    expect(ran).toEqual(['register']);
  });

  it('a sweep starts the request a vanished runner left queued', async () => {
    setUp();
    await store.claim(VIM, 'dead-run', 30_000);
    store.seed(VIM, { kind: 'register', state: 'in-progress', code: 1, message: '', runId: 'dead-run', startedAt: '' });
    await store.setPending(VIM, unregister);
    await runner.sweep();
    expect(ran).toEqual([]);
    store.forgetClaim(VIM);
    await runner.sweep();
    await runner.idle();
    expect(ran).toEqual(['unregister']);
    expect(await store.latest(VIM)).toMatchObject({ kind: 'unregister', state: 'succeeded' });
    await runner.sweep();
    expect(await store.openVimIds()).toEqual([]);
  });

  it('a sweep resumes an interrupted job with its request, at most 3 times, then fails it with the reason', async () => {
    setUp();
    const interrupted = { kind: 'register', state: 'in-progress', code: 1, message: '', runId: 'dead-run', startedAt: '', apiVersion: 'v0', project: 'demo' } as const;
    store.seed(VIM, { ...interrupted, resumes: 2 });
    await store.markOpen(VIM);
    await runner.sweep();
    await runner.idle();
    expect(ran).toEqual(['register']);
    expect(await store.latest(VIM)).toMatchObject({ state: 'succeeded', resumes: 3, apiVersion: 'v0', project: 'demo' });
    expect(log.lines).toContain('warn the register job of Owner_Region was interrupted (the service instance running it stopped); resuming it (3 of 3)');

    store.seed(VIM, { ...interrupted, resumes: 3, interruption: 'the service instance running it stopped' });
    await store.markOpen(VIM);
    await runner.sweep();
    await runner.idle();
    expect(ran).toEqual(['register']);
    expect(await store.latest(VIM)).toMatchObject({
      state: 'failed',
      code: 11,
      message: 'register job of Owner_Region failed: interrupted 4 times, the last time: the service instance running it stopped',
    });
    expect(await store.openVimIds()).toEqual([]);
  });

  it('fences a job that cannot renew its claim: it stops before the claim expires', async () => {
    let stoppedAfter = 0;
    const started = Date.now();
    setUp();
    runner = new RegionJobs(store, testSettings({ jobClaimTtlMs: 600 }), log, {
      register: {
        run: async () => {
          await pause(5_000).catch((error) => {
            stoppedAfter = Date.now() - started;
            throw error;
          });
          return { code: 0, message: 'late' };
        },
      },
      unregister: { run: async () => ({ code: 0, message: 'unregistered' }) },
    });
    store.renewClaim = async () => {
      throw new Error('Redis is not connected');
    };
    await runner.submit(register);
    await runner.idle();
    expect(stoppedAfter).toBeGreaterThanOrEqual(400);
    expect(stoppedAfter).toBeLessThan(600);
    expect(await store.latest(VIM)).toMatchObject({
      state: 'in-progress',
      interruption: expect.stringMatching(/^its claim on the region could not be renewed for \d+ ms \(the store is unreachable\)$/),
    });
  });

  it('never writes over the record of a run that took the claim meanwhile', async () => {
    setUp(10_000, () => slow('registered', 100));
    await runner.submit(register);
    store.forgetClaim(VIM);
    await store.claim(VIM, 'newer-run', 30_000);
    const newer = { kind: 'unregister', state: 'in-progress', code: 1, message: 'newer', runId: 'newer-run', startedAt: '' } as const;
    store.seed(VIM, newer);
    await runner.idle();
    expect(await store.latest(VIM)).toEqual(newer);
    expect(log.lines).toContain("warn register job of Owner_Region: its record was not written, the region's claim is no longer this run's");
  });

  it('drops a request left pending by a runner that vanished', async () => {
    setUp();
    await store.setPending(VIM, unregister);
    expect(await runner.submit(register)).toBe('started');
    await runner.idle();
    expect(ran).toEqual(['register']);
  });

  it.each(['markOpen', 'save'] as const)('keeps a queued request whose job could not write its first record (%s failed), and a later sweep runs it', async (method) => {
    setUp();
    // A DELETE answered 204 and queued by a replica that then died.
    await store.setPending(VIM, unregister);
    store.failNext(method);
    await runner.sweep();
    expect(ran).toEqual([]);
    expect(await store.peekPending(VIM)).toEqual(unregister);
    await runner.sweep();
    await runner.idle();
    expect(ran).toEqual(['unregister']);
    expect(await store.latest(VIM)).toMatchObject({ kind: 'unregister', state: 'succeeded' });
    expect(await store.peekPending(VIM)).toBeUndefined();
  });

  it('keeps the queued request a newer one would replace when the newer one cannot start', async () => {
    setUp();
    await store.setPending(VIM, unregister);
    store.failNext('save');
    await expect(runner.submit(register)).rejects.toThrow('the store is unreachable');
    expect(await store.peekPending(VIM)).toEqual(unregister);
    await runner.sweep();
    await runner.idle();
    expect(ran).toEqual(['unregister']);
  });

  it('a request queued while a queued one starts is not dropped with it', async () => {
    setUp(10_000, () => slow('registered', 100));
    await store.setPending(VIM, register);
    await runner.sweep();
    await store.setPending(VIM, unregister);
    await runner.idle();
    expect(ran).toEqual(['register', 'unregister']);
  });

  describe('drain (SIGTERM)', () => {
    it('lets a job that ends within the grace finish, and starts nothing queued behind it', async () => {
      setUp(10_000, () => slow('registered', 50));
      await runner.submit(register);
      const draining = runner.drain(2_000);
      // Another replica queues a request for the region meanwhile.
      const queued: JobRequest = { ...register, project: 'demo' };
      await store.setPending(VIM, queued);
      await draining;
      expect(ran).toEqual(['register']);
      expect(await store.latest(VIM)).toMatchObject({ kind: 'register', state: 'succeeded', message: 'registered' });
      expect(await store.peekPending(VIM)).toEqual(queued);
      expect(await store.isClaimed(VIM)).toBe(false);
    });

    it('stops a job still running after the grace and leaves it, marked interrupted, for another replica to resume', async () => {
      setUp(10_000, () => slow('registered', 5_000));
      await runner.submit({ ...register, requestId: 'req-1' });
      const started = Date.now();
      await runner.drain(100);
      expect(Date.now() - started).toBeGreaterThanOrEqual(100);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(await store.latest(VIM)).toMatchObject({
        kind: 'register',
        state: 'in-progress',
        code: 1,
        message: 'The registration is on progress',
        interruption: 'the service instance running it stopped',
      });
      expect(await store.peekPending(VIM)).toBeUndefined();
      expect(await store.isClaimed(VIM)).toBe(false);
      expect(log.lines).toContain(`warn register job of ${VIM} interrupted: the service instance running it stopped`);
    });
  });
});
