import { Injectable } from '@nestjs/common';

import { AuditRegistryPort, AuditedRegion } from '../../application/ports/audit-registry.port';
import { AtomicStore } from './atomic-store';
import { LeasedHash } from './leased-hash';
import { storeKeys } from './store-keys';

/** The audited regions as a hash in the store; each region's lease a key with expiry. */
@Injectable()
export class AuditRegistryStore extends AuditRegistryPort {
  private readonly regions: LeasedHash<AuditedRegion>;

  constructor(private readonly atomic: AtomicStore) {
    super();
    this.regions = new LeasedHash(atomic, storeKeys.auditedRegions, storeKeys.auditLease);
  }

  async add(region: AuditedRegion): Promise<void> {
    await this.regions.add(region);
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

  tryLease(vimId: string, ms: number): Promise<{ won: boolean; retryInMs: number }> {
    return this.regions.tryLease(vimId, ms);
  }
}
