import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { AaiObject } from '../../domain/aai-object';
import { CloudExtraInfo, parseCloudExtraInfo } from '../../domain/cloud-extra-info';
import { AaiCloudRegion, ApiVersion, VimInfo, cloudRegionBody, firstEsrSystemInfoId, regionWithEsrList, proxyIdentityUrl } from '../../domain/cloud-region';
import { ownedDiffers } from '../../domain/reconcile-plan';
import { SubcloudLifecycle, maintenanceWrite, withMaintenanceMark } from '../../domain/subcloud';
import { VimId } from '../../domain/vim-id';
import { pause } from '../jobs/call-scope';
import { AaiPort } from '../ports/aai.port';
import { CloudSession, OpenStackPort, SystemInfo } from '../ports/openstack.port';
import { Settings } from '../ports/settings.port';

export interface RegionUpdate {
  /** The region the operator onboarded (its esr info is copied to subclouds). */
  vim: VimInfo;
  target: VimId;
  openstackRegionId: string;
  apiVersion: ApiVersion;
  session: CloudSession;
  /** What A&AI holds of the target, when the caller has just read it. */
  aaiRegion?: AaiCloudRegion;
  /** SPEC 12: its dcmanager subcloud; in maintenance, sysinv (at the site) is not called. */
  subcloud?: SubcloudLifecycle;
}

export interface RegionUpdateResult {
  extraInfo: CloudExtraInfo;
  warnings: string[];
  /** `unchanged`: A&AI already held what the registration wants, and nothing was written. */
  action: 'create' | 'update' | 'unchanged';
  /** The region as A&AI shows it now (depth 0, with its relationships): read back after a write. */
  confirmed: AaiObject;
}

export interface PreparedUpdate {
  wanted: AaiObject;
  extraInfo: CloudExtraInfo;
  warnings: string[];
  identityUrl: string;
  action: RegionUpdateResult['action'];
  aaiRegion: AaiCloudRegion | undefined;
}

export class RegionNotConfirmedError extends Error {
  constructor(vimId: VimId, tries: number, ms: number) {
    super(`A&AI did not confirm the update of Cloud Region ${vimId}: identity-url not read back after ${tries} reads in ${ms} ms`);
  }
}

/**
 * SPEC 3.5 for one A&AI region: sysinv system info into cloud-extra-info, then the
 * region merged over what A&AI holds (keeping esr-system-info-id and resource-version),
 * then read back until A&AI shows the new identity-url, bounded in tries and time.
 * A subcloud region is created the same way, with the onboarded region's esr info.
 */
@Injectable()
export class UpdateCloudRegion {
  constructor(
    private readonly aai: AaiPort,
    private readonly openstack: OpenStackPort,
    private readonly settings: Settings,
  ) {}

  async execute(update: RegionUpdate): Promise<RegionUpdateResult> {
    const prepared = await this.prepare(update);
    const { extraInfo, warnings, action, aaiRegion } = prepared;
    if (action === 'unchanged') return { extraInfo, warnings, action, confirmed: aaiRegion!.region };
    await this.aai.saveCloudRegion(update.target, prepared.wanted, aaiRegion);
    const confirmed = await this.confirm(update.target, prepared.identityUrl);
    return { extraInfo, warnings, action, confirmed };
  }

  /** What the region should hold, and whether A&AI already holds it; writes nothing (the dry run's answer). */
  async prepare(update: RegionUpdate): Promise<PreparedUpdate> {
    const warnings: string[] = [];
    const { target } = update;
    const aaiRegion = update.aaiRegion ?? (await this.aai.readCloudRegion(target));
    let systemInfo: SystemInfo | undefined;
    try {
      if (!update.subcloud?.paused) systemInfo = await this.openstack.getSystemInfo(update.session, update.openstackRegionId);
    } catch (error) {
      warnings.push(`system info of ${target} not read: ${(error as Error).message}`);
    }
    // SPEC 12: in-maint written on a dcmanager transition only, and cleared only where this service set it.
    const maintenance = this.settings.aaiSchema.hasCloudRegionInMaint
      ? maintenanceWrite(update.subcloud?.inMaint, aaiRegion?.region, parseCloudExtraInfo(aaiRegion?.region['cloud-extra-info']))
      : undefined;
    let extraInfo = this.extraInfoFor(update, aaiRegion, systemInfo);
    if (maintenance && update.subcloud) extraInfo = withMaintenanceMark(extraInfo, maintenance.marked);
    const identityUrl = proxyIdentityUrl(this.settings.msbBaseUrl, target, update.apiVersion);
    const wanted = cloudRegionBody({
      vim: update.vim,
      target,
      openstackRegionId: update.openstackRegionId,
      identityUrl,
      extraInfo,
      schema: this.settings.aaiSchema,
      esrSystemInfoId: firstEsrSystemInfoId(aaiRegion) ?? randomUUID(),
      inMaint: maintenance?.inMaint,
    });
    const action = !aaiRegion ? 'create' : ownedDiffers(wanted, regionWithEsrList(aaiRegion)) ? 'update' : 'unchanged';
    return { wanted, extraInfo, warnings, identityUrl, action, aaiRegion };
  }

  /**
   * The onboarded region keeps its own cloud-extra-info. A subcloud starts from the
   * onboarded region's, keeps what A&AI already holds for it, and names its own
   * openstack region (without multi-region-discovery, so registering it alone works).
   */
  private extraInfoFor(update: RegionUpdate, aaiRegion: AaiCloudRegion | undefined, systemInfo: SystemInfo | undefined): CloudExtraInfo {
    const isSubcloud = update.target.toString() !== update.vim.vimId.toString();
    let extraInfo: CloudExtraInfo = { ...update.vim.extraInfo };
    if (isSubcloud) {
      delete extraInfo['multi-region-discovery'];
      extraInfo = {
        ...extraInfo,
        ...parseCloudExtraInfo(aaiRegion?.region['cloud-extra-info']),
        'openstack-region-id': update.openstackRegionId,
      };
    }
    if (update.subcloud) extraInfo.subcloud = update.subcloud.info;
    if (systemInfo) {
      extraInfo.isystem = {
        software_version: systemInfo.software_version ?? null,
        system_mode: systemInfo.system_mode ?? null,
        system_type: systemInfo.system_type ?? null,
      };
    }
    return extraInfo;
  }

  private async confirm(target: VimId, identityUrl: string): Promise<AaiObject> {
    const { regionConfirmTries: tries, regionConfirmIntervalMs: interval } = this.settings;
    const started = Date.now();
    for (let attempt = 1; attempt <= tries; attempt += 1) {
      const region = await this.aai.getCloudRegion(target, '0');
      if (region?.['identity-url'] === identityUrl) return region;
      if (attempt < tries) await pause(interval);
    }
    throw new RegionNotConfirmedError(target, tries, Date.now() - started);
  }
}
