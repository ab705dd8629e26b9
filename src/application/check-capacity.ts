import { Injectable } from '@nestjs/common';

import { AzCapacityState, AzInfo, azEntries, capacityResult, capacityState } from '../domain/capacity-freshness';
import { CapacityDemand, fits, remainingCapacity } from '../domain/capacity-demand';
import { DeadlineExceededError } from '../domain/errors';
import { VimId } from '../domain/vim-id';
import { runWithSignal } from './jobs/call-scope';
import { openCloudSession } from './registration/cloud-session';
import { CloudRegionReader } from './registration/cloud-region-reader';
import { CapacityStorePort } from './ports/capacity-store.port';
import { Settings } from './ports/settings.port';
import { OpenStackPort } from './ports/openstack.port';
import { RemoteCallError } from './ports/remote-call.error';

export interface CapacityCheckResult {
  result: boolean;
  AZs: AzInfo[];
  azCapacity: AzCapacityState;
}

/**
 * capacity_check (SPEC sections 5 and 9): whether the demand fits the project's quota
 * left, capped by what the hypervisors have free, and, when some zone's audited figures
 * are fresh, whether one host of a fresh zone takes it whole; and the audited zones.
 */
@Injectable()
export class CheckCapacity {
  constructor(
    private readonly reader: CloudRegionReader,
    private readonly openstack: OpenStackPort,
    private readonly capacity: CapacityStorePort,
    private readonly settings: Settings,
  ) {}

  /**
   * Bounded by CAPACITY_CHECK_TIMEOUT_MS, and stopped by `callerGone` (its client went
   * away): every remote call it makes is aborted either way.
   */
  execute(vimId: VimId, demand: CapacityDemand, project?: string, callerGone?: AbortSignal): Promise<CapacityCheckResult> {
    const ms = this.settings.capacityCheckTimeoutMs;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new DeadlineExceededError(`capacity_check did not finish within ${ms} ms`)), ms);
    const signal = callerGone ? AbortSignal.any([deadline.signal, callerGone]) : deadline.signal;
    return runWithSignal(signal, () => this.check(vimId, demand, project)).finally(() => clearTimeout(timer));
  }

  private async check(vimId: VimId, demand: CapacityDemand, project?: string): Promise<CapacityCheckResult> {
    const vim = await this.reader.readCached(vimId);
    const session = await openCloudSession(this.openstack, vim, project);
    const [compute, hypervisors, volume, audit] = await Promise.all([
      this.openstack.getComputeLimits(session, vim.openstackRegionId),
      this.openstack.getHypervisorStatistics(session, vim.openstackRegionId).catch((error: unknown) => {
        // An account that may not read hypervisors is not limited by them.
        if (RemoteCallError.is(error, 403)) return undefined;
        throw error;
      }),
      this.openstack.getVolumeLimits(session, vim.openstackRegionId),
      this.capacity.readAudit(vimId.toString()),
    ]);
    const AZs = azEntries(audit, demand, Date.now());
    return {
      result: capacityResult(fits(demand, remainingCapacity(compute, hypervisors, volume)), AZs),
      AZs,
      azCapacity: capacityState(AZs),
    };
  }
}
