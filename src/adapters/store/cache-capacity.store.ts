import { CACHE_MANAGER, Cache } from '@nestjs/cache-manager';
import { Inject, Injectable } from '@nestjs/common';

import { CapacityStorePort } from '../../application/ports/capacity-store.port';
import { ZoneCapacity, ZoneFigures } from '../../domain/az-capacity';
import { AtomicStore } from './atomic-store';
import { storeKeys } from './store-keys';
import { strictGet } from './strict-read';

const TTL_MS = 24 * 3600 * 1000;

/** `cap_azlist_{vimid}` → `["zone", …]` and `cap_{vimid}_{zone}` → the six figures, plain JSON. */
@Injectable()
export class CacheCapacityStore extends CapacityStorePort {
  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    private readonly atomic: AtomicStore,
  ) {
    super();
  }

  async saveZones(vimId: string, zones: ZoneCapacity[]): Promise<void> {
    const previous = await this.zoneNames(vimId);
    const names = zones.map((z) => z.zone);
    await Promise.all(zones.map((z) => this.cache.set(storeKeys.zone(vimId, z.zone), z.figures, TTL_MS)));
    await this.cache.set(storeKeys.azList(vimId), names, TTL_MS);
    const gone = previous.filter((name) => !names.includes(name));
    if (gone.length) await this.cache.mdel(gone.map((name) => storeKeys.zone(vimId, name)));
  }

  async readZones(vimId: string): Promise<Array<{ zone: string; figures: ZoneFigures }>> {
    const names = await this.zoneNames(vimId);
    const figures = await Promise.all(names.map((name) => strictGet<ZoneFigures>(this.cache, storeKeys.zone(vimId, name))));
    return names
      .map((zone, i) => ({ zone, figures: figures[i] }))
      .filter((entry): entry is { zone: string; figures: ZoneFigures } => Boolean(entry.figures));
  }

  async dropRegion(vimId: string): Promise<void> {
    const names = await this.zoneNames(vimId);
    await this.cache.mdel([storeKeys.azList(vimId), ...names.map((name) => storeKeys.zone(vimId, name))]);
  }

  private async zoneNames(vimId: string): Promise<string[]> {
    this.atomic.assertAvailable();
    const names = await strictGet<unknown>(this.cache, storeKeys.azList(vimId));
    return Array.isArray(names) ? names.map(String) : [];
  }
}
