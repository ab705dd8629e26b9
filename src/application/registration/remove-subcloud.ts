import { Injectable } from '@nestjs/common';

import { AaiObject } from '../../domain/aai-object';
import { regionHoldersReason } from '../../domain/kept-reason';
import { KIND_RULES, REGION_KINDS } from '../../domain/object-kinds';
import { pserverHostname } from '../../domain/pserver';
import { ObjectPlan, regionPath } from '../../domain/reconcile-plan';
import { VimId } from '../../domain/vim-id';
import { AaiPort, AaiWriter } from '../ports/aai.port';
import { AuditRegistryPort } from '../ports/audit-registry.port';
import { CapacityStorePort } from '../ports/capacity-store.port';
import { describeError } from '../jobs/job-messages';
import { K8sConnectivityPort } from '../ports/k8s-connectivity.port';
import { LogPort } from '../ports/log.port';
import { disconnectKubernetes } from './connect-kubernetes';
import { PlanOptions, ReconcileRegion, RegionChanges } from './reconcile-region';

/** Child collections of a region that the registration writes (the rest hold the region). */
const OWNED_WRAPPERS = new Set(['esr-system-info-list', ...REGION_KINDS.map((kind) => KIND_RULES[kind].wrapper)]);

function isOwnPserverEdge(vimId: VimId, relationship: AaiObject): boolean {
  return relationship['related-to'] === 'pserver' && String(relationship['related-link'] ?? '').includes(`/pservers/pserver/${pserverHostname(vimId, '')}`);
}

/** A composed subcloud region planned for removal: its objects' plan, and why the region itself stays, if it does. */
export interface SubcloudRemoval {
  vimId: VimId;
  openstackRegionId: string;
  region?: AaiObject;
  plan: ObjectPlan;
  keptBecause?: string;
}

/**
 * SPEC 7: a composed subcloud region whose openstack region is no longer discovered is
 * de-registered by the reconcile rules: its objects deleted children first, unless
 * something else depends on them (then they, and the region, stay and are listed as
 * kept); once empty, the region is deleted, its audit stopped, its capacity data and
 * its k8s connectivity record removed.
 */
@Injectable()
export class RemoveSubcloud {
  constructor(
    private readonly aai: AaiPort,
    private readonly reconcile: ReconcileRegion,
    private readonly auditRegistry: AuditRegistryPort,
    private readonly capacity: CapacityStorePort,
    private readonly k8s: K8sConnectivityPort,
    private readonly log: LogPort,
  ) {}

  async plan(vimId: VimId, options: PlanOptions = {}): Promise<SubcloudRemoval> {
    // Depth 1: its direct children too, the ones this registration does not write (snapshots, volume-groups) included.
    const region = await this.aai.getCloudRegion(vimId, '1');
    const openstackRegionId = vimId.cloudRegionId.slice(vimId.cloudRegionId.indexOf('_') + 1);
    const { plan, failures } = await this.reconcile.plan({ vimId, openstackRegionId }, undefined, region, { confirmDeletes: options.confirmDeletes });
    const holders = region ? regionHoldersReason(region, OWNED_WRAPPERS, (r) => isOwnPserverEdge(vimId, r)) : undefined;
    const keptBecause = failures.length
      ? `not all of it could be read: ${failures.map((f) => f.step).join(', ')}`
      : holders
        ? holders
        : plan.kept.length
          ? `${plan.kept.length} object${plan.kept.length === 1 ? '' : 's'} kept`
          : plan.held?.length
            ? `mass deletes held: ${plan.held.map((h) => `${h.count} of ${h.of} ${h.kind}`).join(', ')}`
            : undefined;
    return { vimId, openstackRegionId, region, plan, keptBecause };
  }

  async execute(removal: SubcloudRemoval, writer: AaiWriter): Promise<RegionChanges> {
    const changes = await this.reconcile.apply(removal.vimId, removal.plan, writer);
    if (!removal.region || removal.keptBecause || changes.failed.length) {
      if (removal.keptBecause) changes.kept.push({ kind: 'cloud-region', id: removal.vimId.toString(), reason: removal.keptBecause });
      return changes;
    }
    await this.auditRegistry.remove(removal.vimId.toString());
    const [result] = await writer.write([{ uri: regionPath(removal.vimId), action: 'delete', held: removal.region }]);
    if (!result.ok) {
      changes.failed.push({ kind: 'cloud-region', id: removal.vimId.toString(), action: 'delete', status: result.status, message: result.message });
      return changes;
    }
    changes.deleted['cloud-region'] = 1;
    await this.capacity.dropRegion(removal.vimId.toString());
    await disconnectKubernetes(this.k8s, removal.vimId).catch((error: unknown) => this.log.warn(`k8s connectivity of ${removal.vimId} not removed: ${describeError(error)}`));
    return changes;
  }
}
