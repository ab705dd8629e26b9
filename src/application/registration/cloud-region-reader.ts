import { Injectable } from '@nestjs/common';

import { k8sApiToken, parseCloudExtraInfo } from '../../domain/cloud-extra-info';
import { AaiCloudRegion, VimInfo, toVimInfo } from '../../domain/cloud-region';
import { CloudRegionNotFoundError } from '../../domain/errors';
import { VimId } from '../../domain/vim-id';
import { AaiPort } from '../ports/aai.port';
import { RegionReadCache } from '../ports/region-read-cache.port';
import { Settings } from '../ports/settings.port';
import { Redactor } from '../jobs/redactor';

/**
 * Reads a region's VIM info from A&AI (SPEC 3.1); the audit, capacity_check and the
 * proxy reuse it for VIM_INFO_CACHE_MS from a cache bounded by REGION_CACHE_BYTES
 * (without one, as in unit tests, every read asks A&AI).
 */
@Injectable()
export class CloudRegionReader {
  constructor(
    private readonly aai: AaiPort,
    private readonly settings: Settings,
    private readonly redactor: Redactor = new Redactor(),
    private readonly cache?: RegionReadCache,
  ) {}

  /** The region's VIM info, and what A&AI holds of the region it was read from. */
  async read(vimId: VimId): Promise<{ vim: VimInfo; aaiRegion: AaiCloudRegion }> {
    const aaiRegion = await this.aai.readCloudRegion(vimId);
    if (!aaiRegion) {
      this.cache?.delete(vimId.toString());
      throw new CloudRegionNotFoundError(vimId.toString());
    }
    // Whatever credentials A&AI holds for the region are masked wherever they show up.
    this.redactor.add(...aaiRegion.esrList.map((esr) => esr.password as string | undefined), k8sApiToken(parseCloudExtraInfo(aaiRegion.region['cloud-extra-info'])));
    const vim = toVimInfo(vimId, aaiRegion.region, aaiRegion.esrList);
    if (this.settings.vimInfoCacheMs > 0) await this.cache?.set(vimId.toString(), vim, this.settings.vimInfoCacheMs);
    return { vim, aaiRegion };
  }

  async readCached(vimId: VimId): Promise<VimInfo> {
    return (await this.readCachedAnswer(vimId)).vim;
  }

  /** The same, saying whether A&AI was asked this time (`fresh`) or the cache answered. */
  async readCachedAnswer(vimId: VimId): Promise<{ vim: VimInfo; fresh: boolean }> {
    const hit = await this.cache?.get(vimId.toString());
    if (hit) return { vim: hit, fresh: false };
    return { vim: (await this.read(vimId)).vim, fresh: true };
  }

  forget(vimId: VimId | string): void {
    this.cache?.delete(vimId.toString());
  }
}
