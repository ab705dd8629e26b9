import { Injectable } from '@nestjs/common';

import { AaiObject, itemsOf, relationshipsOf } from '../domain/aai-object';
import { JobOutcome } from '../domain/job-status';
import { relatedPservers } from '../domain/pserver';
import { VimId } from '../domain/vim-id';
import { CloudRegionReader } from './registration/cloud-region-reader';
import { JobReport } from './jobs/job-report';
import { TaskBudget } from './jobs/task-budget';
import { AaiPort } from './ports/aai.port';
import { AuditRegistryPort } from './ports/audit-registry.port';
import { CapacityStorePort } from './ports/capacity-store.port';
import { JobRequest } from './ports/job-store.port';
import { K8sConnectivityPort } from './ports/k8s-connectivity.port';

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
    await this.k8s.remove(vimId).catch((error) => report.fail({ step: 'k8s connectivity', error }));
    await this.capacity.dropRegion(vimId.toString());
    return report.outcome();
  }

  /** SPEC 3.8: children first, each with its resource-version, then the region. */
  private async deleteFromAai(vimId: VimId, report: JobReport): Promise<void> {
    let region: AaiObject | undefined;
    try {
      region = await this.aai.getCloudRegion(vimId, 'all');
    } catch (error) {
      report.fail({ step: 'reading the cloud region', error });
      return;
    }
    if (!region) return report.regionNotFound();
    const tenants = itemsOf(region['tenants'], 'tenant');
    const flavors = itemsOf(region['flavors'], 'flavor');
    const zones = itemsOf(region['availability-zones'], 'availability-zone');
    await Promise.all([
      this.step('tenants', report, tenants, (tenant) => this.deleteTenant(vimId, tenant)),
      this.step('flavors', report, flavors, (flavor) => this.deleteFlavor(vimId, flavor)),
      this.step('images', report, itemsOf(region['images'], 'image'), (image) =>
        this.aai.deleteRegionChild(vimId, 'image', String(image['image-id']), image),
      ),
      this.step('snapshots', report, itemsOf(region['snapshots'], 'snapshot'), (snapshot) =>
        this.aai.deleteRegionChild(vimId, 'snapshot', String(snapshot['snapshot-id']), snapshot),
      ),
    ]);
    await this.step('pservers', report, this.ownPservers(vimId, region, zones), (hostname) =>
      this.aai.deletePserver(hostname),
    );
    await this.step('availability zones', report, zones, (zone) => this.deleteZone(vimId, zone));
    if (report.failures.length) return;
    await this.aai.deleteCloudRegion(vimId).catch((error) => report.fail({ step: 'cloud region', error }));
  }

  private async deleteTenant(vimId: VimId, tenant: AaiObject): Promise<void> {
    const tenantId = String(tenant['tenant-id']);
    for (const vserver of itemsOf(tenant['vservers'], 'vserver')) {
      const vserverId = String(vserver['vserver-id']);
      for (const lInterface of itemsOf(vserver['l-interfaces'], 'l-interface')) {
        await this.aai.deleteLInterface(vimId, tenantId, vserverId, lInterface);
      }
      await this.aai.deleteVserver(vimId, tenantId, vserver);
    }
    await this.aai.deleteRegionChild(vimId, 'tenant', tenantId, tenant);
  }

  private async deleteFlavor(vimId: VimId, flavor: AaiObject): Promise<void> {
    const flavorId = String(flavor['flavor-id']);
    for (const capability of itemsOf(flavor['hpa-capabilities'], 'hpa-capability')) {
      await this.aai.deleteFlavorHpaCapability(vimId, flavorId, capability);
    }
    await this.aai.deleteRegionChild(vimId, 'flavor', flavorId, flavor);
  }

  private async deleteZone(vimId: VimId, zone: AaiObject): Promise<void> {
    const name = String(zone['availability-zone-name']);
    const current = await this.aai.getRegionChild(vimId, 'availability-zone', name);
    if (!current) return;
    for (const relationship of relationshipsOf(current)) {
      await this.aai.deleteAvailabilityZoneRelationship(vimId, name, relationship);
    }
    await this.aai.deleteRegionChild(vimId, 'availability-zone', name, current);
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
