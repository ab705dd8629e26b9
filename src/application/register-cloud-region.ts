import { Injectable } from '@nestjs/common';

import { capacityAuditorEnabled } from '../domain/cloud-extra-info';
import { SubcloudLifecycle } from '../domain/subcloud';
import { AaiCloudRegion, VimInfo } from '../domain/cloud-region';
import { CloudRegionNotFoundError } from '../domain/errors';
import { JobOutcome } from '../domain/job-status';
import { stepOfKind } from '../domain/object-kinds';
import { VimId } from '../domain/vim-id';
import { AuditAzCapacity } from './audit-az-capacity';
import { collectWarnings, shareReads, throwIfAborted } from './jobs/call-scope';
import { describeError } from './jobs/job-messages';
import { JobReport } from './jobs/job-report';
import { RegionClaims } from './jobs/region-claims';
import { StepFailure, TaskBudget } from './jobs/task-budget';
import { AaiPort, AaiWriter } from './ports/aai.port';
import { AuditRegistryPort } from './ports/audit-registry.port';
import { WriteFailedError } from './ports/remote-call.error';
import { JobRequest } from './ports/job-store.port';
import { CloudSession } from './ports/openstack.port';
import { CloudRegionReader } from './registration/cloud-region-reader';
import { ConnectKubernetes, otherOwnerWarning } from './registration/connect-kubernetes';
import { PlanOptions, ReconcileRegion, RegionChanges, RegionTarget, SyncCounts } from './registration/reconcile-region';
import { HeldDeletes } from '../domain/reconcile-plan';
import { Settings } from './ports/settings.port';
import { RegistrationScopeReader, StepError } from './registration/registration-scope';
import { RemoveSubcloud } from './registration/remove-subcloud';
import { RegionUpdateResult, UpdateCloudRegion } from './registration/update-cloud-region';

/** What the registration of one A&AI region (the main one or a subcloud) came to. */
interface RegionResult {
  vimId: string;
  counts?: SyncCounts;
  changes?: RegionChanges;
  failures: StepFailure[];
  warnings: string[];
  /** A composed subcloud region being removed, not registered. */
  removed?: boolean;
}

/**
 * The registration job (SPEC sections 3 and 7), run by RegionJobs for a POST registry:
 * `run` is the SPEC's steps in order; the methods below it are the steps. Each region
 * is reconciled: only what changed is written, and what the cloud no longer has goes.
 */
@Injectable()
export class RegisterCloudRegion {
  constructor(
    private readonly scope: RegistrationScopeReader,
    private readonly aai: AaiPort,
    private readonly reader: CloudRegionReader,
    private readonly updateRegion: UpdateCloudRegion,
    private readonly connectKubernetes: ConnectKubernetes,
    private readonly reconcile: ReconcileRegion,
    private readonly removeSubcloud: RemoveSubcloud,
    private readonly audit: AuditAzCapacity,
    private readonly auditRegistry: AuditRegistryPort,
    private readonly claims: RegionClaims,
    private readonly tasks: TaskBudget,
    private readonly settings: Settings,
  ) {}

  /** SPEC 3.1 to 3.7 in order; what goes wrong in a step goes into the job's report. */
  async run(request: JobRequest): Promise<JobOutcome> {
    const vimId = VimId.parse(request.vimId);
    const report = new JobReport('register', request.vimId);
    try {
      const { vim, aaiRegion, session, targets, gone, scopeFallback } = await this.scope.read(vimId, request.project, report); // 3.1 to 3.4
      const writer = this.aai.writer();
      const options: PlanOptions = { scopeFallback, confirmDeletes: request.confirmDeletes };
      // The regions of one job share the cloud reads that are the same for all (the Keystone projects).
      const results = await shareReads(() => this.registerRegions(targets, vim, session, request, aaiRegion, writer, options)); // 3.5 to 3.7, first audit
      const removed = await this.removeGoneSubclouds(gone, writer, options); // SPEC 7: subclouds no longer discovered
      return report.outcome(this.collect([...results, ...removed], report));
    } catch (error) {
      if (error instanceof CloudRegionNotFoundError) report.regionNotFound();
      else if (error instanceof StepError) report.fail({ step: error.step, error: error.error });
      else report.fail({ step: '', error });
      return report.outcome();
    }
  }

  /**
   * Every target, JOB_REGION_CONCURRENCY at a time (a region slot is taken before its
   * claim); the main one (first) reuses what A&AI held of it in 3.1. A subcloud region is
   * written holding its own claim; one whose own job runs is skipped.
   */
  private registerRegions(
    targets: RegionTarget[],
    vim: VimInfo,
    session: CloudSession,
    request: JobRequest,
    aaiRegion: AaiCloudRegion,
    writer: AaiWriter,
    options: PlanOptions,
  ): Promise<RegionResult[]> {
    return Promise.all(
      targets.map((target, index) =>
        this.tasks
          .forRegion(() =>
            index === 0
              ? this.registerRegion(target, vim, session, request, aaiRegion, writer, options)
              : this.underSubcloudClaim(target.vimId, false, () => this.registerRegion(target, vim, session, request, undefined, writer, options)),
          )
          .catch((error: unknown) => ({
            vimId: target.vimId.toString(),
            failures: [{ step: `region ${target.vimId}`, error }],
            warnings: [],
          })),
      ),
    );
  }

  /** Work on a subcloud region, holding that region's own claim; skipped with a warning while a job of its own runs. */
  private async underSubcloudClaim(vimId: VimId, removal: boolean, work: () => Promise<RegionResult>): Promise<RegionResult> {
    const held = await this.claims.withClaim(vimId.toString(), work);
    if (held !== 'busy') return held.value;
    const warning = `subcloud region ${vimId} not ${removal ? 'removed' : 'written'}: a job of its own runs`;
    return { vimId: vimId.toString(), failures: [], warnings: [warning], ...(removal ? { removed: true } : {}) };
  }

  /** One A&AI region: SPEC 3.5 (update the region), 3.6 (Kubernetes), 3.7 (reconcile its objects), then its audit. */
  private async registerRegion(
    target: RegionTarget,
    vim: VimInfo,
    session: CloudSession,
    request: JobRequest,
    aaiRegion: AaiCloudRegion | undefined,
    writer: AaiWriter,
    options: PlanOptions,
  ): Promise<RegionResult> {
    const result: RegionResult = { vimId: target.vimId.toString(), failures: [], warnings: [] };
    let updated: RegionUpdateResult;
    try {
      throwIfAborted();
      updated = await this.updateRegion.execute({
        vim,
        target: target.vimId,
        openstackRegionId: target.openstackRegionId,
        apiVersion: request.apiVersion,
        session,
        aaiRegion,
        subcloud: target.subcloud,
      });
    } catch (error) {
      result.failures.push({ step: `cloud region ${target.vimId}`, error });
      return result;
    }
    const { extraInfo, warnings, confirmed } = updated;
    result.warnings.push(...warnings);
    // What A&AI held before this update (e.g. no openstack region id yet) is stale now.
    if (updated.action !== 'unchanged') this.reader.forget(target.vimId);

    if (target.subcloud?.paused) {
      // SPEC 12: a subcloud unmanaged or offline keeps its region (in-maint); nothing calls the site.
      await this.audit.pause(target.vimId.toString());
      result.changes = withRegionAction(emptyChanges(), updated.action);
      result.warnings.push(`${target.vimId}: subcloud ${target.subcloud.info.name} is ${maintenanceReason(target.subcloud)}: its objects and audit are paused`);
      return result;
    }

    const k8s = await this.connectKubernetes.execute(target.vimId, extraInfo);
    if (!k8s.connected && k8s.reason === 'failed') {
      result.warnings.push(`k8s connectivity of ${target.vimId} not registered: ${k8s.error.message}`);
    }
    if (!k8s.connected && k8s.reason === 'other-owner') result.warnings.push(otherOwnerWarning(target.vimId, k8s.owner));
    if (k8s.connected && !k8s.verified) {
      result.warnings.push(
        `the Kubernetes cluster of ${target.vimId} is not verified: cloud-extra-info has no k8s-apiserver-cacert (PEM), ` + 'so its kubeconfig skips TLS verification',
      );
    }

    const { value: sync, warnings: syncWarnings } = await collectWarnings(() => this.reconcile.execute(target, session, confirmed, writer, options));
    result.counts = sync.counts;
    result.changes = withRegionAction(sync.changes, updated.action);
    result.failures.push(...sync.failures, ...writeFailures(sync.changes));
    // Lists cut at their page cap, flavors whose NUMA count was capped: at most 10, then a count.
    result.warnings.push(...syncWarnings.slice(0, 10), ...(syncWarnings.length > 10 ? [`${syncWarnings.length - 10} more warnings`] : []));

    result.warnings.push(...(await this.startAudit(target, session, request, capacityAuditorEnabled(extraInfo))));
    return result;
  }

  /** Composed subcloud regions whose openstack region is gone: de-registered by the reconcile rules, JOB_REGION_CONCURRENCY at a time. */
  private removeGoneSubclouds(gone: VimId[], writer: AaiWriter, options: PlanOptions): Promise<RegionResult[]> {
    return Promise.all(
      gone.map((vimId) =>
        this.tasks.forRegion(() =>
          this.underSubcloudClaim(vimId, true, async (): Promise<RegionResult> => {
            try {
              const changes = await this.removeSubcloud.execute(await this.removeSubcloud.plan(vimId, options), writer);
              return { vimId: vimId.toString(), changes, failures: writeFailures(changes), warnings: [], removed: true };
            } catch (error) {
              return { vimId: vimId.toString(), failures: [{ step: `removing subcloud region ${vimId}`, error }], warnings: [], removed: true };
            }
          }),
        ),
      ),
    );
  }

  /**
   * Audited from now on (not before: its A&AI record only now names its openstack
   * region), with a first audit whose trouble is a warning.
   */
  private async startAudit(target: RegionTarget, session: CloudSession, request: JobRequest, enabled: boolean): Promise<string[]> {
    const vimId = target.vimId.toString();
    if (!enabled) {
      await this.auditRegistry.remove(vimId);
      return [];
    }
    // A sync of a region already audited leaves it to its schedule: no second audit in the interval.
    if (request.trigger === 'sync' && (await this.auditRegistry.has(vimId))) return [];
    const audited = { vimId, apiVersion: request.apiVersion, project: request.project };
    try {
      // Joins the audited regions there, its next scheduled audit an interval away.
      const capacity = await this.audit.auditFirst(audited, session, target.openstackRegionId);
      if (capacity.reportsFigures) return [];
      return [`the cloud reports no hypervisor capacity figures for ${target.vimId} ` + '(Nova microversion 2.88 and later drop them); capacity_check AZs will be empty'];
    } catch (error) {
      return [`first capacity audit of ${target.vimId} failed: ${describeError(error)}`];
    }
  }

  /** The regions' warnings and failures, in region order, into the report; the status details. */
  private collect(results: RegionResult[], report: JobReport): Record<string, unknown> {
    const counts: Record<string, number> = {};
    const changes: Record<string, RegionChanges> = {};
    const held: Array<HeldDeletes & { vimid: string }> = [];
    for (const result of results) {
      report.warn(...result.warnings);
      report.fail(...result.failures);
      for (const [key, value] of Object.entries(result.counts ?? {})) counts[key] = (counts[key] ?? 0) + value;
      if (result.changes) changes[result.vimId] = result.changes;
      for (const entry of result.changes?.held ?? []) held.push({ vimid: result.vimId, ...entry });
    }
    // SPEC 7: mass deletes held: the job succeeds, with a warning and the deletes in `held`.
    if (held.length) {
      report.warn(
        `deletes held (more than ${this.settings.reconcileMaxDeletePercent}% of one kind in one region): ` +
          `${held.map((h) => `${h.count} of ${h.of} ${h.kind} in ${h.vimid}`).join(', ')}; POST the registry with ?confirmDeletes=true to apply them`,
      );
    }
    return {
      regions: results.filter((result) => !result.removed).map((result) => result.vimId),
      counts,
      changes,
      ...(report.warnings.length ? { warnings: [...report.warnings] } : {}),
      ...(held.length ? { held } : {}),
    };
  }
}

function emptyChanges(): RegionChanges {
  return { created: {}, updated: {}, deleted: {}, unchanged: {}, kept: [], failed: [] };
}

function maintenanceReason(subcloud: SubcloudLifecycle): string {
  const { info } = subcloud;
  return [info['management-state'] === 'unmanaged' ? 'unmanaged' : '', info['availability-status'] === 'offline' ? 'offline' : ''].filter(Boolean).join(' and ');
}

/** The region object itself counted beside its objects. */
function withRegionAction(changes: RegionChanges, action: RegionUpdateResult['action']): RegionChanges {
  const tally = action === 'create' ? changes.created : action === 'update' ? changes.updated : changes.unchanged;
  tally['cloud-region'] = 1;
  return changes;
}

/** Failed writes as one step failure: named after the first one's kind, how many, and the first (its status is the job's code). */
function writeFailures(changes: RegionChanges): StepFailure[] {
  const [first] = changes.failed;
  if (!first) return [];
  const error = new WriteFailedError(first.message, first.status);
  return [{ step: stepOfKind(first.kind), error, failed: changes.failed.length, of: countWrites(changes) }];
}

function countWrites(changes: RegionChanges): number {
  const sum = (tally: Partial<Record<string, number>>) => Object.values(tally).reduce((n: number, v) => n + (v ?? 0), 0);
  return sum(changes.created) + sum(changes.updated) + sum(changes.deleted) + changes.failed.length;
}
