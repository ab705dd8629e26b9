import { Injectable } from '@nestjs/common';

import { AaiObject, itemsOf, relationshipsOf } from '../domain/aai-object';
import { JobOutcome } from '../domain/job-status';
import { relatedPservers } from '../domain/pserver';
import { KIND_RULES, REGION_KINDS, RegionKind } from '../domain/object-kinds';
import { pserverPath, regionPath } from '../domain/reconcile-plan';
import { VimId } from '../domain/vim-id';
import { CloudRegionReader } from './registration/cloud-region-reader';
import { JobReport } from './jobs/job-report';
import { TaskBudget } from './jobs/task-budget';
import { AaiPort, AaiWrite, AaiWriter, RegionChildKind } from './ports/aai.port';
import { WriteFailedError } from './ports/remote-call.error';
import { AuditRegistryPort } from './ports/audit-registry.port';
import { CapacityStorePort } from './ports/capacity-store.port';
import { JobRequest } from './ports/job-store.port';
import { K8sConnectivityPort } from './ports/k8s-connectivity.port';
import { disconnectKubernetes } from './registration/connect-kubernetes';

/**
 * The de-registration job (SPEC 3.8), run by RegionJobs for a DELETE registry. It stops the region's audit,
 * deletes from A&AI what the registration wrote (each object with its
 * resource-version, children first, and the pservers named after the region), then
 * the region itself, its capacity data and its Kubernetes connectivity record.
 */
@Injectable()
export class UnregisterCloudRegion {
  constructor(
    private readonly aai: AaiPort,
    private readonly reader: CloudRegionReader,
    private readonly auditRegistry: AuditRegistryPort,
    private readonly capacity: CapacityStorePort,
    private readonly k8s: K8sConnectivityPort,
    private readonly tasks: TaskBudget,
  ) {}

  async run({ vimId: requested }: JobRequest): Promise<JobOutcome> {
    const vimId = VimId.parse(requested);
    const report = new JobReport('unregister', requested);
    await this.auditRegistry.remove(vimId.toString());
    this.reader.forget(vimId);
    await this.deleteFromAai(vimId, report);
    await disconnectKubernetes(this.k8s, vimId).catch((error) => report.fail({ step: 'k8s connectivity', error }));
    await this.capacity.dropRegion(vimId.toString());
    return report.outcome();
  }

  /**
   * SPEC 3.8: children first, each with its resource-version, then the region, through
   * the job's writer (bulk transactions where A&AI has them). The region is read at
   * depth 0 and its collections one at a time, never as one depth=all answer.
   */
  private async deleteFromAai(vimId: VimId, report: JobReport): Promise<void> {
    let region: AaiObject | undefined;
    const kinds: RegionChildKind[] = [...REGION_KINDS, 'snapshot'];
    const children = Object.fromEntries(kinds.map((kind) => [kind, [] as AaiObject[]])) as Record<RegionChildKind, AaiObject[]>;
    try {
      region = await this.aai.getCloudRegion(vimId, '0');
      if (region) {
        const lists = await Promise.all(kinds.map((kind) => this.aai.listRegionChildren(vimId, kind)));
        kinds.forEach((kind, i) => (children[kind] = lists[i]));
      }
    } catch (error) {
      report.fail({ step: 'reading the cloud region', error });
      return;
    }
    if (!region) return report.regionNotFound();
    const { tenant: tenants, flavor: flavors, 'availability-zone': zones } = children;
    // Kinds without children or edges of their own to clean first (images, snapshots, and any kind added later).
    const plain = kinds.filter((kind) => !['tenant', 'flavor', 'availability-zone'].includes(kind));
    const own = new Set(this.ownPservers(vimId, region, zones));
    // Only the region's own pservers are read, one GET each (never every pserver of A&AI).
    const found = new Map<string, AaiObject>();
    const readFailure = await this.tasks.runStep('reading the pservers', [...own], async (hostname) => {
      const pserver = await this.aai.getPserver(hostname);
      if (pserver) found.set(hostname, pserver);
    });
    if (readFailure) {
      report.fail(readFailure);
      return;
    }
    const pservers = [...found.values()];
    const base = regionPath(vimId);
    const child = (wrapper: string, item: string, id: unknown) => `${base}/${wrapper}/${item}/${encodeURIComponent(String(id))}`;
    const vservers = tenants.flatMap((tenant) =>
      itemsOf(tenant.vservers, 'vserver').map((vserver) => ({
        vserver,
        uri: `${child('tenants', 'tenant', tenant['tenant-id'])}/vservers/vserver/${encodeURIComponent(String(vserver['vserver-id']))}`,
      })),
    );
    const writer = this.aai.writer();
    const phases: Array<Array<[string, AaiWrite]>> = [
      [
        ...vservers.flatMap(({ vserver, uri }) =>
          itemsOf(vserver['l-interfaces'], 'l-interface').map((held): [string, AaiWrite] => [
            'tenants',
            { uri: `${uri}/l-interfaces/l-interface/${encodeURIComponent(String(held['interface-name']))}`, action: 'delete', held },
          ]),
        ),
        ...flavors.flatMap((flavor) =>
          itemsOf(flavor['hpa-capabilities'], 'hpa-capability').map((held): [string, AaiWrite] => [
            'flavors',
            {
              uri: `${child('flavors', 'flavor', flavor['flavor-id'])}/hpa-capabilities/hpa-capability/${encodeURIComponent(String(held['hpa-capability-id']))}`,
              action: 'delete',
              held,
            },
          ]),
        ),
        ...plain.flatMap((kind) => children[kind].map((held): [string, AaiWrite] => [`${kind}s`, { uri: child(`${kind}s`, kind, held[keyOf(kind)]), action: 'delete', held }])),
      ],
      [
        ...vservers.map(({ vserver, uri }): [string, AaiWrite] => ['tenants', { uri, action: 'delete', held: vserver }]),
        ...flavors.map((held): [string, AaiWrite] => ['flavors', { uri: child('flavors', 'flavor', held['flavor-id']), action: 'delete', held }]),
      ],
      tenants.map((held): [string, AaiWrite] => ['tenants', { uri: child('tenants', 'tenant', held['tenant-id']), action: 'delete', held }]),
      pservers.map((held): [string, AaiWrite] => ['pservers', { uri: pserverPath(String(held.hostname)), action: 'delete', held }]),
    ];
    for (const phase of phases) await this.deleteAll(phase, writer, report);
    await this.step('availability zones', report, zones, (zone) => this.deleteZone(vimId, zone, writer));
    if (report.failures.length) return;
    const [result] = await writer.write([{ uri: base, action: 'delete', held: region }]);
    if (!result.ok) report.fail({ step: 'cloud region', error: new WriteFailedError(result.message, result.status) });
  }

  /** One phase of deletes in batches of the writer's size; failures reported per step, with how many. */
  private async deleteAll(phase: Array<[string, AaiWrite]>, writer: AaiWriter, report: JobReport): Promise<void> {
    const failed = new Map<string, { first?: WriteFailedError; count: number; of: number }>();
    for (const [step] of phase) {
      const tally = failed.get(step) ?? { count: 0, of: 0 };
      tally.of += 1;
      failed.set(step, tally);
    }
    const batches: Array<Array<[string, AaiWrite]>> = [];
    for (let i = 0; i < phase.length; i += writer.batchSize) batches.push(phase.slice(i, i + writer.batchSize));
    await this.tasks.forEachSettled(batches, async (batch) => {
      const results = await writer.write(batch.map(([, write]) => write));
      results.forEach((result, i) => {
        if (result.ok) return;
        const tally = failed.get(batch[i][0])!;
        tally.count += 1;
        tally.first ??= new WriteFailedError(result.message, result.status);
      });
    });
    for (const [step, { first, count, of }] of failed) if (count) report.fail({ step, error: first, failed: count, of });
  }

  /** A zone's remaining relationships (not to this region's deleted pservers) go first, then the zone. */
  private async deleteZone(vimId: VimId, zone: AaiObject, writer: AaiWriter): Promise<void> {
    const name = String(zone['availability-zone-name']);
    let held = zone;
    if (relationshipsOf(zone).some((r) => r['related-to'] !== 'pserver' || !String(r['related-link']).includes(`/pservers/pserver/${vimId}_`))) {
      const current = await this.aai.getRegionChild(vimId, 'availability-zone', name);
      if (!current) return;
      for (const relationship of relationshipsOf(current)) {
        await this.aai.deleteAvailabilityZoneRelationship(vimId, name, relationship);
      }
      held = current;
    }
    const [result] = await writer.write([{ uri: `${regionPath(vimId)}/availability-zones/availability-zone/${encodeURIComponent(name)}`, action: 'delete', held }]);
    if (!result.ok) throw new WriteFailedError(result.message, result.status);
  }

  /** The pservers the registration created for this region: `{vimid}_{host}`, linked to it or its zones. */
  private ownPservers(vimId: VimId, region: AaiObject, zones: AaiObject[]): string[] {
    return [...relatedPservers(region, ...zones)].filter((hostname) => hostname.startsWith(`${vimId}_`));
  }

  private async step<T>(name: string, report: JobReport, items: T[], work: (item: T) => Promise<void>) {
    const failure = await this.tasks.runStep(name, items, work);
    if (failure) report.fail(failure);
  }
}

/** The key property of a region child: the kind table's, or `snapshot-id`. */
function keyOf(kind: RegionChildKind): string {
  return kind === 'snapshot' ? 'snapshot-id' : KIND_RULES[kind as RegionKind].key;
}
