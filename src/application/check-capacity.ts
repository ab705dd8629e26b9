import { Injectable } from '@nestjs/common';

import { AzInfo, toAzInfo } from '../domain/az-capacity';
import { CapacityDemand, fits, remainingCapacity } from '../domain/capacity-demand';
import { VimId } from '../domain/vim-id';
import { openCloudSession } from './registration/cloud-session';
import { CloudRegionReader } from './registration/cloud-region-reader';
import { CapacityStorePort } from './ports/capacity-store.port';
import { OpenStackPort } from './ports/openstack.port';
import { RemoteCallError } from './ports/remote-call.error';
import { Settings } from './ports/settings.port';

export interface CapacityCheckResult {
  result: boolean;
  AZs: AzInfo[];
}

/**
 * capacity_check (SPEC section 5): whether the demand fits the project's quota left,
 * capped by what the hypervisors have free; and the audited per-zone capacity.
 */
@Injectable()
export class CheckCapacity {
  constructor(
    private readonly reader: CloudRegionReader,
    private readonly openstack: OpenStackPort,
    private readonly capacity: CapacityStorePort,
    private readonly settings: Settings,
  ) {}

  async execute(vimId: VimId, demand: CapacityDemand, project?: string): Promise<CapacityCheckResult> {
    const vim = await this.reader.readCached(vimId);
    const session = await openCloudSession(this.openstack, vim, project);
    const [compute, hypervisors, volume, zones] = await Promise.all([
      this.openstack.getComputeLimits(session, vim.openstackRegionId),
      this.openstack.getHypervisorStatistics(session, vim.openstackRegionId).catch((error: unknown) => {
        // An account that may not read hypervisors is not limited by them.
        if (RemoteCallError.is(error, 403)) return undefined;
        throw error;
      }),
      this.openstack.getVolumeLimits(session, vim.openstackRegionId),
      this.capacity.readZones(vimId.toString()),
    ]);
    return {
      result: fits(demand, remainingCapacity(compute, hypervisors, volume)),
      AZs: zones.map(({ zone, figures }) => toAzInfo(zone, figures, this.settings.cpuAllocationRatio)),
    };
  }
}
