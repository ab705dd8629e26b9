import { Injectable } from '@nestjs/common';

import { AuditRegistryPort, AuditedRegion } from '../../application/ports/audit-registry.port';
import { AtomicStore } from './atomic-store';
import { LeasedHash } from './leased-hash';
import { storeKeys } from './store-keys';

/** The audited regions as a hash in the store; each region's lease a key with expiry. */
@Injectable()
export class AuditRegistryStore extends AuditRegistryPort {
  private readonly regions: LeasedHash<AuditedRegion>;

  constructor(atomic: AtomicStore) {
    super();
    this.regions = new LeasedHash(atomic, storeKeys.auditedRegions, storeKeys.auditLease);
  }

  add(region: AuditedRegion): Promise<void> {
    return this.regions.add(region);
  }

  remove(vimId: string): Promise<void> {
    return this.regions.remove(vimId);
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
