import { Injectable } from '@nestjs/common';

import { RegistrationNotFoundError } from '../domain/errors';
import { JobRecord } from '../domain/job-status';
import { VimId } from '../domain/vim-id';
import { JobStorePort } from './ports/job-store.port';

/**
 * GET registry: the latest job of a region, as every replica sees it. A job whose
 * replica died or stopped shows as running: a live replica resumes it (RegionJobs.sweep).
 */
@Injectable()
export class GetRegistrationStatus {
  constructor(private readonly store: JobStorePort) {}

  async execute(vimId: VimId): Promise<JobRecord> {
    const id = vimId.toString();
    const record = await this.store.latest(id);
    if (!record) throw new RegistrationNotFoundError(id);
    return record;
  }
}
