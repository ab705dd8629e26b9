import { Injectable } from '@nestjs/common';

import { AuditRegistryPort, AuditedRegion, DueAudit } from '../../application/ports/audit-registry.port';
import { AtomicStore } from './atomic-store';
import { ScheduledHash } from './scheduled-hash';
import { storeKeys } from './store-keys';

/** The audited regions as a hash in the store; their due times a sorted set beside it. */
@Injectable()
export class AuditRegistryStore extends AuditRegistryPort {
  private readonly regions: ScheduledHash<AuditedRegion>;

  constructor(private readonly atomic: AtomicStore) {
    super();
    this.regions = new ScheduledHash(atomic, storeKeys.auditedRegions, storeKeys.auditDue);
  }

  async add(region: AuditedRegion, dueAt: number): Promise<void> {
    await this.regions.add(region, dueAt);
    await this.clearNotFound(region.vimId);
  }

  async remove(vimId: string): Promise<void> {
    await this.regions.remove(vimId);
    await this.clearNotFound(vimId);
  }

  countNotFound(vimId: string): Promise<number> {
    return this.atomic.hashIncrement(storeKeys.auditNotFound, vimId);
  }

  clearNotFound(vimId: string): Promise<void> {
    return this.atomic.hashDelete(storeKeys.auditNotFound, vimId);
  }

  list(): Promise<AuditedRegion[]> {
    return this.regions.list();
  }

  has(vimId: string): Promise<boolean> {
    return this.regions.has(vimId);
  }

  async takeDue(now: number, limit: number, intervalOf: (region: AuditedRegion) => number): Promise<DueAudit[]> {
    return (await this.regions.takeDue(now, limit, intervalOf)).map(({ entry, dueAt }) => ({ region: entry, dueAt }));
  }

  nextDueAt(): Promise<number | undefined> {
    return this.regions.nextDueAt();
  }

  overdue(before: number): Promise<{ count: number; earliestDueAt?: number }> {
    return this.regions.overdue(before);
  }
}
