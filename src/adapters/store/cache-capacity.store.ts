import { Injectable } from '@nestjs/common';

import { CapacityStorePort } from '../../application/ports/capacity-store.port';
import { ZoneCapacity, ZoneFigures } from '../../domain/az-capacity';
import { AtomicStore } from './atomic-store';
import { storeKeys } from './store-keys';

const TTL_MS = 24 * 3600 * 1000;

/**
 * `cap_azlist_{vimid}` → `["zone", …]` and `cap_{vimid}_{zone}` → the six figures, plain
 * JSON. A region's figures are written in one atomic step that first checks the region
 * is still audited, so an audit in flight never writes them back after a de-registration.
 */
@Injectable()
export class CacheCapacityStore extends CapacityStorePort {
  constructor(private readonly atomic: AtomicStore) {
    super();
  }

  async saveZones(vimId: string, zones: ZoneCapacity[]): Promise<boolean> {
    const previous = await this.zoneNames(vimId);
    const names = zones.map((z) => z.zone);
    const entries: Array<[string, string]> = [
      ...zones.map((z): [string, string] => [storeKeys.zone(vimId, z.zone), JSON.stringify(z.figures)]),
      [storeKeys.azList(vimId), JSON.stringify(names)],
    ];
    const gone = previous.filter((name) => !names.includes(name)).map((name) => storeKeys.zone(vimId, name));
    return this.atomic.putAllIfMember(storeKeys.auditedRegions, vimId, entries, TTL_MS, gone);
  }

  async readZones(vimId: string): Promise<Array<{ zone: string; figures: ZoneFigures }>> {
    const names = await this.zoneNames(vimId);
    const figures = await Promise.all(names.map((name) => this.atomic.read(storeKeys.zone(vimId, name))));
    return names.flatMap((zone, i) => (figures[i] ? [{ zone, figures: JSON.parse(figures[i]!) as ZoneFigures }] : []));
  }

  async dropRegion(vimId: string): Promise<void> {
    const names = await this.zoneNames(vimId);
    await this.atomic.deleteKeys([storeKeys.azList(vimId), ...names.map((name) => storeKeys.zone(vimId, name))]);
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
