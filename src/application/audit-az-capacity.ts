import { createHash, randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { AzCapacityReport, aggregateByZone, aggregatePlacement, nodesNamedAfterHosts, providerNames, zoneMembers } from '../domain/az-capacity';
import { AuditRecord, WHOLE_AUDIT_EVERY_MS, auditInputs, settled } from '../domain/capacity-freshness';
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
  /** Regions this replica has audited (their per-region series go when they leave). */
  private readonly known = new Set<string>();
  private readonly warnedNoFigures = new Set<string>();
  private readonly listeners: Array<() => void> = [];
  private dispatching = false;
  private shortfallAt = 0;
  private prunedAt = 0;
  private behindAt = 0;
  private warnedAt = 0;
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
   * Starts the audits that are due, earliest due first, as many as free slots allow
   * (AZCAP_AUDIT_CONCURRENCY); resolves when they have ended. A call while another is
   * still dispatching does nothing.
   */
  async runDue(now = Date.now()): Promise<number> {
    const started = await this.dispatchDue(now);
    await Promise.all(started);
    return started.length;
  }

  /**
   * Takes the due regions off the shared schedule (each one's next due time moves an
   * interval on, so no other replica takes it this interval) and starts their audits
   * without waiting for them. Also reports the schedule's shortfall, at most once a second.
   */
  async dispatchDue(now = Date.now()): Promise<Array<Promise<void>>> {
    if (this.dispatching) return [];
    this.dispatching = true;
    const started: Array<Promise<void>> = [];
    try {
      const free = this.settings.audit.concurrency - this.inFlight.size;
      const due = await this.registry.takeDue(now, free, (region) => this.intervalOf(region));
      for (const { region, dueAt } of due) {
        this.known.add(region.vimId);
        // Taken while its own audit still runs here: this interval's audit is that one.
        if (this.inFlight.has(region.vimId)) continue;
        started.push(this.auditInBackground(region, this.intervalOf(region), Math.max(0, now - dueAt)));
      }
      await this.reportShortfall(now);
      await this.forgetRemoved(now);
      this.outage.worked();
    } catch (error) {
      this.outage.failed(error);
    } finally {
      this.dispatching = false;
    }
    return started;
  }

  /**
   * When to look at the schedule again: the earliest due time (every replica's
   * regions), or undefined when this replica has no free slot (an audit's end wakes it)
   * or no region is audited.
   */
  async nextLookAt(): Promise<number | undefined> {
    if (this.inFlight.size >= this.settings.audit.concurrency) return undefined;
    return this.registry.nextDueAt();
  }

  /** Called when work may have become due here: an audit ended (a slot is free), a region joined. */
  onWork(listener: () => void): void {
    this.listeners.push(listener);
  }

  /**
   * The registration's own audit, with its session: it always runs (its report goes in
   * the job status). The region joins the audited regions, its next scheduled audit an
   * interval away, and stays off this replica's rounds until this audit ends.
   */
  async auditFirst(audited: AuditedRegion, session: CloudSession, openstackRegionId: string): Promise<AzCapacityReport> {
    const interval = this.intervalOf(audited);
    this.inFlight.add(audited.vimId);
    try {
      await this.registry.add(audited, Date.now() + interval);
      try {
        return await this.auditWithSession(VimId.parse(audited.vimId), session, openstackRegionId, interval);
      } catch (error) {
        await this.markFailed(audited.vimId);
        throw error;
      }
    } finally {
      this.inFlight.delete(audited.vimId);
      this.wake();
    }
  }

  /**
   * One audit with a session the caller already has: the compute services (zones, and
   * which hosts the scheduler may use: enabled and up) and the Placement provider list;
   * Nova's hypervisors (to map hosts to providers) only when the providers are not
   * simply named after the hosts, or without Placement; then what changed of the
   * providers whose generation moved. An unchanged StarlingX region costs 2 cloud calls.
   *
   */
  async auditWithSession(vimId: VimId, session: CloudSession, openstackRegionId: string, intervalMs: number): Promise<AzCapacityReport> {
    // Without reuse an audit always computes its report.
    return (await this.audit(vimId, session, openstackRegionId, intervalMs, false)) as AzCapacityReport;
  }

  /**
   * With `reuse` (the scheduled audits), an audit whose inputs are those of the stored
   * record (same services, same provider generations: their digest in the record's mark)
   * computes nothing: it moves the mark's `asOf` on and answers undefined. The record is
   * written whole again at least every WHOLE_AUDIT_EVERY_MS.
   */
  private async audit(vimId: VimId, session: CloudSession, openstackRegionId: string, intervalMs: number, reuse: boolean): Promise<AzCapacityReport | undefined> {
    const id = vimId.toString();
    const [services, providers] = await Promise.all([
      this.openstack.listComputeServices(session, openstackRegionId),
      this.openstack.listResourceProviders(session, openstackRegionId),
    ]);
    const named = providers && nodesNamedAfterHosts(services, providers);
    const hypervisors = named ?? (await this.openstack.listHypervisors(session, openstackRegionId));
    const inputs = providers ? digest(auditInputs(services, providers, intervalMs, named ? [] : hypervisors)) : undefined;
    if (reuse && inputs) {
      const seen = await this.capacity.readAuditMark(id);
      const current = seen && seen.inputs === inputs && seen.failedAt === undefined && Date.now() - seen.savedAt < WHOLE_AUDIT_EVERY_MS;
      if (current && (await this.capacity.touchAudit(id, seen, Date.now()))) return undefined;
    }
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
    await this.capacity.saveAudit(
      id,
      report.zones.filter((zone) => !zone.unknown),
      record,
      inputs && settled(record) ? inputs : undefined,
    );
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
    this.forget(vimId);
  }

  private async markFailed(id: string): Promise<void> {
    try {
      // The store marks only a region still audited (the same atomic check as the save).
      await this.capacity.markFailed(id, Date.now());
    } catch (error) {
      this.log.warn(`capacity audit of ${id}: could not mark its figures stale: ${describeError(error)}`);
    }
  }

  /** What this replica remembers of a region no longer audited. */
  private forget(vimId: string): void {
    this.known.delete(vimId);
    this.warnedNoFigures.delete(vimId);
    this.telemetry.auditForgotten(vimId);
  }

  /** Every half minute: the per-region series of regions de-registered (by any replica) go. */
  private async forgetRemoved(now: number): Promise<void> {
    if (now - this.prunedAt < 30_000 || !this.known.size) return;
    this.prunedAt = now;
    const audited = new Set((await this.registry.list()).map((region) => region.vimId));
    for (const id of [...this.known]) if (!audited.has(id)) this.forget(id);
  }

  private wake(): void {
    for (const listener of this.listeners) listener();
  }

  /**
   * The shortfall when throughput is short: how many regions are overdue (by more than
   * a tenth of an interval), and how late the most overdue is; exported, and logged when
   * the audit falls behind and when it catches up.
   */
  private async reportShortfall(now: number): Promise<void> {
    if (now - this.shortfallAt < 1_000) return;
    this.shortfallAt = now;
    const grace = this.settings.audit.overrideIntervalMs ?? this.settings.audit.v1IntervalMs;
    const { count, earliestDueAt } = await this.registry.overdue(now - grace / 10);
    const lagMs = count && earliestDueAt !== undefined ? Math.max(0, now - earliestDueAt) : 0;
    this.telemetry.auditShortfall(count, lagMs);
    // Logged at most once a minute while behind; caught up once on schedule for a minute.
    if (count) {
      this.behindAt = now;
      if (now - this.warnedAt >= 60_000) {
        this.warnedAt = now;
        this.log.warn(
          `capacity audits behind schedule: ${count} regions overdue, the most by ${(lagMs / 1000).toFixed(1)} s (AZCAP_AUDIT_CONCURRENCY ${this.settings.audit.concurrency} on this replica)`,
        );
      }
    } else if (this.warnedAt && now - this.behindAt >= 60_000) {
      this.warnedAt = 0;
      this.log.info('capacity audits back on schedule');
    }
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
        this.wake();
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
      await this.audit(vimId, session, vim.openstackRegionId, this.intervalOf(region), true);
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
    this.forget(vimId);
    await this.capacity.dropRegion(vimId);
    this.log.warn(`${vimId} dropped from the capacity audit: A&AI answered ${answers} audits in a row that it has no such region`);
  }
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
