import { Injectable } from '@nestjs/common';

import { k8sApiToken, multiRegionDiscovery, openstackRegionIdIn, parseCloudExtraInfo } from '../../domain/cloud-extra-info';
import { AaiCloudRegion, VimInfo } from '../../domain/cloud-region';
import { DiscoveredRegions, chooseMainRegion, discoverRegions } from '../../domain/region-discovery';
import { Subcloud, regionsOfSubclouds, subcloudLifecycle, subcloudOfRegion } from '../../domain/subcloud';
import { VimId } from '../../domain/vim-id';
import { describeError } from '../jobs/job-messages';
import { JobReport } from '../jobs/job-report';
import { AaiPort } from '../ports/aai.port';
import { LogPort } from '../ports/log.port';
import { CloudSession, OpenStackPort } from '../ports/openstack.port';
import { CloudRegionReader } from './cloud-region-reader';
import { ScopedSession, openScopedSession } from './cloud-session';
import { RegionTarget } from './reconcile-region';

/** What SPEC 3.1 to 3.4 find out: the VIM, a session, the regions to register and the composed ones that are gone. */
export interface RegistrationScope {
  vim: VimInfo;
  aaiRegion: AaiCloudRegion;
  session: CloudSession;
  /** Set when the session fell back from the requested scope: tenants and flavors listed through it prove nothing (SPEC 7). */
  scopeFallback?: string;
  /** The main region first, then the composed subcloud regions. */
  targets: RegionTarget[];
  /** Composed subcloud regions A&AI holds whose openstack region is no longer discovered. */
  gone: VimId[];
}

/** A step that failed the whole job, named for the status. */
export class StepError extends Error {
  constructor(
    readonly step: string,
    readonly error: unknown,
  ) {
    super(step);
  }
}

/** SPEC 3.1 to 3.4, shared by the registration and its dry run. */
@Injectable()
export class RegistrationScopeReader {
  constructor(
    private readonly reader: CloudRegionReader,
    private readonly openstack: OpenStackPort,
    private readonly aai: AaiPort,
    private readonly log: LogPort,
  ) {}

  async read(vimId: VimId, project: string | undefined, report: JobReport): Promise<RegistrationScope> {
    const { vim, aaiRegion } = await this.reader.read(vimId); // 3.1 VIM info from A&AI
    report.conceal(vim.access.password, k8sApiToken(vim.extraInfo));
    const { session, fallback } = await this.signInToKeystone(vim, project); // 3.2 Keystone
    const discovered = await this.discover(session, vimId, report); // 3.3 Regions
    const subclouds = discovered?.distributedCloud ? await this.readSubclouds(session, report) : undefined; // SPEC 12
    const targets = this.withSubclouds(vim, discovered?.regions ?? [], report); // 3.4 Subclouds
    if (subclouds) for (const target of targets) withLifecycle(target, subclouds);
    const removable = discovered && multiRegionDiscovery(vim.extraInfo) && subclouds !== null;
    const gone = removable ? await this.goneSubclouds(vim, targets, regionsOfSubclouds(subclouds ?? []), report) : [];
    return { vim, aaiRegion, session, targets, gone, ...(fallback ? { scopeFallback: fallback } : {}) };
  }

  private async signInToKeystone(vim: VimInfo, project: string | undefined): Promise<ScopedSession> {
    try {
      return await openScopedSession(this.openstack, vim, project);
    } catch (error) {
      throw new StepError('Keystone sign-in failed', error);
    }
  }

  /** The cloud's regions (a distributed cloud's subclouds); a failed discovery is a warning, and undefined. */
  private async discover(session: CloudSession, vimId: VimId, report: JobReport): Promise<DiscoveredRegions | undefined> {
    try {
      const discovered = discoverRegions(await this.openstack.listRegions(session));
      const { regions, distributedCloud } = discovered;
      this.log.info(`${vimId}: discovered regions [${regions.join(', ')}]${distributedCloud ? ' (a distributed cloud)' : ''}`);
      return discovered;
    } catch (error) {
      report.warn(`region discovery failed: ${describeError(error)}`);
      return undefined;
    }
  }

  /**
   * dcmanager's subclouds of a distributed cloud: undefined without dcmanager in the
   * catalog (Keystone regions alone), null when reading them failed (a warning; then
   * no composed region is removed, since a subcloud may only look gone).
   */
  private async readSubclouds(session: CloudSession, report: JobReport): Promise<Subcloud[] | undefined | null> {
    try {
      return await this.openstack.listSubclouds(session);
    } catch (error) {
      report.warn(`dcmanager subclouds not read: ${describeError(error)}`);
      return null;
    }
  }

  /** The main region first, then with multi-region-discovery every other discovered region. */
  private withSubclouds(vim: VimInfo, discovered: string[], report: JobReport): RegionTarget[] {
    const { vimId, extraInfo } = vim;
    const main = chooseMainRegion(discovered, openstackRegionIdIn(extraInfo), vimId.cloudRegionId, vim.openstackRegionId);
    const targets: RegionTarget[] = [{ vimId, openstackRegionId: main }];
    const others = multiRegionDiscovery(extraInfo) ? discovered.filter((region) => region !== main) : [];
    for (const openstackRegionId of others) {
      try {
        targets.push({ vimId: vimId.subcloud(openstackRegionId), openstackRegionId });
      } catch (error) {
        report.warn(`subcloud region ${openstackRegionId} skipped: ${describeError(error)}`);
      }
    }
    return targets;
  }

  /**
   * A&AI regions `{owner}/{region}_{R}` whose cloud-extra-info names openstack region R
   * (the ones this registration composes) and whose R is not a target now, nor a
   * subcloud dcmanager still lists (SPEC 12: gone from both). Only asked when discovery
   * succeeded, so a failed discovery never removes a subcloud.
   */
  private async goneSubclouds(vim: VimInfo, targets: RegionTarget[], inDcmanager: Set<string>, report: JobReport): Promise<VimId[]> {
    const prefix = `${vim.vimId.cloudRegionId}_`;
    const current = new Set(targets.map((target) => target.vimId.toString()));
    try {
      const regions = await this.aai.listCloudRegions(vim.vimId.cloudOwner);
      return regions
        .filter((region) => region['cloud-owner'] === vim.vimId.cloudOwner)
        .filter((region) => {
          const id = String(region['cloud-region-id'] ?? '');
          const openstackRegionId = openstackRegionIdIn(parseCloudExtraInfo(region['cloud-extra-info']));
          if (openstackRegionId === undefined || inDcmanager.has(openstackRegionId)) return false;
          return id.startsWith(prefix) && id === `${prefix}${openstackRegionId}`;
        })
        .map((region) => VimId.of(vim.vimId.cloudOwner, String(region['cloud-region-id'])))
        .filter((vimId) => !current.has(vimId.toString()))
        .sort((a, b) => a.toString().localeCompare(b.toString()));
    } catch (error) {
      report.warn(`subcloud regions held in A&AI not listed: ${describeError(error)}`);
      return [];
    }
  }
}

/** SPEC 12: a target that maps to a dcmanager subcloud carries what its state does. */
function withLifecycle(target: RegionTarget, subclouds: Subcloud[]): void {
  const subcloud = subcloudOfRegion(subclouds, target.openstackRegionId);
  if (subcloud) target.subcloud = subcloudLifecycle(subcloud);
}
