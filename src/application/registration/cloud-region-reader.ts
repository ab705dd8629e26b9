import { Injectable } from '@nestjs/common';

import { AaiObject } from '../../domain/aai-object';
import { VimInfo, toVimInfo } from '../../domain/cloud-region';
import { CloudRegionNotFoundError } from '../../domain/errors';
import { VimId } from '../../domain/vim-id';
import { AaiPort } from '../ports/aai.port';
import { Settings } from '../ports/settings.port';

/** A cloud region as A&AI holds it (depth 0), with its esr-system-info list. */
export interface HeldCloudRegion {
  region: AaiObject;
  esrList: AaiObject[];
}

export interface StoredCloudRegion extends HeldCloudRegion {
  vim: VimInfo;
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
    const held = await this.held(vimId);
    if (!held) {
      this.cache.delete(vimId.toString());
      throw new CloudRegionNotFoundError(vimId.toString());
    }
    const { region, esrList } = held;
    const vim = toVimInfo(vimId, region, esrList);
    this.cache.set(vimId.toString(), { vim, at: Date.now() });
    return { vim, region, esrList };
  }

  /** What A&AI holds of a region, whatever it lacks; undefined when it has no such region. */
  async held(vimId: VimId): Promise<HeldCloudRegion | undefined> {
    const region = await this.aai.getCloudRegion(vimId, '0');
    if (!region) return undefined;
    return { region, esrList: await this.aai.getEsrSystemInfoList(vimId) };
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
