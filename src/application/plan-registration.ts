import { Injectable } from '@nestjs/common';

import { DeadlineExceededError, UpstreamUnreachableError } from '../domain/errors';
import { RegionPlanSummary, summarizePlan } from '../domain/reconcile-plan';
import { ApiVersion } from '../domain/cloud-region';
import { VimId } from '../domain/vim-id';
import { runWithSignal } from './jobs/call-scope';
import { describeError } from './jobs/job-messages';
import { JobReport } from './jobs/job-report';
import { RemoteCallError } from './ports/remote-call.error';
import { RequestLimits } from './ports/request-limits.port';
import { ReconcileRegion } from './registration/reconcile-region';
import { RegistrationScopeReader, StepError } from './registration/registration-scope';
import { RemoveSubcloud } from './registration/remove-subcloud';
import { SyncRegistryPort } from './ports/sync-registry.port';
import { UpdateCloudRegion } from './registration/update-cloud-region';

/** SPEC 7's dry run body. */
export interface RegistrationPlan {
  vimid: string;
  regions: RegionPlanSummary[];
  warnings?: string[];
}

/** One plan being made, and the callers waiting for it. */
interface SharedPlan {
  result: Promise<RegistrationPlan>;
  stop: AbortController;
  callers: number;
}

/**
 * GET registry/plan: what a registration would change now, region by region, reading
 * the cloud and A&AI as a registration does and writing nothing. A remote call that
 * fails is a 502 naming it; a region A&AI does not have, a 404. Without a `Project`
 * header it plans under the scope the region's syncs use (its last POST's), so the
 * plan is what the next sync writes.
 *
 * Each plan reads the whole cloud and A&AI, so it is bounded: stopped (a 504) after
 * PLAN_TIMEOUT_MS, callers asking for the same region, API version and project at once
 * share one plan, and a plan whose callers have all gone away is stopped, its remote
 * calls too.
 */
@Injectable()
export class PlanRegistration {
  private readonly running = new Map<string, SharedPlan>();

  constructor(
    private readonly scope: RegistrationScopeReader,
    private readonly updateRegion: UpdateCloudRegion,
    private readonly reconcile: ReconcileRegion,
    private readonly removeSubcloud: RemoveSubcloud,
    private readonly synced: SyncRegistryPort,
    private readonly limits: RequestLimits,
  ) {}

  async execute(vimId: VimId, apiVersion: ApiVersion, project: string | undefined, callerGone?: AbortSignal): Promise<RegistrationPlan> {
    const key = JSON.stringify([vimId.toString(), apiVersion, project ?? null]);
    let shared = this.running.get(key);
    if (!shared) shared = this.start(key, vimId, apiVersion, project);
    shared.callers += 1;
    const plan = shared;
    const leave = () => {
      plan.callers -= 1;
      if (plan.callers === 0) plan.stop.abort(new Error('every caller of the plan went away'));
    };
    if (!callerGone) return plan.result.finally(() => (plan.callers -= 1));
    if (callerGone.aborted) {
      leave();
      throw callerGone.reason;
    }
    return new Promise<RegistrationPlan>((resolve, reject) => {
      const onGone = () => {
        leave();
        reject(callerGone.reason);
      };
      callerGone.addEventListener('abort', onGone, { once: true });
      plan.result.then(resolve, reject).finally(() => {
        callerGone.removeEventListener('abort', onGone);
        if (!callerGone.aborted) plan.callers -= 1;
      });
    });
  }

  private start(key: string, vimId: VimId, apiVersion: ApiVersion, project: string | undefined): SharedPlan {
    const ms = this.limits.planTimeoutMs;
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(new DeadlineExceededError(`the plan did not finish within ${ms} ms`)), ms);
    const stopped = new Promise<never>((_, reject) => stop.signal.addEventListener('abort', () => reject(stop.signal.reason), { once: true }));
    const result = Promise.race([runWithSignal(stop.signal, () => this.plan(vimId, apiVersion, project)), stopped]).finally(() => {
      clearTimeout(timer);
      this.running.delete(key);
    });
    // Nobody may be left to see its failure (every caller gone).
    result.catch(() => undefined);
    const shared = { result, stop, callers: 0 };
    this.running.set(key, shared);
    return shared;
  }

  private async plan(vimId: VimId, apiVersion: ApiVersion, project: string | undefined): Promise<RegistrationPlan> {
    const report = new JobReport('register', vimId.toString());
    try {
      const scope = project ?? (await this.synced.list()).find((region) => region.vimId === vimId.toString())?.project;
      const { vim, aaiRegion, session, targets, gone, scopeFallback } = await this.scope.read(vimId, scope, report);
      const planned = await Promise.all(
        targets.map(async (target, index) => {
          const prepared = await this.updateRegion.prepare({
            vim,
            target: target.vimId,
            openstackRegionId: target.openstackRegionId,
            apiVersion,
            session,
            aaiRegion: index === 0 ? aaiRegion : undefined,
            subcloud: target.subcloud,
          });
          // SPEC 12: a subcloud in maintenance is not read (no call to the site); only its region would change.
          if (target.subcloud?.paused) return summarizePlan(target.vimId, target.openstackRegionId, prepared.action, { changes: [], unchanged: {}, kept: [] });
          const { plan, failures } = await this.reconcile.plan(target, session, prepared.aaiRegion?.region, { scopeFallback });
          if (failures.length) throw failures[0].error;
          return summarizePlan(target.vimId, target.openstackRegionId, prepared.action, plan);
        }),
      );
      const removals = await Promise.all(gone.map((subcloud) => this.removeSubcloud.plan(subcloud)));
      const removed = removals.map((removal) => {
        const summary = summarizePlan(removal.vimId, removal.openstackRegionId, 'delete', removal.plan);
        if (removal.keptBecause) summary.kept = [...(summary.kept ?? []), { kind: 'cloud-region', id: removal.vimId.toString(), reason: removal.keptBecause }];
        return summary;
      });
      return { vimid: vimId.toString(), regions: [...planned, ...removed], ...(report.warnings.length ? { warnings: report.warnings } : {}) };
    } catch (error) {
      const cause = error instanceof StepError ? error.error : error;
      if (cause instanceof RemoteCallError) {
        throw new UpstreamUnreachableError(report.redacted(`${error instanceof StepError ? `${error.step}: ` : ''}${describeError(cause)}`));
      }
      throw cause;
    }
  }
}
