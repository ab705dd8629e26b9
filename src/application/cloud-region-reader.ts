import { Injectable } from '@nestjs/common';

import { AaiObject } from '../domain/aai-object';
import { VimInfo, toVimInfo } from '../domain/cloud-region';
import { CloudRegionNotFoundError } from '../domain/errors';
import { VimId } from '../domain/vim-id';
import { AaiPort } from './ports/aai.port';
import { Settings } from './settings';

/** A cloud region as A&AI holds it (depth 0), with its esr-system-info list. */
export interface StoredCloudRegion {
  vim: VimInfo;
  region: AaiObject;
  esrList: AaiObject[];
}

/** Reads a region's VIM info from A&AI (SPEC 3.1); the audit reuses it for a while. */
@Injectable()
export class CloudRegionReader {
  private readonly cache = new Map<string, { vim: VimInfo; at: number }>();

  constructor(
    private readonly aai: AaiPort,
    private readonly settings: Settings,
  ) {}

  async read(vimId: VimId): Promise<StoredCloudRegion> {
    const region = await this.aai.getCloudRegion(vimId, '0');
    if (!region) {
      this.cache.delete(vimId.toString());
      throw new CloudRegionNotFoundError(vimId.toString());
    }
    const esrList = await this.aai.getEsrSystemInfoList(vimId);
    const vim = toVimInfo(vimId, region, esrList);
    this.cache.set(vimId.toString(), { vim, at: Date.now() });
    return { vim, region, esrList };
  }

  async readCached(vimId: VimId): Promise<VimInfo> {
    const hit = this.cache.get(vimId.toString());
    if (hit && Date.now() - hit.at < this.settings.vimInfoCacheMs) return hit.vim;
    return (await this.read(vimId)).vim;
  }

  forget(vimId: VimId | string): void {
    this.cache.delete(vimId.toString());
  }
}
