import { CACHE_MANAGER, Cache } from '@nestjs/cache-manager';
import { Inject, Injectable } from '@nestjs/common';

import { CapacityStorePort } from '../../application/ports/capacity-store.port';
import { ZoneCapacity } from '../../domain/az-capacity';
import { AuditRecord } from '../../domain/capacity-freshness';
import { AtomicStore } from './atomic-store';
import { storeKeys } from './store-keys';

const TTL_MS = 24 * 3600 * 1000;

/**
 * `cap_azlist_{vimid}` → `["zone", …]` and `cap_{vimid}_{zone}` → the six figures, plain JSON;
 * `mcstx:azcap_hosts:{vimid}` → the audit record (per-host room, asOf, failedAt, Placement generations).
 */
@Injectable()
export class CacheCapacityStore extends CapacityStorePort {
  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    private readonly atomic: AtomicStore,
  ) {
    super();
  }

  async saveAudit(vimId: string, zones: ZoneCapacity[], record: AuditRecord): Promise<void> {
    const previous = await this.zoneNames(vimId);
    const names = zones.map((z) => z.zone);
    await Promise.all([
      ...zones.map((z) => this.cache.set(storeKeys.zone(vimId, z.zone), z.figures, TTL_MS)),
      this.cache.set(storeKeys.azList(vimId), names, TTL_MS),
      this.cache.set(storeKeys.azHosts(vimId), record, TTL_MS),
    ]);
    const gone = previous.filter((name) => !names.includes(name));
    if (gone.length) await this.cache.mdel(gone.map((name) => storeKeys.zone(vimId, name)));
  }

  async readAudit(vimId: string): Promise<AuditRecord | undefined> {
    this.atomic.assertAvailable();
    const record = await this.cache.get<AuditRecord>(storeKeys.azHosts(vimId));
    return record && typeof record.asOf === 'number' && Array.isArray(record.zones) ? record : undefined;
  }

  async markFailed(vimId: string, at: number): Promise<void> {
    const record = await this.readAudit(vimId);
    if (!record || record.failedAt !== undefined) return;
    const ttl = Math.max(1, record.asOf + TTL_MS - Date.now());
    await this.cache.set(storeKeys.azHosts(vimId), { ...record, failedAt: at }, ttl);
  }

  async dropRegion(vimId: string): Promise<void> {
    const names = await this.zoneNames(vimId);
    await this.cache.mdel([
      storeKeys.azList(vimId),
      storeKeys.azHosts(vimId),
      ...names.map((name) => storeKeys.zone(vimId, name)),
    ]);
  }

  private async zoneNames(vimId: string): Promise<string[]> {
    this.atomic.assertAvailable();
    const names = await this.cache.get<unknown>(storeKeys.azList(vimId));
    return Array.isArray(names) ? names.map(String) : [];
  }
}
