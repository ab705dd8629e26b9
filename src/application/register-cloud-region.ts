import { Injectable } from '@nestjs/common';

import { AaiObject } from '../domain/aai-object';
import { CloudExtraInfo, extraInfo } from '../domain/cloud-extra-info';
import { VimInfo } from '../domain/cloud-region';
import { CloudRegionNotFoundError } from '../domain/errors';
import { JobCode, JobOutcome } from '../domain/job-status';
import { chooseMainRegion, discoverRegions } from '../domain/region-discovery';
import { VimId } from '../domain/vim-id';
import { AuditAzCapacity } from './audit-az-capacity';
import { throwIfAborted } from './jobs/call-scope';
import { openCloudSession } from './registration/cloud-session';
import { CloudRegionReader, StoredCloudRegion } from './registration/cloud-region-reader';
import { ConnectKubernetes } from './registration/connect-kubernetes';
import { codeOf, describeError, redact } from './jobs/job-messages';
import { AuditRegistryPort } from './ports/audit-registry.port';
import { JobRequest } from './ports/job-store.port';
import { LogPort } from './ports/log.port';
import { CloudSession, OpenStackPort } from './ports/openstack.port';
import { RegionTarget, SyncCounts, SyncRegionResources } from './registration/sync-region-resources';
import { StepFailure } from './jobs/task-budget';
import { UpdateCloudRegion } from './registration/update-cloud-region';

interface RegionResult {
  vimId: string;
  counts?: SyncCounts;
  failures: StepFailure[];
  warnings: string[];
}

/**
 * The registration job (SPEC section 3), run by RegionJobs for a POST registry. It reads the region from A&AI, signs in to its Keystone, discovers regions
 * (subclouds too), updates the A&AI region(s), connects Kubernetes, registers every
 * resource, and runs a first capacity audit.
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

  async run(request: JobRequest): Promise<JobOutcome> {
    const vimId = VimId.parse(request.vimId);
    let outcome: JobOutcome;
    let secrets: Array<string | undefined> = [];
    try {
      const stored = await this.reader.read(vimId);
      secrets = [stored.vim.access.password, extraInfo.k8sApiToken(stored.vim.extraInfo)];
      outcome = await this.register(request, stored);
    } catch (error) {
      outcome =
        error instanceof CloudRegionNotFoundError
          ? { code: JobCode.REGION_NOT_FOUND, message: error.message }
          : this.failed(vimId, error, []);
    }
    const safe: JobOutcome = {
      ...outcome,
      message: redact(outcome.message, secrets),
      details: outcome.details && JSON.parse(redact(JSON.stringify(outcome.details), secrets)),
    };
    if (safe.code === JobCode.SUCCESS) this.log.info(safe.message);
    else this.log.error(safe.message);
    return safe;
  }

  private async register(request: JobRequest, stored: StoredCloudRegion): Promise<JobOutcome> {
    const { vim } = stored;
    const vimId = vim.vimId;

    let session: CloudSession;
    try {
      session = await openCloudSession(this.openstack, vim, request.project);
    } catch (error) {
      return this.failed(vimId, error, [], 'Keystone sign-in failed');
    }

    const warnings: string[] = [];
    const discovered = await this.discover(session, vimId, warnings);
    const main = chooseMainRegion(
      discovered,
      extraInfo.openstackRegionId(vim.extraInfo),
      vimId.cloudRegionId,
      vim.openstackRegionId,
    );
    const subclouds = extraInfo.multiRegionDiscovery(vim.extraInfo)
      ? discovered.filter((region) => region !== main)
      : [];
    const targets: RegionTarget[] = [{ vimId, openstackRegionId: main }];
    for (const region of subclouds) {
      try {
        targets.push({ vimId: vimId.subcloud(region), openstackRegionId: region });
      } catch (error) {
        warnings.push(`subcloud region ${region} skipped: ${describeError(error)}`);
      }
    }
    const results = await Promise.all(
      targets.map((target, index) =>
        this.registerRegion(target, vim, session, request, index === 0 ? stored : undefined).catch((error: unknown) => ({
          vimId: target.vimId.toString(),
          failures: [{ step: `region ${target.vimId}`, error }],
          warnings: [],
        })),
      ),
    );
    return this.outcome(vimId, results, warnings);
  }

  /** One A&AI region: SPEC 3.5, 3.6, 3.7 and a first capacity audit. */
  private async registerRegion(
    target: RegionTarget,
    vim: VimInfo,
    session: CloudSession,
    request: JobRequest,
    held: StoredCloudRegion | undefined,
  ): Promise<RegionResult> {
    const { apiVersion } = request;
    const result: RegionResult = { vimId: target.vimId.toString(), failures: [], warnings: [] };
    let info: CloudExtraInfo;
    let confirmed: AaiObject;
    try {
      throwIfAborted();
      const updated = await this.updateRegion.execute({
        vim,
        target: target.vimId,
        openstackRegionId: target.openstackRegionId,
        apiVersion,
        session,
        held,
      });
      info = updated.extraInfo;
      confirmed = updated.confirmed;
      result.warnings.push(...updated.warnings);
      // What A&AI held before this update (e.g. no openstack region id yet) is stale now.
      this.reader.forget(target.vimId);
    } catch (error) {
      result.failures.push({ step: `cloud region ${target.vimId}`, error });
      return result;
    }

    const k8s = await this.connectKubernetes.execute(target.vimId, info);
    if (!k8s.connected && k8s.reason === 'failed') {
      result.warnings.push(`k8s connectivity of ${target.vimId} not registered: ${k8s.error.message}`);
    }

    const sync = await this.syncResources.execute(target, session, confirmed);
    result.counts = sync.counts;
    result.failures.push(...sync.failures);

    // Audited from now on (not before: its A&AI record only now names its openstack region).
    const audited = extraInfo.capacityAuditorEnabled(info);
    await this.track(target.vimId.toString(), request, audited);
    if (audited) {
      try {
        const report = await this.audit.auditFirst(
          { vimId: target.vimId.toString(), apiVersion },
          session,
          target.openstackRegionId,
        );
        if (!report.reportsFigures) {
          result.warnings.push(
            `the cloud reports no hypervisor capacity figures for ${target.vimId} ` +
              '(Nova microversion 2.88 and later drop them); capacity_check AZs will be empty',
          );
        }
      } catch (error) {
        result.warnings.push(`first capacity audit of ${target.vimId} failed: ${describeError(error)}`);
      }
    }
    return result;
  }

  private async discover(session: CloudSession, vimId: VimId, warnings: string[]): Promise<string[]> {
    try {
      const { regions, distributedCloud } = discoverRegions(await this.openstack.listRegions(session));
      this.log.info(`${vimId}: discovered regions [${regions.join(', ')}]${distributedCloud ? ' (a distributed cloud)' : ''}`);
      return regions;
    } catch (error) {
      warnings.push(`region discovery failed: ${describeError(error)}`);
      return [];
    }
  }

  private async track(vimId: string, request: JobRequest, auditEnabled: boolean): Promise<void> {
    if (auditEnabled) {
      await this.auditRegistry.add({ vimId, apiVersion: request.apiVersion, project: request.project });
    } else {
      await this.auditRegistry.remove(vimId);
    }
  }

  private outcome(vimId: VimId, results: RegionResult[], warnings: string[]): JobOutcome {
    const counts = results.reduce<Record<string, number>>((sum, result) => {
      for (const [key, value] of Object.entries(result.counts ?? {})) sum[key] = (sum[key] ?? 0) + value;
      return sum;
    }, {});
    const allWarnings = [...warnings, ...results.flatMap((r) => r.warnings)];
    const failures = results.flatMap((r) => r.failures);
    const details = {
      regions: results.map((r) => r.vimId),
      counts,
      ...(allWarnings.length ? { warnings: allWarnings } : {}),
    };
    if (failures.length > 0) {
      return this.failed(vimId, failures[0].error, failures, undefined, details, allWarnings);
    }
    const suffix = allWarnings.length ? `; warnings: ${allWarnings.join('; ')}` : '';
    return { code: JobCode.SUCCESS, message: `Registration finished for Cloud Region: ${vimId}${suffix}`, details };
  }

  private failed(
    vimId: VimId,
    error: unknown,
    failures: StepFailure[],
    what?: string,
    details?: Record<string, unknown>,
    warnings: string[] = [],
  ): JobOutcome {
    const steps = failures.length
      ? failures.map((f) => `${f.step}${f.failed ? ` (${f.failed} failed)` : ''}: ${describeError(f.error)}`)
      : [`${what ? `${what}: ` : ''}${describeError(error)}`];
    const message =
      `Registration failed for Cloud Region: ${vimId}: ${steps.join('; ')}` +
      (warnings.length ? `; warnings: ${warnings.join('; ')}` : '');
    return { code: codeOf(error), message, details };
  }
}
