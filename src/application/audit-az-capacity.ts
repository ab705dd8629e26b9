import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { AzCapacityReport, aggregateByZone } from '../domain/az-capacity';
import { capacityAuditorEnabled } from '../domain/cloud-extra-info';
import { CloudRegionNotFoundError } from '../domain/errors';
import { VimId } from '../domain/vim-id';
import { runWithSignal } from './jobs/call-scope';
import { openCloudSession } from './registration/cloud-session';
import { CloudRegionReader } from './registration/cloud-region-reader';
import { describeError, isTimeout } from './jobs/job-messages';
import { AuditRegistryPort, AuditedRegion } from './ports/audit-registry.port';
import { CapacityStorePort } from './ports/capacity-store.port';
import { LogPort } from './ports/log.port';
import { CloudSession, OpenStackPort } from './ports/openstack.port';
import { RemoteCallError } from './ports/remote-call.error';
import { Settings } from './ports/settings.port';
import { NO_TELEMETRY, TelemetryPort } from './ports/telemetry.port';
import { runInContext } from './jobs/request-context';

/** How many audits this replica ran to the end, and how many failed. */
export interface AuditStats {
  completed: number;
  failed: number;
}

/**
 * SPEC section 5: every audited region, when due, gets its per-zone capacity
 * recomputed from Nova and stored. A region is due once per interval across all
 * replicas (a lease in the store), never overlaps itself, and is stopped when it
 * overruns its timeout, so a slow region never holds up the others.
 */
@Injectable()
export class AuditAzCapacity {
  private readonly inFlight = new Set<string>();
  private readonly notBefore = new Map<string, number>();
  private readonly warnedNoFigures = new Set<string>();
  private dispatching = false;
  /** A failing store is reported once, not on every tick. */
  private roundsFailing = false;
  readonly stats: AuditStats = { completed: 0, failed: 0 };

  constructor(
    private readonly registry: AuditRegistryPort,
    private readonly capacity: CapacityStorePort,
    private readonly reader: CloudRegionReader,
    private readonly openstack: OpenStackPort,
    private readonly settings: Settings,
    private readonly log: LogPort,
    private readonly telemetry: TelemetryPort = NO_TELEMETRY,
  ) {}

  /**
   * Starts the audits that are due and whose lease this replica wins; resolves when
   * they have ended. A call while another is still dispatching does nothing.
   */
  async runDue(now = Date.now()): Promise<number> {
    if (this.dispatching) return 0;
    this.dispatching = true;
    const started: Array<Promise<void>> = [];
    try {
      const regions = await this.registry.list();
      this.forgetAllBut(new Set(regions.map((region) => region.vimId)));
      for (const region of regions) {
        if (this.inFlight.has(region.vimId) || (this.notBefore.get(region.vimId) ?? 0) > now) continue;
        if (this.inFlight.size >= this.settings.audit.concurrency) break;
        const interval = this.intervalOf(region);
        const lease = await this.registry.tryLease(region.vimId, interval);
        if (!lease.won) {
          this.notBefore.set(region.vimId, now + lease.retryInMs);
          continue;
        }
        const lagMs = Math.max(0, Date.now() - (this.notBefore.get(region.vimId) ?? now));
        this.notBefore.set(region.vimId, now + interval);
        started.push(this.auditInBackground(region, interval, lagMs));
      }
      if (this.roundsFailing) this.log.info('capacity audits resumed');
      this.roundsFailing = false;
    } catch (error) {
      if (!this.roundsFailing) this.log.error(`capacity audits paused: ${describeError(error)}`);
      this.roundsFailing = true;
    } finally {
      this.dispatching = false;
    }
    await Promise.all(started);
    return started.length;
  }

  /**
   * The registration's own audit, with its session: it always runs (its report goes in
   * the job status) and takes the region's lease when free, so that the next scheduled
   * one comes an interval later.
   */
  async auditFirst(audited: AuditedRegion, session: CloudSession, openstackRegionId: string): Promise<AzCapacityReport> {
    const interval = this.intervalOf(audited);
    if ((await this.registry.tryLease(audited.vimId, interval)).won) {
      this.notBefore.set(audited.vimId, Date.now() + interval);
    }
    return this.auditWithSession(VimId.parse(audited.vimId), session, openstackRegionId);
  }

  /** One audit with a session the caller already has. */
  async auditWithSession(vimId: VimId, session: CloudSession, openstackRegionId: string): Promise<AzCapacityReport> {
    const [zones, hypervisors] = await Promise.all([
      this.openstack.listAvailabilityZones(session, openstackRegionId),
      this.openstack.listHypervisors(session, openstackRegionId),
    ]);
    const report = aggregateByZone(zones, hypervisors);
    const id = vimId.toString();
    if (!report.reportsFigures && !this.warnedNoFigures.has(id)) {
      this.warnedNoFigures.add(id);
      this.log.warn(`${id}: hypervisors report no capacity figures (Nova 2.88+); its zones show 0`);
    }
    for (const zone of report.zones) {
      if (zone.unmatchedHosts.length) {
        this.log.warn(`${id}: zone ${zone.zone} hosts without a hypervisor: ${zone.unmatchedHosts.join(', ')}`);
      }
    }
    // A region de-registered while this audit ran must not get its data back.
    if (await this.registry.has(id)) {
      await this.capacity.saveZones(id, report.zones);
    }
    return report;
  }

  intervalOf(region: AuditedRegion): number {
    const { overrideIntervalMs, v0IntervalMs, v1IntervalMs } = this.settings.audit;
    return overrideIntervalMs ?? (region.apiVersion === 'v0' ? v0IntervalMs : v1IntervalMs);
  }

  /** What this replica remembers of regions no longer audited. */
  private forgetAllBut(audited: Set<string>): void {
    for (const id of this.notBefore.keys()) {
      if (audited.has(id)) continue;
      this.notBefore.delete(id);
      this.telemetry.auditForgotten(id);
    }
    for (const id of this.warnedNoFigures) if (!audited.has(id)) this.warnedNoFigures.delete(id);
  }

  /** Each audit has a request id of its own, which its log lines and remote calls carry. */
  private auditInBackground(region: AuditedRegion, interval: number, lagMs: number): Promise<void> {
    const id = region.vimId;
    this.inFlight.add(id);
    const timeout = this.settings.audit.timeoutMs ?? Math.floor(interval * 0.8);
    return runInContext({ requestId: randomUUID(), vimId: id }, async () => {
      try {
        await runWithSignal(AbortSignal.timeout(timeout), () => this.auditRegion(region));
        this.stats.completed += 1;
        this.telemetry.auditEnded(id, 'success', lagMs);
      } catch (error) {
        this.stats.failed += 1;
        this.telemetry.auditEnded(id, 'failure', lagMs);
        const reason = isTimeout(error) ? `timed out after ${timeout} ms` : describeError(error);
        this.log.warn(`capacity audit of ${id} failed: ${reason}`);
      } finally {
        this.inFlight.delete(id);
      }
    });
  }

  private async auditRegion(region: AuditedRegion): Promise<void> {
    const vimId = VimId.parse(region.vimId);
    try {
      const vim = await this.reader.readCached(vimId);
      if (!capacityAuditorEnabled(vim.extraInfo)) return;
      const session = await openCloudSession(this.openstack, vim, region.project);
      await this.auditWithSession(vimId, session, vim.openstackRegionId);
    } catch (error) {
      if (error instanceof CloudRegionNotFoundError || RemoteCallError.is(error, 401)) {
        this.reader.forget(vimId);
      }
      throw error;
    }
  }
}
