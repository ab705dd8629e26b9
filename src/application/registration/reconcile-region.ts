import { Injectable } from '@nestjs/common';

import { AaiObject, itemsOf } from '../../domain/aai-object';
import { toAaiAvailabilityZone, userZones, zoneHosts } from '../../domain/availability-zone';
import { NovaFlavor, isOnapFlavor, toAaiFlavor } from '../../domain/flavor';
import { toAaiImage } from '../../domain/image';
import { PSERVER_CREATE_DEFAULTS, pserverBody } from '../../domain/pserver';
import {
  ChangeKind,
  DesiredObjects,
  HeldObjects,
  KeptObject,
  OBJECT_KINDS,
  ObjectAction,
  ObjectChange,
  ObjectKind,
  ObjectPlan,
  allChanges,
  planObjects,
  pserversToRead,
} from '../../domain/reconcile-plan';
import { SubcloudLifecycle } from '../../domain/subcloud';
import { CloudProject, toAaiTenant } from '../../domain/tenant';
import { VimId } from '../../domain/vim-id';
import { throwIfAborted, reportWarning } from '../jobs/call-scope';
import { StepFailure, TaskBudget } from '../jobs/task-budget';
import { AaiPort, AaiWrite, AaiWriter, RegionChildKind } from '../ports/aai.port';
import { CloudSession, OpenStackPort } from '../ports/openstack.port';
import { RemoteCallError } from '../ports/remote-call.error';
import { Settings } from '../ports/settings.port';

/** One region to register: the A&AI region and the openstack region it maps to. */
export interface RegionTarget {
  vimId: VimId;
  openstackRegionId: string;
  /** SPEC 12: the dcmanager subcloud this region maps to, and what its state does. */
  subcloud?: SubcloudLifecycle;
}

/** The objects of a region in A&AI after the registration, by kind (the status' `counts`). */
export interface SyncCounts {
  tenants: number;
  flavors: number;
  hpaCapabilities: number;
  images: number;
  availabilityZones: number;
  pservers: number;
}

export interface FailedWrite {
  kind: ChangeKind;
  id: string;
  action: ObjectAction;
  status?: number;
  message: string;
}

/** SPEC 7's report of one region: what was written, what stayed, what failed. */
export interface RegionChanges {
  created: Partial<Record<ChangeKind, number>>;
  updated: Partial<Record<ChangeKind, number>>;
  deleted: Partial<Record<ChangeKind, number>>;
  unchanged: Partial<Record<ChangeKind, number>>;
  kept: KeptObject[];
  failed: FailedWrite[];
}

/** A region's plan, with the steps whose reads failed (their kinds are left out of the plan). */
export interface RegionPlan {
  plan: ObjectPlan;
  desired: DesiredObjects;
  failures: StepFailure[];
}

export interface ReconcileReport {
  counts: SyncCounts;
  changes: RegionChanges;
  failures: StepFailure[];
}

const COUNT_KEYS: Record<ObjectKind, keyof SyncCounts> = {
  tenant: 'tenants',
  flavor: 'flavors',
  'hpa-capability': 'hpaCapabilities',
  image: 'images',
  'availability-zone': 'availabilityZones',
  pserver: 'pservers',
};

/**
 * SPEC 3.7 as a reconcile (SPEC 7) of one region: what the cloud has now (desired)
 * against what A&AI holds (each collection read once), planned object by object, and
 * only the creates, updates and deletes written: in bulk transactions where A&AI has
 * them, parents before children, children deleted first. A kind whose cloud or A&AI
 * read failed is left out of the plan, so a failed read never deletes anything.
 */
@Injectable()
export class ReconcileRegion {
  constructor(
    private readonly aai: AaiPort,
    private readonly openstack: OpenStackPort,
    private readonly settings: Settings,
    private readonly tasks: TaskBudget,
  ) {}

  /** `region` is the cloud region as A&AI holds it (depth 0): its relationships name its pservers. */
  async execute(target: RegionTarget, session: CloudSession, region: AaiObject, writer: AaiWriter): Promise<ReconcileReport> {
    const planned = await this.plan(target, session, region);
    const changes = await this.apply(planned.plan, writer);
    return { counts: countsAfter(planned.desired, changes), changes, failures: planned.failures };
  }

  /**
   * Reads the cloud and A&AI as a registration does, and plans; writes nothing.
   * Without a session the cloud has nothing (a subcloud region being removed).
   */
  async plan(target: RegionTarget, session: CloudSession | undefined, region: AaiObject | undefined): Promise<RegionPlan> {
    const failures: StepFailure[] = [];
    const unknown = new Set<ObjectKind>();
    const attempt = async <T>(step: string, kinds: ObjectKind[], read: () => Promise<T>, otherwise: T): Promise<T> => {
      try {
        return await read();
      } catch (error) {
        failures.push({ step, error });
        kinds.forEach((kind) => unknown.add(kind));
        return otherwise;
      }
    };
    const [desired, held] = await Promise.all([
      session ? this.readCloud(target, session, attempt, failures, unknown) : NOTHING,
      this.readAai(target.vimId, region, attempt),
    ]);
    const toRead = region ? pserversToRead(target.vimId, desired, held) : [];
    const readFailure = await this.tasks.runStep('reading pservers', toRead, async (hostname) => {
      const pserver = await this.aai.getPserver(hostname);
      if (pserver) held.pservers.set(hostname, pserver);
    });
    if (readFailure) failures.push(readFailure);
    return { plan: withoutKinds(planObjects(target.vimId, desired, held), unknown), desired, failures };
  }

  /** Every change written, phase by phase (one kind and direction each), batches at once within a phase. */
  async apply(plan: ObjectPlan, writer: AaiWriter): Promise<RegionChanges> {
    const changes: RegionChanges = { created: {}, updated: {}, deleted: {}, unchanged: { ...plan.unchanged }, kept: plan.kept, failed: [] };
    for (const phase of phasesOf(plan.changes)) {
      throwIfAborted();
      const batches = chunks(phase, writer.batchSize);
      await this.tasks.forEachSettled(batches, async (batch) => {
        const results = await writer.write(batch.map(writeOf));
        results.forEach((result, i) => {
          for (const change of allChanges([batch[i]])) {
            if (result.ok) {
              const tally = changes[PAST[change.action]];
              tally[change.kind] = (tally[change.kind] ?? 0) + 1;
            } else {
              changes.failed.push({ kind: change.kind, id: change.id, action: change.action, status: result.status, message: result.message });
            }
          }
        });
      });
    }
    return changes;
  }

  private async readCloud(
    target: RegionTarget,
    session: CloudSession,
    attempt: <T>(step: string, kinds: ObjectKind[], read: () => Promise<T>, otherwise: T) => Promise<T>,
    failures: StepFailure[],
    unknown: Set<ObjectKind>,
  ): Promise<DesiredObjects> {
    const region = target.openstackRegionId;
    const [projects, flavors, images, zones] = await Promise.all([
      attempt('tenants', ['tenant'], () => this.projects(session), []),
      attempt('flavors', ['flavor', 'hpa-capability'], () => this.flavors(session, region, failures, unknown), []),
      attempt('images', ['image'], async () => (await this.openstack.listImages(session, region)).items, []),
      attempt('availability zones', ['availability-zone', 'pserver'], () => this.openstack.listAvailabilityZones(session, region), []),
    ]);
    const schema = this.settings.aaiSchema.name;
    const userZoneList = userZones(zones);
    return {
      tenants: projects.map(toAaiTenant),
      flavors,
      images: images.map(toAaiImage),
      zones: userZoneList.map(toAaiAvailabilityZone),
      pservers: userZoneList.flatMap((zone) => zoneHosts(zone).map((host) => pserverBody(schema, target.vimId, host, zone.zoneName))),
    };
  }

  private async projects(session: CloudSession): Promise<CloudProject[]> {
    try {
      return (await this.openstack.listProjects(session)).items;
    } catch (error) {
      if (!RemoteCallError.is(error, 403)) throw error;
      return [session.project];
    }
  }

  /** Flavors with their HPA capabilities; a flavor whose extra specs cannot be read is a failure, and its capabilities unknown. */
  private async flavors(session: CloudSession, region: string, failures: StepFailure[], unknown: Set<ObjectKind>): Promise<AaiObject[]> {
    const flavors: NovaFlavor[] = (await this.openstack.listFlavors(session, region)).items;
    const bodies = new Map<NovaFlavor, AaiObject>();
    const failure = await this.tasks.runStep('flavors', flavors, async (flavor) => {
      const specs = !isOnapFlavor(flavor)
        ? undefined
        : (flavor.extra_specs ?? (await this.openstack.getFlavorExtraSpecs(session, region, String(flavor.id))));
      // What HPA derivation had to cap (a huge hw:numa_nodes) is a warning in the job's status.
      const capped: string[] = [];
      bodies.set(flavor, toAaiFlavor(flavor, specs, capped));
      capped.forEach(reportWarning);
    });
    if (failure) {
      failures.push(failure);
      unknown.add('hpa-capability');
    }
    return flavors.map((flavor) => bodies.get(flavor) ?? toAaiFlavor(flavor));
  }

  private async readAai(
    vimId: VimId,
    region: AaiObject | undefined,
    attempt: <T>(step: string, kinds: ObjectKind[], read: () => Promise<T>, otherwise: T) => Promise<T>,
  ): Promise<HeldObjects> {
    const list = (kind: RegionChildKind, kinds: ObjectKind[]) =>
      region ? attempt(`reading ${kind}s from A&AI`, kinds, () => this.aai.listRegionChildren(vimId, kind), []) : Promise.resolve([]);
    const [tenants, flavors, images, zones] = await Promise.all([
      list('tenant', ['tenant']),
      list('flavor', ['flavor', 'hpa-capability']),
      list('image', ['image']),
      list('availability-zone', ['availability-zone', 'pserver']),
    ]);
    return { region, tenants, flavors, images, zones, pservers: new Map() };
  }
}

const NOTHING: DesiredObjects = { tenants: [], flavors: [], images: [], zones: [], pservers: [] };

const PAST: Record<ObjectAction, 'created' | 'updated' | 'deleted'> = { create: 'created', update: 'updated', delete: 'deleted' };

function writeOf(change: ObjectChange): AaiWrite {
  return {
    uri: change.uri,
    action: change.action,
    wanted: change.desired,
    held: change.held,
    createDefaults: change.kind === 'pserver' ? PSERVER_CREATE_DEFAULTS : undefined,
    replaceRelationships: change.replaceRelationships,
  };
}

/** Consecutive changes of one kind and direction (the plan is in write order). */
function phasesOf(changes: ObjectChange[]): ObjectChange[][] {
  const phases: ObjectChange[][] = [];
  let key = '';
  for (const change of changes) {
    const next = `${change.action === 'delete' ? 'delete' : 'write'} ${change.kind}`;
    if (next !== key) phases.push([]);
    key = next;
    phases[phases.length - 1].push(change);
  }
  return phases;
}

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += Math.max(1, size)) result.push(items.slice(i, i + Math.max(1, size)));
  return result;
}

function withoutKinds(plan: ObjectPlan, kinds: Set<ObjectKind>): ObjectPlan {
  if (kinds.size === 0) return plan;
  return {
    changes: plan.changes.filter((c) => !kinds.has(c.kind)),
    unchanged: Object.fromEntries(Object.entries(plan.unchanged).filter(([kind]) => !kinds.has(kind as ObjectKind))),
    kept: plan.kept.filter((k) => !kinds.has(k.kind as ObjectKind)),
  };
}

/** Objects of the cloud now in A&AI: desired, less the ones whose create or update failed. */
function countsAfter(desired: DesiredObjects, changes: RegionChanges): SyncCounts {
  const total: Record<ObjectKind, number> = {
    tenant: desired.tenants.length,
    flavor: desired.flavors.length,
    'hpa-capability': desired.flavors.reduce((n, f) => n + itemsOf(f['hpa-capabilities'], 'hpa-capability').length, 0),
    image: desired.images.length,
    'availability-zone': desired.zones.length,
    pserver: new Set(desired.pservers.map((p) => p.hostname)).size,
  };
  for (const failed of changes.failed) if (failed.action !== 'delete' && failed.kind !== 'cloud-region') total[failed.kind] -= 1;
  const counts = {} as SyncCounts;
  for (const kind of OBJECT_KINDS) counts[COUNT_KEYS[kind]] = total[kind];
  return counts;
}

