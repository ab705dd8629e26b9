import { Injectable } from '@nestjs/common';

import { softwareVersion } from '../../domain/cloud-extra-info';
import { VimInfo } from '../../domain/cloud-region';
import { WorkloadFailure } from '../../domain/infra-workload';
import { isKubernetesPlatform } from '../../domain/kubeconfig';
import { VimId } from '../../domain/vim-id';
import { HeatPort } from '../ports/heat.port';
import { CloudSession, OpenStackPort } from '../ports/openstack.port';
import { Settings } from '../ports/settings.port';
import { CloudRegionReader } from '../registration/cloud-region-reader';
import { openCloudSession } from '../registration/cloud-session';

/** A region whose catalog has Heat, signed in under the caller's project scope. */
export interface HeatRegion {
  orchestrator: 'heat';
  vim: VimInfo;
  session: CloudSession;
  openstackRegionId: string;
}

export type WorkloadRegion = HeatRegion | { orchestrator: 'k8s'; vim: VimInfo };

/**
 * SPEC 13's choice of orchestrator: Heat when the region's catalog has `orchestration`;
 * else the multicloud-k8s plugin when the isystem A&AI holds marks Kubernetes; else a
 * 400 naming the cause (`failStatus`: CREATE_FAILED, GET_FAILED, …).
 */
@Injectable()
export class WorkloadRegions {
  constructor(
    private readonly reader: CloudRegionReader,
    private readonly openstack: OpenStackPort,
    private readonly heat: HeatPort,
    private readonly settings: Settings,
  ) {}

  async open(vimId: VimId, project: string | undefined, failStatus: string): Promise<WorkloadRegion> {
    // SO polls every 15 s: the region's A&AI record is reused as the audit reuses it (VIM_INFO_CACHE_MS).
    const vim = await this.reader.readCached(vimId);
    const session = await openCloudSession(this.openstack, vim, project);
    if (await this.heat.hasOrchestration(session, vim.openstackRegionId)) {
      return { orchestrator: 'heat', vim, session, openstackRegionId: vim.openstackRegionId };
    }
    if (isKubernetesPlatform(softwareVersion(vim.extraInfo), this.settings.k8sSoftwareVersions)) return { orchestrator: 'k8s', vim };
    throw new WorkloadFailure(400, failStatus, `no orchestration service in region ${vim.openstackRegionId} of ${vimId}, and its isystem marks no Kubernetes platform`);
  }

  /** The Heat region for a job (a region turned Kubernetes-only since is a failure, not a forward). */
  async openHeat(vimId: VimId, project: string | undefined, failStatus: string): Promise<HeatRegion> {
    const region = await this.open(vimId, project, failStatus);
    if (region.orchestrator !== 'heat') throw new WorkloadFailure(400, failStatus, `no orchestration service in region ${region.vim.openstackRegionId} of ${vimId}`);
    return region;
  }
}
