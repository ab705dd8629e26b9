import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { AuditRegistryPort, AuditedRegion } from '../../application/ports/audit-registry.port';
import { AtomicStore } from './atomic-store';
import { storeKeys } from './store-keys';

/** The audited regions as a hash in the store; each region's lease a key with expiry. */
@Injectable()
export class AuditRegistryStore extends AuditRegistryPort {
  private readonly holder = randomUUID();

  constructor(private readonly atomic: AtomicStore) {
    super();
  }

  async add(region: AuditedRegion): Promise<void> {
    await this.atomic.hashSet(storeKeys.auditedRegions, region.vimId, JSON.stringify(region));
    await this.clearNotFound(region.vimId);
  }

  async remove(vimId: string): Promise<void> {
    await this.atomic.hashDelete(storeKeys.auditedRegions, vimId);
    await this.clearNotFound(vimId);
  }

  countNotFound(vimId: string): Promise<number> {
    return this.atomic.hashIncrement(storeKeys.auditNotFound, vimId);
  }

  clearNotFound(vimId: string): Promise<void> {
    return this.atomic.hashDelete(storeKeys.auditNotFound, vimId);
  }

  async list(): Promise<AuditedRegion[]> {
    const entries = await this.atomic.hashGetAll(storeKeys.auditedRegions);
    return Object.values(entries).flatMap((value) => {
      try {
        return [JSON.parse(value) as AuditedRegion];
      } catch {
        return [];
      }
    });
  }

  has(vimId: string): Promise<boolean> {
    return this.atomic.hashHas(storeKeys.auditedRegions, vimId);
  }

  async tryLease(vimId: string, ms: number): Promise<{ won: boolean; retryInMs: number }> {
    const key = storeKeys.auditLease(vimId);
    if (await this.atomic.setIfAbsent(key, this.holder, ms)) return { won: true, retryInMs: ms };
    return { won: false, retryInMs: await this.atomic.remainingMs(key) };
  }
}
