import { Injectable } from '@nestjs/common';

import { capacityAuditorEnabled, k8sApiToken, multiRegionDiscovery, openstackRegionIdIn } from '../domain/cloud-extra-info';
import { AaiCloudRegion, VimInfo } from '../domain/cloud-region';
import { CloudRegionNotFoundError } from '../domain/errors';
import { JobOutcome } from '../domain/job-status';
import { chooseMainRegion, discoverRegions } from '../domain/region-discovery';
import { VimId } from '../domain/vim-id';
import { AuditAzCapacity } from './audit-az-capacity';
import { throwIfAborted } from './jobs/call-scope';
import { describeError } from './jobs/job-messages';
import { JobReport } from './jobs/job-report';
import { StepFailure } from './jobs/task-budget';
import { AuditRegistryPort } from './ports/audit-registry.port';
import { JobRequest } from './ports/job-store.port';
import { LogPort } from './ports/log.port';
import { CloudSession, OpenStackPort } from './ports/openstack.port';
import { CloudRegionReader } from './registration/cloud-region-reader';
import { openCloudSession } from './registration/cloud-session';
import { ConnectKubernetes } from './registration/connect-kubernetes';
import { RegionTarget, SyncCounts, SyncRegionResources } from './registration/sync-region-resources';
import { RegionUpdateResult, UpdateCloudRegion } from './registration/update-cloud-region';

/** What the registration of one A&AI region (the main one or a subcloud) came to. */
interface RegionResult {
  vimId: string;
  counts?: SyncCounts;
  failures: StepFailure[];
  warnings: string[];
}

/** A step that failed the whole job, named for the status. */
class StepError extends Error {
  constructor(
    readonly step: string,
    readonly error: unknown,
  ) {
    super(step);
  }
}

/**
 * The registration job (SPEC section 3), run by RegionJobs for a POST registry:
 * `run` is the SPEC's steps in order; the methods below it are the steps.
 */
@Injectable()
export class RegisterCloudRegion {
  constructor(
    private readonly reader: CloudRegionReader,
    private readonly openstack: OpenStackPort,
    private readonly updateRegion: UpdateCloudRegion,
    private readonly connectKubernetes: ConnectKubernetes,
    private readonly syncResources: SyncRegionResources,
    private readonly audit: AuditAzCapacity,
    private readonly auditRegistry: AuditRegistryPort,
    private readonly log: LogPort,
  ) {}

  /** SPEC 3.1 to 3.7 in order; what goes wrong in a step goes into the job's report. */
  async run(request: JobRequest): Promise<JobOutcome> {
    const vimId = VimId.parse(request.vimId);
    const report = new JobReport('register', request.vimId);
    try {
      const { vim, aaiRegion } = await this.reader.read(vimId); // 3.1 VIM info from A&AI
      report.conceal(vim.access.password, k8sApiToken(vim.extraInfo));
      const session = await this.signInToKeystone(vim, request.project); // 3.2 Keystone
      const discovered = await this.discoverRegions(session, vimId, report); // 3.3 Regions
      const targets = this.withSubclouds(vim, discovered, report); // 3.4 Subclouds
      const results = await this.registerRegions(targets, vim, session, request, aaiRegion); // 3.5 to 3.7, first audit
      return report.outcome(this.collect(results, report));
    } catch (error) {
      if (error instanceof CloudRegionNotFoundError) report.regionNotFound();
      else if (error instanceof StepError) report.fail({ step: error.step, error: error.error });
      else report.fail({ step: '', error });
      return report.outcome();
    }
  }

  private async signInToKeystone(vim: VimInfo, project: string | undefined): Promise<CloudSession> {
    try {
      return await openCloudSession(this.openstack, vim, project);
    } catch (error) {
      throw new StepError('Keystone sign-in failed', error);
    }
  }

  /** The cloud's regions (a distributed cloud's subclouds); a failed discovery is a warning. */
  private async discoverRegions(session: CloudSession, vimId: VimId, report: JobReport): Promise<string[]> {
    try {
      const { regions, distributedCloud } = discoverRegions(await this.openstack.listRegions(session));
      this.log.info(`${vimId}: discovered regions [${regions.join(', ')}]${distributedCloud ? ' (a distributed cloud)' : ''}`);
      return regions;
    } catch (error) {
      report.warn(`region discovery failed: ${describeError(error)}`);
      return [];
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

  /** Every target at once; the main one (first) reuses what A&AI held of it in 3.1. */
  private registerRegions(
    targets: RegionTarget[],
    vim: VimInfo,
    session: CloudSession,
    request: JobRequest,
    aaiRegion: AaiCloudRegion,
  ): Promise<RegionResult[]> {
    return Promise.all(
      targets.map((target, index) =>
        this.registerRegion(target, vim, session, request, index === 0 ? aaiRegion : undefined).catch((error: unknown) => ({
          vimId: target.vimId.toString(),
          failures: [{ step: `region ${target.vimId}`, error }],
          warnings: [],
        })),
      ),
    );
  }

  /** One A&AI region: SPEC 3.5 (update the region), 3.6 (Kubernetes), 3.7 (resources), then its audit. */
  private async registerRegion(
    target: RegionTarget,
    vim: VimInfo,
    session: CloudSession,
    request: JobRequest,
    aaiRegion: AaiCloudRegion | undefined,
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
      });
    } catch (error) {
      result.failures.push({ step: `cloud region ${target.vimId}`, error });
      return result;
    }
    const { extraInfo, warnings, confirmed } = updated;
    result.warnings.push(...warnings);
    // What A&AI held before this update (e.g. no openstack region id yet) is stale now.
    this.reader.forget(target.vimId);

    const k8s = await this.connectKubernetes.execute(target.vimId, extraInfo);
    if (!k8s.connected && k8s.reason === 'failed') {
      result.warnings.push(`k8s connectivity of ${target.vimId} not registered: ${k8s.error.message}`);
    }

    const sync = await this.syncResources.execute(target, session, confirmed);
    result.counts = sync.counts;
    result.failures.push(...sync.failures);

    result.warnings.push(...(await this.startAudit(target, session, request, capacityAuditorEnabled(extraInfo))));
    return result;
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
    const audited = { vimId, apiVersion: request.apiVersion, project: request.project };
    await this.auditRegistry.add(audited);
    try {
      const capacity = await this.audit.auditFirst(audited, session, target.openstackRegionId);
      if (capacity.reportsFigures) return [];
      return [
        `the cloud reports no hypervisor capacity figures for ${target.vimId} ` +
          '(Nova microversion 2.88 and later drop them); capacity_check AZs will be empty',
      ];
    } catch (error) {
      return [`first capacity audit of ${target.vimId} failed: ${describeError(error)}`];
    }
  }

  /** The regions' warnings and failures, in region order, into the report; the status details. */
  private collect(results: RegionResult[], report: JobReport): Record<string, unknown> {
    const counts: Record<string, number> = {};
    for (const result of results) {
      report.warn(...result.warnings);
      report.fail(...result.failures);
      for (const [key, value] of Object.entries(result.counts ?? {})) counts[key] = (counts[key] ?? 0) + value;
    }
    return {
      regions: results.map((result) => result.vimId),
      counts,
      ...(report.warnings.length ? { warnings: [...report.warnings] } : {}),
    };
  }
}
