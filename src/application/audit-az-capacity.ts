import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { AzCapacityReport, aggregateByZone, aggregatePlacement, providerNames, zoneMembers } from '../domain/az-capacity';
import { AuditRecord } from '../domain/capacity-freshness';
import { schedulableZones } from '../domain/compute-service';
import { capacityAuditorEnabled } from '../domain/cloud-extra-info';
import { subcloudInMaintenance } from '../domain/subcloud';
import { CloudRegionNotFoundError } from '../domain/errors';
import { VimId } from '../domain/vim-id';
import { runWithSignal } from './jobs/call-scope';
import { openCloudSession } from './registration/cloud-session';
import { CloudRegionReader } from './registration/cloud-region-reader';
import { describeError, isTimeout } from './jobs/job-messages';
import { readPlacement } from './placement-capacity';
import { AuditRegistryPort, AuditedRegion } from './ports/audit-registry.port';
import { CapacityStorePort } from './ports/capacity-store.port';
import { OutageLog } from './jobs/outage-log';
import { LogPort } from './ports/log.port';
import { CloudSession, OpenStackPort } from './ports/openstack.port';
import { RemoteCallError } from './ports/remote-call.error';
import { Settings } from './ports/settings.port';
import { NO_TELEMETRY, TelemetryPort } from './ports/telemetry.port';
import { runInContext } from './jobs/request-context';

/** Audits in a row that find a region gone from A&AI before it leaves the audit. */
export const NOT_FOUND_LIMIT = 3;

/** How many audits this replica ran to the end, and how many failed. */
export interface AuditStats {
  completed: number;
  failed: number;
}

/**
 * SPEC sections 5 and 9: every audited region, when due, gets its per-zone and per-host
 * capacity recomputed, from Placement when the catalog has it, else from Nova's
 * hypervisors, and stored with the time of the audit; a failed audit marks it stale.
 * A region is due once per interval across all replicas (a lease in the store), never
 * overlaps itself, and is stopped when it overruns its timeout, so a slow region never
 * holds up the others.
 */
@Injectable()
export class AuditAzCapacity {
  private readonly inFlight = new Set<string>();
  private readonly notBefore = new Map<string, number>();
  private readonly warnedNoFigures = new Set<string>();
  private dispatching = false;
  /** A failing store is reported once, not on every tick. */
  private readonly outage: OutageLog;
  readonly stats: AuditStats = { completed: 0, failed: 0 };

  constructor(
    private readonly registry: AuditRegistryPort,
    private readonly capacity: CapacityStorePort,
    private readonly reader: CloudRegionReader,
    private readonly openstack: OpenStackPort,
    private readonly settings: Settings,
    private readonly log: LogPort,
    private readonly telemetry: TelemetryPort = NO_TELEMETRY,
  ) {
    this.outage = new OutageLog(log, 'capacity audits');
  }

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
      this.outage.worked();
    } catch (error) {
      this.outage.failed(error);
    } finally {
      this.dispatching = false;
    }
    await Promise.all(started);
    return started.length;
  }

  /**
   * The registration's own audit, with its session: it always runs (its report goes in
   * the job status). The region joins the audited regions off this replica's rounds
   * until this audit ends, and its lease is taken (when free), so no scheduled audit
   * overlaps this one and the next comes an interval later.
   */
  async auditFirst(audited: AuditedRegion, session: CloudSession, openstackRegionId: string): Promise<AzCapacityReport> {
    const interval = this.intervalOf(audited);
    this.inFlight.add(audited.vimId);
    try {
      await this.registry.add(audited);
      if ((await this.registry.tryLease(audited.vimId, interval)).won) {
        this.notBefore.set(audited.vimId, Date.now() + interval);
      }
      try {
        return await this.auditWithSession(VimId.parse(audited.vimId), session, openstackRegionId, interval);
      } catch (error) {
        await this.markFailed(audited.vimId);
        throw error;
      }
    } finally {
      this.inFlight.delete(audited.vimId);
    }
  }

  /**
   * One audit with a session the caller already has: the compute services (zones, and
   * which hosts the scheduler may use: enabled and up), hypervisors (to map hosts to
   * providers) and the Placement provider list; then what changed of the providers whose
   * generation moved. An unchanged region costs 3 cloud calls.
   */
  async auditWithSession(vimId: VimId, session: CloudSession, openstackRegionId: string, intervalMs: number): Promise<AzCapacityReport> {
    const id = vimId.toString();
    const [services, hypervisors, providers] = await Promise.all([
      this.openstack.listComputeServices(session, openstackRegionId),
      this.openstack.listHypervisors(session, openstackRegionId),
      this.openstack.listResourceProviders(session, openstackRegionId),
    ]);
    const zones = schedulableZones(services);
    let report: AzCapacityReport;
    const record: AuditRecord = { source: providers ? 'placement' : 'hypervisors', asOf: 0, intervalMs, zones: [] };
    if (providers) {
      const members = zoneMembers(zones, hypervisors);
      const wanted = new Set(members.flatMap(providerNames));
      const computeNodes = new Set(hypervisors.flatMap((h) => [h.hypervisor_hostname, h.service?.host]).filter((n): n is string => !!n));
      // The previous audit's generations: only providers whose generation moved are read again.
      const previous = await this.capacity.readAudit(id);
      const placement = await readPlacement(this.openstack, session, openstackRegionId, providers, wanted, computeNodes, previous);
      report = aggregatePlacement(members, placement.rooms, placement.sharing);
      record.providers = placement.providers;
      record.nonSharing = placement.nonSharing;
    } else {
      report = aggregateByZone(zones, hypervisors, this.settings.cpuAllocationRatio);
    }
    if (!report.reportsFigures) {
      // Zeros would be a lie: keep what the store holds, marked stale.
      if (!this.warnedNoFigures.has(id)) {
        this.warnedNoFigures.add(id);
        this.log.warn(`${id}: hypervisors report no capacity figures (Nova 2.88+) and the catalog has no placement`);
      }
      await this.markFailed(id);
      return report;
    }
    for (const zone of report.zones) {
      if (zone.unmatchedHosts.length) {
        const what = providers ? 'resource provider' : 'hypervisor';
        this.log.warn(`${id}: zone ${zone.zone} hosts without a ${what}: ${zone.unmatchedHosts.join(', ')}${zone.unknown ? ' (its capacity is unknown)' : ''}`);
      }
    }
    // A region de-registered while this audit ran must not get its data back: the store
    // writes them only while the region is audited, in the same atomic step.
    record.asOf = Date.now();
    record.zones = report.zones.map(({ zone, hosts, shared, unknown }) => ({ zone, hosts, ...(shared ? { shared } : {}), ...(unknown ? { unknown } : {}) }));
    // The plain cap_* keys hold figures only: a zone whose capacity is unknown gets none (never zeros).
    await this.capacity.saveAudit(id, report.zones.filter((zone) => !zone.unknown), record);
    return report;
  }

  intervalOf(region: AuditedRegion): number {
    const { overrideIntervalMs, v0IntervalMs, v1IntervalMs } = this.settings.audit;
    return overrideIntervalMs ?? (region.apiVersion === 'v0' ? v0IntervalMs : v1IntervalMs);
  }

  /** The previous figures stay, marked stale; a region de-registered meanwhile gets nothing back. */
  /**
   * SPEC 12: a subcloud in maintenance is not audited (nothing calls the site); its
   * figures stay, marked stale, so capacity_check answers its zones stale.
   */
  async pause(vimId: string): Promise<void> {
    // Marked while still audited (the store marks audited regions only), then no longer audited.
    await this.capacity.markFailed(vimId, Date.now());
    await this.registry.remove(vimId);
  }

  private async markFailed(id: string): Promise<void> {
    try {
      // The store marks only a region still audited (the same atomic check as the save).
      await this.capacity.markFailed(id, Date.now());
    } catch (error) {
      this.log.warn(`capacity audit of ${id}: could not mark its figures stale: ${describeError(error)}`);
    }
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
        await this.markFailed(id);
      } finally {
        this.inFlight.delete(id);
      }
    });
  }

  private async auditRegion(region: AuditedRegion): Promise<void> {
    const vimId = VimId.parse(region.vimId);
    try {
      const { vim, fresh } = await this.reader.readCachedAnswer(vimId);
      // A&AI found it: its run of not-found answers ends (a cached read is no answer).
      if (fresh) await this.registry.clearNotFound(region.vimId);
      if (!capacityAuditorEnabled(vim.extraInfo)) return;
      // SPEC 12: a subcloud in maintenance is not called; its figures stay, marked stale.
      if (subcloudInMaintenance(vim.extraInfo, vim.inMaint)) return await this.markFailed(region.vimId);
      const session = await openCloudSession(this.openstack, vim, region.project);
      await this.auditWithSession(vimId, session, vim.openstackRegionId, this.intervalOf(region));
    } catch (error) {
      if (error instanceof CloudRegionNotFoundError || RemoteCallError.is(error, 401)) {
        this.reader.forget(vimId);
      }
      if (error instanceof CloudRegionNotFoundError) await this.forgetIfGone(region.vimId);
      throw error;
    }
  }

  /** A region deleted from A&AI by other means leaves the audit after NOT_FOUND_LIMIT answers in a row. */
  private async forgetIfGone(vimId: string): Promise<void> {
    const answers = await this.registry.countNotFound(vimId);
    if (answers < NOT_FOUND_LIMIT) return;
    await this.registry.remove(vimId);
    await this.capacity.dropRegion(vimId);
    this.log.warn(`${vimId} dropped from the capacity audit: A&AI answered ${answers} audits in a row that it has no such region`);
  }
}
