import { Injectable } from '@nestjs/common';

import { AaiObject, itemsOf } from '../../domain/aai-object';
import { toAaiAvailabilityZone, userZones, zoneHosts } from '../../domain/availability-zone';
import { isOnapFlavor, toAaiFlavor } from '../../domain/flavor';
import { toAaiImage } from '../../domain/image';
import { pserverBody, pserverHostname, relatedPservers } from '../../domain/pserver';
import { CloudProject, toAaiTenant } from '../../domain/tenant';
import { VimId } from '../../domain/vim-id';
import { throwIfAborted } from '../jobs/call-scope';
import { StepFailure, TaskBudget } from '../jobs/task-budget';
import { AaiPort, RegionChildKind } from '../ports/aai.port';
import { CloudSession, OpenStackPort } from '../ports/openstack.port';
import { RemoteCallError } from '../ports/remote-call.error';
import { Settings } from '../ports/settings.port';

/** One region to register: the A&AI region and the openstack region it maps to. */
export interface RegionTarget {
  vimId: VimId;
  openstackRegionId: string;
}

export interface SyncCounts {
  tenants: number;
  flavors: number;
  hpaCapabilities: number;
  images: number;
  availabilityZones: number;
  pservers: number;
}

export interface SyncReport {
  counts: SyncCounts;
  failures: StepFailure[];
}

/**
 * SPEC 3.7 for one region: tenants, flavors with HPA capabilities, images,
 * availability zones and their pservers, written to A&AI. Each collection is read from
 * A&AI once, then every object is merged and PUT with its resource-version.
 */
@Injectable()
export class SyncRegionResources {
  constructor(
    private readonly aai: AaiPort,
    private readonly openstack: OpenStackPort,
    private readonly settings: Settings,
    private readonly tasks: TaskBudget,
  ) {}

  /**
   * `confirmed` is the cloud region as A&AI showed it after its update (depth 0): its relationships tell
   * which pservers already exist.
   */
  async execute(target: RegionTarget, session: CloudSession, confirmed: AaiObject): Promise<SyncReport> {
    const counts: SyncCounts = {
      tenants: 0,
      flavors: 0,
      hpaCapabilities: 0,
      images: 0,
      availabilityZones: 0,
      pservers: 0,
    };
    const steps: Array<[string, () => Promise<StepFailure | undefined>]> = [
      ['tenants', () => this.syncTenants(target, session, counts)],
      ['flavors', () => this.syncFlavors(target, session, counts)],
      ['images', () => this.syncImages(target, session, counts)],
      ['availability zones', () => this.syncZones(target, session, counts, relatedPservers(confirmed))],
    ];
    const outcomes = await Promise.all(
      steps.map(async ([step, run]) => {
        try {
          return await run();
        } catch (error) {
          return { step, error };
        }
      }),
    );
    return { counts, failures: outcomes.filter((f): f is StepFailure => f !== undefined) };
  }

  private async syncTenants(target: RegionTarget, session: CloudSession, counts: SyncCounts) {
    let projects: CloudProject[];
    try {
      projects = await this.openstack.listProjects(session);
    } catch (error) {
      if (!RemoteCallError.is(error, 403)) throw error;
      projects = [session.project];
    }
    const heldById = await this.heldChildren(target.vimId, 'tenant', 'tenant-id');
    return this.tasks.runStep('tenants', projects, async (project) => {
      await this.saveChild(target.vimId, 'tenant', project.id, toAaiTenant(project), heldById);
      counts.tenants += 1;
    });
  }

  private async syncFlavors(target: RegionTarget, session: CloudSession, counts: SyncCounts) {
    const [flavors, heldById] = await Promise.all([
      this.openstack.listFlavors(session, target.openstackRegionId),
      this.heldChildren(target.vimId, 'flavor', 'flavor-id'),
    ]);
    return this.tasks.runStep('flavors', flavors, async (flavor) => {
      const specs = isOnapFlavor(flavor)
        ? await this.openstack.getFlavorExtraSpecs(session, target.openstackRegionId, String(flavor.id))
        : undefined;
      const wanted = toAaiFlavor(flavor, specs);
      const id = String(flavor.id);
      await this.saveChild(target.vimId, 'flavor', id, wanted, heldById);
      const capabilities = itemsOf(wanted['hpa-capabilities'], 'hpa-capability');
      await this.pruneCapabilities(target.vimId, id, heldById.get(id), capabilities);
      counts.flavors += 1;
      counts.hpaCapabilities += capabilities.length;
    });
  }

  /** Capabilities A&AI holds for the flavor that are no longer derived (or random-id duplicates). */
  private async pruneCapabilities(
    vimId: VimId,
    flavorId: string,
    held: AaiObject | undefined,
    wanted: AaiObject[],
  ): Promise<void> {
    const keep = new Set(wanted.map((c) => String(c['hpa-capability-id'])));
    const stale = itemsOf(held?.['hpa-capabilities'], 'hpa-capability').filter(
      (c) => !keep.has(String(c['hpa-capability-id'])),
    );
    for (const capability of stale) {
      await this.aai.deleteFlavorHpaCapability(vimId, flavorId, capability);
    }
  }

  private async syncImages(target: RegionTarget, session: CloudSession, counts: SyncCounts) {
    const [images, heldById] = await Promise.all([
      this.openstack.listImages(session, target.openstackRegionId),
      this.heldChildren(target.vimId, 'image', 'image-id'),
    ]);
    return this.tasks.runStep('images', images, async (image) => {
      await this.saveChild(target.vimId, 'image', String(image.id), toAaiImage(image), heldById);
      counts.images += 1;
    });
  }

  private async syncZones(target: RegionTarget, session: CloudSession, counts: SyncCounts, linked: Set<string>) {
    const [allZones, heldById] = await Promise.all([
      this.openstack.listAvailabilityZones(session, target.openstackRegionId),
      this.heldChildren(target.vimId, 'availability-zone', 'availability-zone-name'),
    ]);
    const zones = userZones(allZones);
    const zoneFailure = await this.tasks.runStep('availability zones', zones, async (zone) => {
      await this.saveChild(target.vimId, 'availability-zone', zone.zoneName, toAaiAvailabilityZone(zone), heldById);
      counts.availabilityZones += 1;
    });
    if (zoneFailure) return zoneFailure;
    const hosts = zones.flatMap((zone) => zoneHosts(zone).map((host) => ({ host, zone: zone.zoneName })));
    return this.tasks.runStep('pservers', hosts, async ({ host, zone }) => {
      await this.syncPserver(target.vimId, host, zone, linked);
      counts.pservers += 1;
    });
  }

  /**
   * GET, merge (relationships added to the ones it has), PUT. A pserver the region is
   * not related to does not exist yet: it is created without the GET, and if A&AI has
   * it after all (412 to a create), it is read, merged and PUT as any other.
   */
  private async syncPserver(vimId: VimId, host: string, zone: string, linked: Set<string>): Promise<void> {
    const hostname = pserverHostname(vimId, host);
    const held = linked.has(hostname) ? await this.aai.getPserver(hostname) : undefined;
    await this.aai.savePserver(hostname, pserverBody(this.settings.aaiSchema.name, vimId, host, zone), held);
  }

  private async heldChildren(vimId: VimId, kind: RegionChildKind, key: string): Promise<Map<string, AaiObject>> {
    const children = await this.aai.listRegionChildren(vimId, kind);
    return new Map(children.map((child) => [String(child[key]), child]));
  }

  private saveChild(
    vimId: VimId,
    kind: RegionChildKind,
    id: string,
    wanted: AaiObject,
    heldById: Map<string, AaiObject>,
  ): Promise<void> {
    throwIfAborted();
    return this.aai.saveRegionChild(vimId, kind, id, wanted, heldById.get(id));
  }
}

