import { Injectable } from '@nestjs/common';

import { CapacityStorePort } from '../../application/ports/capacity-store.port';
import { ZoneCapacity } from '../../domain/az-capacity';
import { AuditRecord } from '../../domain/capacity-freshness';
import { AtomicStore } from './atomic-store';
import { storeKeys } from './store-keys';

const TTL_MS = 24 * 3600 * 1000;

/**
 * `cap_azlist_{vimid}` → `["zone", …]` and `cap_{vimid}_{zone}` → the six figures, plain JSON;
 * `mcstx:azcap_hosts:{vimid}` → the audit record (per-host room, asOf, failedAt, Placement generations).
 * A region's keys are written in one atomic step that first checks the region is still
 * audited, so an audit in flight never writes them back after a de-registration.
 */
@Injectable()
export class CacheCapacityStore extends CapacityStorePort {
  constructor(private readonly atomic: AtomicStore) {
    super();
  }

  async saveAudit(vimId: string, zones: ZoneCapacity[], record: AuditRecord): Promise<boolean> {
    const previous = await this.zoneNames(vimId);
    const names = zones.map((z) => z.zone);
    const entries: Array<[string, string]> = [
      ...zones.map((z): [string, string] => [storeKeys.zone(vimId, z.zone), JSON.stringify(z.figures)]),
      [storeKeys.azList(vimId), JSON.stringify(names)],
      [storeKeys.azHosts(vimId), JSON.stringify(record)],
    ];
    const gone = previous.filter((name) => !names.includes(name)).map((name) => storeKeys.zone(vimId, name));
    return this.atomic.putAllIfMember(storeKeys.auditedRegions, vimId, entries, TTL_MS, gone);
  }

  async readAudit(vimId: string): Promise<AuditRecord | undefined> {
    this.atomic.assertAvailable();
    const record = parseJson(await this.atomic.read(storeKeys.azHosts(vimId))) as AuditRecord | undefined;
    return record && typeof record.asOf === 'number' && Array.isArray(record.zones) ? record : undefined;
  }

  async markFailed(vimId: string, at: number): Promise<void> {
    const record = await this.readAudit(vimId);
    if (!record || record.failedAt !== undefined) return;
    const ttl = Math.max(1, record.asOf + TTL_MS - Date.now());
    const entry: [string, string] = [storeKeys.azHosts(vimId), JSON.stringify({ ...record, failedAt: at })];
    await this.atomic.putAllIfMember(storeKeys.auditedRegions, vimId, [entry], ttl, []);
  }

  async dropRegion(vimId: string): Promise<void> {
    const names = await this.zoneNames(vimId);
    await this.atomic.deleteKeys([storeKeys.azList(vimId), storeKeys.azHosts(vimId), ...names.map((name) => storeKeys.zone(vimId, name))]);
  }

  private async zoneNames(vimId: string): Promise<string[]> {
    this.atomic.assertAvailable();
    const names = parseJson(await this.atomic.read(storeKeys.azList(vimId)));
    return Array.isArray(names) ? names.map(String) : [];
  }
}

function parseJson(value: string | undefined): unknown {
  if (!value) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}
