import { Injectable } from '@nestjs/common';

import { CapacityStorePort } from '../../application/ports/capacity-store.port';
import { ZoneCapacity } from '../../domain/az-capacity';
import { AuditMark, AuditRecord } from '../../domain/capacity-freshness';
import { AtomicStore } from './atomic-store';
import { storeKeys } from './store-keys';

const TTL_MS = 24 * 3600 * 1000;

/**
 * `cap_azlist_{vimid}` → `["zone", …]` and `cap_{vimid}_{zone}` → the six figures, plain JSON;
 * `mcstx:azcap_hosts:{vimid}` → the audit record (per-host room, Placement generations);
 * `mcstx:azcap_mark:{vimid}` → its mark (asOf, failedAt, the digest of its inputs), the
 * only key an audit that read nothing new writes. A region's keys are written in one
 * atomic step that first checks the region is still audited (or, for a mark alone, that
 * the mark is the one read), so an audit in flight never writes them back after a
 * de-registration.
 */
@Injectable()
export class CacheCapacityStore extends CapacityStorePort {
  constructor(private readonly atomic: AtomicStore) {
    super();
  }

  async saveAudit(vimId: string, zones: ZoneCapacity[], record: AuditRecord, inputs?: string): Promise<boolean> {
    const previous = await this.zoneNames(vimId);
    const names = zones.map((z) => z.zone);
    const { failedAt: _failed, ...whole } = record;
    const entries: Array<[string, string]> = [
      ...zones.map((z): [string, string] => [storeKeys.zone(vimId, z.zone), JSON.stringify(z.figures)]),
      [storeKeys.azList(vimId), JSON.stringify(names)],
      [storeKeys.azHosts(vimId), JSON.stringify(whole)],
      [storeKeys.azMark(vimId), markText({ asOf: record.asOf, ...(inputs ? { inputs } : {}), savedAt: record.asOf })],
    ];
    const gone = previous.filter((name) => !names.includes(name)).map((name) => storeKeys.zone(vimId, name));
    return this.atomic.putAllIfMember(storeKeys.auditedRegions, vimId, entries, TTL_MS, gone);
  }

  async readAudit(vimId: string): Promise<AuditRecord | undefined> {
    this.atomic.assertAvailable();
    const [text, mark] = await Promise.all([this.atomic.read(storeKeys.azHosts(vimId)), this.readAuditMark(vimId)]);
    const record = parseJson(text) as AuditRecord | undefined;
    if (!record || typeof record.asOf !== 'number' || !Array.isArray(record.zones)) return undefined;
    if (!mark) return record;
    const { failedAt: _failed, ...rest } = record;
    return { ...rest, asOf: mark.asOf, ...(mark.failedAt !== undefined ? { failedAt: mark.failedAt } : {}) };
  }

  async readAuditMark(vimId: string): Promise<AuditMark | undefined> {
    this.atomic.assertAvailable();
    const mark = parseJson(await this.atomic.read(storeKeys.azMark(vimId))) as AuditMark | undefined;
    return mark && typeof mark.asOf === 'number' && typeof mark.savedAt === 'number' ? mark : undefined;
  }

  async touchAudit(vimId: string, seen: AuditMark, asOf: number): Promise<boolean> {
    const key = storeKeys.azMark(vimId);
    const next = markText({ asOf, ...(seen.inputs ? { inputs: seen.inputs } : {}), savedAt: seen.savedAt });
    // The record and the cap_* keys expire TTL_MS after their last whole write: so does the mark.
    return this.atomic.putIfHolder(key, markText(seen), key, next, Math.max(1, seen.savedAt + TTL_MS - Date.now()));
  }

  async markFailed(vimId: string, at: number): Promise<void> {
    const record = await this.readAudit(vimId);
    if (!record || record.failedAt !== undefined) return;
    const mark = await this.readAuditMark(vimId);
    const savedAt = mark?.savedAt ?? record.asOf;
    const ttl = Math.max(1, savedAt + TTL_MS - Date.now());
    // Failed: no digest, so the next good audit is a whole one.
    const entry: [string, string] = [storeKeys.azMark(vimId), markText({ asOf: record.asOf, failedAt: at, savedAt })];
    await this.atomic.putAllIfMember(storeKeys.auditedRegions, vimId, [entry], ttl, []);
  }

  async dropRegion(vimId: string): Promise<void> {
    const names = await this.zoneNames(vimId);
    await this.atomic.deleteKeys([storeKeys.azList(vimId), storeKeys.azHosts(vimId), storeKeys.azMark(vimId), ...names.map((name) => storeKeys.zone(vimId, name))]);
  }

  private async zoneNames(vimId: string): Promise<string[]> {
    this.atomic.assertAvailable();
    const names = parseJson(await this.atomic.read(storeKeys.azList(vimId)));
    return Array.isArray(names) ? names.map(String) : [];
  }
}

/** A mark as stored, its fields always in this order (touchAudit compares the text). */
function markText(mark: AuditMark): string {
  return JSON.stringify({
    asOf: mark.asOf,
    ...(mark.failedAt !== undefined ? { failedAt: mark.failedAt } : {}),
    ...(mark.inputs !== undefined ? { inputs: mark.inputs } : {}),
    savedAt: mark.savedAt,
  });
}

function parseJson(value: string | undefined): unknown {
  if (!value) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}
