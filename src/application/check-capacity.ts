import { Injectable } from '@nestjs/common';

import { AzCapacityState, AzInfo, azEntries, capacityResult, capacityState } from '../domain/capacity-freshness';
import { CapacityDemand, HypervisorStatistics, fits, remainingCapacity } from '../domain/capacity-demand';
import { DeadlineExceededError } from '../domain/errors';
import { freeOfAudit, freeOfStatistics } from '../domain/scheduler-capacity';
import { subcloudInMaintenance } from '../domain/subcloud';
import { VimId } from '../domain/vim-id';
import { runWithSignal } from './jobs/call-scope';
import { openCloudSession } from './registration/cloud-session';
import { CloudRegionReader } from './registration/cloud-region-reader';
import { CapacityStorePort } from './ports/capacity-store.port';
import { Settings } from './ports/settings.port';
import { CloudSession, OpenStackPort } from './ports/openstack.port';
import { RemoteCallError } from './ports/remote-call.error';

export interface CapacityCheckResult {
  result: boolean;
  AZs: AzInfo[];
  azCapacity: AzCapacityState;
}

/**
 * capacity_check (SPEC sections 5 and 9): whether the demand fits the project's quota
 * left, capped by what the schedulable hosts have free (the audit's figures, with its
 * allocation ratios), and whether one host of a zone takes it whole (a fresh zone, or with
 * none fresh a stale one); and the audited zones. A subcloud in maintenance is answered
 * from its last figures, stale, without a call to its site.
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
    const [vim, audit] = await Promise.all([this.reader.readCached(vimId), this.capacity.readAudit(vimId.toString())]);
    if (subcloudInMaintenance(vim.extraInfo, vim.inMaint)) {
      // SPEC 9 and 12: no call to the site; the last figures answer, stale.
      const AZs = azEntries(audit, demand, Date.now(), true);
      return { result: capacityResult(undefined, AZs, audit !== undefined), AZs, azCapacity: capacityState(AZs) };
    }
    const session = await openCloudSession(this.openstack, vim, project);
    const [compute, statistics, volume] = await Promise.all([
      this.openstack.getComputeLimits(session, vim.openstackRegionId),
      // The audit's figures cap the limits when there are some; else Nova's statistics.
      audit ? undefined : this.statistics(session, vim.openstackRegionId),
      this.openstack.getVolumeLimits(session, vim.openstackRegionId),
    ]);
    const free = audit ? freeOfAudit(audit) : statistics && freeOfStatistics(statistics, this.settings.cpuAllocationRatio);
    const AZs = azEntries(audit, demand, Date.now());
    return {
      result: capacityResult(fits(demand, remainingCapacity(compute, free, volume)), AZs, audit !== undefined),
      AZs,
      azCapacity: capacityState(AZs),
    };
  }

  private statistics(session: CloudSession, openstackRegionId: string): Promise<HypervisorStatistics | undefined> {
    return this.openstack.getHypervisorStatistics(session, openstackRegionId).catch((error: unknown) => {
      // An account that may not read hypervisors is not limited by them.
      if (RemoteCallError.is(error, 403)) return undefined;
      throw error;
    });
  }
}
