import { Injectable } from '@nestjs/common';

import { AaiObject, itemsOf, relationshipsOf, resourceVersionOf } from '../domain/aai-object';
import { JobCode, JobOutcome } from '../domain/job-status';
import { relatedPservers } from '../domain/pserver';
import { VimId } from '../domain/vim-id';
import { deleteWithVersion } from './registration/aai-write';
import { CloudRegionReader } from './registration/cloud-region-reader';
import { codeOf, describeError } from './jobs/job-messages';
import { StepFailure, TaskBudget } from './jobs/task-budget';
import { AaiPort, RegionChildKind } from './ports/aai.port';
import { AuditRegistryPort } from './ports/audit-registry.port';
import { CapacityStorePort } from './ports/capacity-store.port';
import { JobRequest } from './ports/job-store.port';
import { K8sConnectivityPort } from './ports/k8s-connectivity.port';
import { LogPort } from './ports/log.port';

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
    private readonly log: LogPort,
  ) {}

  async run(request: JobRequest): Promise<JobOutcome> {
    const vimId = VimId.parse(request.vimId);
    await this.auditRegistry.remove(vimId.toString());
    this.reader.forget(vimId);
    const failures: StepFailure[] = [];
    const outcome = await this.deleteFromAai(vimId, failures);
    await this.k8s.remove(vimId).catch((error) => failures.push({ step: 'k8s connectivity', error }));
    await this.capacity.dropRegion(vimId.toString());

    if (outcome) return outcome;
    if (failures.length) {
      const message =
        `De-registration failed for Cloud Region: ${vimId}: ` +
        failures.map((f) => `${f.step}${f.failed ? ` (${f.failed} of ${f.of} not deleted)` : ''}: ${describeError(f.error)}`).join('; ');
      this.log.error(message);
      return { code: codeOf(failures[0].error), message };
    }
    const message = `De-registration finished for Cloud Region: ${vimId}`;
    this.log.info(message);
    return { code: JobCode.SUCCESS, message };
  }

  /** Returns an outcome when there is nothing to delete; records failures otherwise. */
  private async deleteFromAai(vimId: VimId, failures: StepFailure[]): Promise<JobOutcome | undefined> {
    let region: AaiObject | undefined;
    try {
      region = await this.aai.getCloudRegion(vimId, 'all');
    } catch (error) {
      failures.push({ step: 'reading the cloud region', error });
      return undefined;
    }
    if (!region) {
      return { code: JobCode.REGION_NOT_FOUND, message: `Cloud Region not found in AAI: ${vimId}` };
    }
    const tenants = itemsOf(region['tenants'], 'tenant');
    const flavors = itemsOf(region['flavors'], 'flavor');
    const zones = itemsOf(region['availability-zones'], 'availability-zone');
    await Promise.all([
      this.step('tenants', failures, tenants, (tenant) => this.deleteTenant(vimId, tenant)),
      this.step('flavors', failures, flavors, (flavor) => this.deleteFlavor(vimId, flavor)),
      this.step('images', failures, itemsOf(region['images'], 'image'), (image) =>
        this.deleteChild(vimId, 'image', String(image['image-id']), image),
      ),
      this.step('snapshots', failures, itemsOf(region['snapshots'], 'snapshot'), (snapshot) =>
        this.deleteChild(vimId, 'snapshot', String(snapshot['snapshot-id']), snapshot),
      ),
    ]);
    await this.step('pservers', failures, this.ownPservers(vimId, region, zones), (hostname) =>
      deleteWithVersion(undefined, () => this.aai.getPserver(hostname), (version) =>
        this.aai.deletePserver(hostname, version),
      ),
    );
    await this.step('availability zones', failures, zones, (zone) => this.deleteZone(vimId, zone));
    if (failures.length) return undefined;
    try {
      await deleteWithVersion(undefined, () => this.aai.getCloudRegion(vimId, '0'), (version) =>
        this.aai.deleteCloudRegion(vimId, version),
      );
    } catch (error) {
      failures.push({ step: 'cloud region', error });
    }
    return undefined;
  }

  private async deleteTenant(vimId: VimId, tenant: AaiObject): Promise<void> {
    const tenantId = String(tenant['tenant-id']);
    for (const vserver of itemsOf(tenant['vservers'], 'vserver')) {
      const vserverId = String(vserver['vserver-id']);
      for (const port of itemsOf(vserver['l-interfaces'], 'l-interface')) {
        await deleteWithVersion(resourceVersionOf(port), undefined, (version) =>
          this.aai.deleteLInterface(vimId, tenantId, vserverId, String(port['interface-name']), version),
        );
      }
      await deleteWithVersion(resourceVersionOf(vserver), undefined, (version) =>
        this.aai.deleteVserver(vimId, tenantId, vserverId, version),
      );
    }
    await this.deleteChild(vimId, 'tenant', tenantId, tenant);
  }

  private async deleteFlavor(vimId: VimId, flavor: AaiObject): Promise<void> {
    const flavorId = String(flavor['flavor-id']);
    for (const capability of itemsOf(flavor['hpa-capabilities'], 'hpa-capability')) {
      await deleteWithVersion(resourceVersionOf(capability), undefined, (version) =>
        this.aai.deleteFlavorHpaCapability(vimId, flavorId, String(capability['hpa-capability-id']), version),
      );
    }
    await this.deleteChild(vimId, 'flavor', flavorId, flavor);
  }

  private async deleteZone(vimId: VimId, zone: AaiObject): Promise<void> {
    const name = String(zone['availability-zone-name']);
    const current = await this.aai.getRegionChild(vimId, 'availability-zone', name);
    if (!current) return;
    for (const relationship of relationshipsOf(current)) {
      await this.aai.deleteAvailabilityZoneRelationship(vimId, name, relationship);
    }
    await this.deleteChild(vimId, 'availability-zone', name, current);
  }

  private deleteChild(vimId: VimId, kind: RegionChildKind, id: string, held: AaiObject | undefined): Promise<void> {
    return deleteWithVersion(
      resourceVersionOf(held),
      () => this.aai.getRegionChild(vimId, kind, id),
      (version) => this.aai.deleteRegionChild(vimId, kind, id, version),
    );
  }

  /** The pservers the registration created for this region: `{vimid}_{host}`, linked to it or its zones. */
  private ownPservers(vimId: VimId, region: AaiObject, zones: AaiObject[]): string[] {
    return [...relatedPservers(region, ...zones)].filter((hostname) => hostname.startsWith(`${vimId}_`));
  }

  private async step<T>(name: string, failures: StepFailure[], items: T[], work: (item: T) => Promise<void>) {
    const failure = await this.tasks.runStep(name, items, work);
    if (failure) failures.push(failure);
  }
}
