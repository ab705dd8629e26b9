import { FakeJobStore } from '../../test/fakes/fake-job-store';
import { RegistrationNotFoundError } from '../domain/errors';
import { JobRecord } from '../domain/job-status';
import { VimId } from '../domain/vim-id';
import { GetRegistrationStatus } from './get-registration-status';

const VIM = 'Owner_Region';
const running: JobRecord = { kind: 'register', state: 'in-progress', code: 1, message: 'The registration is on progress', runId: 'r1', startedAt: 't0' };

describe('GetRegistrationStatus', () => {
  let store: FakeJobStore;
  let status: GetRegistrationStatus;

  beforeEach(() => {
    store = new FakeJobStore();
    status = new GetRegistrationStatus(store);
  });

  it('answers the latest job of a region as the store holds it', async () => {
    await store.claim(VIM, 'r1', 30_000);
    await store.save(VIM, running);
    expect(await status.execute(VimId.parse(VIM))).toEqual(running);
  });

  it('throws "not found" for a region no job ran for', async () => {
    await expect(status.execute(VimId.parse(VIM))).rejects.toEqual(new RegistrationNotFoundError(VIM));
  });

  it('shows a running job whose runner vanished as running: a live replica resumes it', async () => {
    store.seed(VIM, running);
    expect(await status.execute(VimId.parse(VIM))).toEqual(running);
  });
});
