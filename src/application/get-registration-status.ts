import { Injectable } from '@nestjs/common';

import { RegistrationNotFoundError } from '../domain/errors';
import { JobCode, JobRecord } from '../domain/job-status';
import { VimId } from '../domain/vim-id';
import { interruptedMessage } from './jobs/job-report';
import { JobStorePort } from './ports/job-store.port';

/** GET registry: the latest job of a region, as every replica sees it. */
@Injectable()
export class GetRegistrationStatus {
  constructor(private readonly store: JobStorePort) {}

  async execute(vimId: VimId): Promise<JobRecord> {
    const id = vimId.toString();
    const record = await this.store.latest(id);
    if (!record) throw new RegistrationNotFoundError(id);
    if (record.state === 'in-progress' && !(await this.store.isClaimed(id))) {
      // Ended between the two reads (its outcome is written before its claim goes)?
      const now = await this.store.latest(id);
      if (now && !(now.state === 'in-progress' && now.runId === record.runId)) return now;
      // Else the replica running it stopped before it could write an outcome.
      return { ...record, state: 'failed', code: JobCode.FAILURE, message: interruptedMessage(record.kind, id) };
    }
    return record;
  }
}
