import { Injectable } from '@nestjs/common';

import { AaiObject, itemsOf } from '../../domain/aai-object';
import { Listing, ListingProof, bothProofs } from '../../domain/listing';
import { KIND_RULES, LISTED_KINDS, ListedKind, REGION_KINDS, RegionKind } from '../../domain/object-kinds';
import { holdMassDeletes } from '../../domain/mass-deletes';
import { PSERVER_CREATE_DEFAULTS } from '../../domain/pserver';
import {
  ChangeKind,
  HeldDeletes,
  DesiredObjects,
  HeldObjects,
  KeptObject,
  KindProofs,
  OBJECT_KINDS,
  ObjectAction,
  ObjectChange,
  ObjectKind,
  ObjectPlan,
  allChanges,
  emptyDesired,
  emptyHeld,
  heldPserverHostnames,
  keepReasonNow,
  planObjects,
  pserversToRead,
} from '../../domain/reconcile-plan';
import { SubcloudLifecycle } from '../../domain/subcloud';
import { VimId } from '../../domain/vim-id';
import { throwIfAborted } from '../jobs/call-scope';
import { StepFailure, TaskBudget } from '../jobs/task-budget';
import { AaiPort, AaiWrite, AaiWriter } from '../ports/aai.port';
import { CloudSession, OpenStackPort } from '../ports/openstack.port';
import { Settings } from '../ports/settings.port';
import { CLOUD_KINDS, CloudReads } from './object-kinds';

/** One region to register: the A&AI region and the openstack region it maps to. */
export interface RegionTarget {
  vimId: VimId;
  openstackRegionId: string;
  /** SPEC 12: the dcmanager subcloud this region maps to, and what its state does. */
  subcloud?: SubcloudLifecycle;
}

/** The objects of a region in A&AI after the registration, by kind (the status' `counts`). */
export type SyncCounts = Record<(typeof KIND_RULES)[ObjectKind]['count'], number>;

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
  /** SPEC 7: mass deletes not applied (`POST …?confirmDeletes=true` applies them). */
  held?: HeldDeletes[];
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

/** How a job plans: the scope its session fell back from, and whether it applies mass deletes (SPEC 7). */
export interface PlanOptions {
  scopeFallback?: string;
  confirmDeletes?: boolean;
}

/**
 * SPEC 3.7 as a reconcile (SPEC 7) of one region: what the cloud has now (desired)
 * against what A&AI holds (each collection read once), planned object by object, and
 * only the creates, updates and deletes written: in bulk transactions where A&AI has
 * them, parents before children, children deleted first. A kind whose cloud or A&AI
 * read failed is left out of the plan, and a kind whose listing is not proven complete
 * and authoritative is not pruned, so a partial answer never deletes anything. Each
 * kind is read as the kind tables say (domain/object-kinds.ts, ./object-kinds.ts).
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
  async execute(target: RegionTarget, session: CloudSession, region: AaiObject, writer: AaiWriter, options: PlanOptions = {}): Promise<ReconcileReport> {
    const planned = await this.plan(target, session, region, options);
    const changes = await this.apply(target.vimId, planned.plan, writer, planned.desired);
    return { counts: countsAfter(planned.desired, changes), changes, failures: planned.failures };
  }

  /**
   * Reads the cloud and A&AI as a registration does, and plans; writes nothing.
   * Without a session the cloud has nothing (a subcloud region being removed).
   */
  async plan(target: RegionTarget, session: CloudSession | undefined, region: AaiObject | undefined, options: PlanOptions = {}): Promise<RegionPlan> {
    const failures: StepFailure[] = [];
    const unknown = new Set<ObjectKind>();
    const attempt = async <T>(step: string, kinds: ObjectKind[], read: () => Promise<T>, otherwise: T): Promise<T> => {
      try {
        return await read();
      } catch (error) {
        if (!failures.some((f) => f.step === step)) failures.push({ step, error });
        kinds.forEach((kind) => unknown.add(kind));
        return otherwise;
      }
    };
    const [cloud, held] = await Promise.all([
      session ? this.readCloud(target, session, attempt, failures, unknown, options.scopeFallback) : { desired: emptyDesired(), proofs: {} },
      this.readAai(target.vimId, region, attempt),
    ]);
    const { desired, proofs } = cloud;
    const toRead = region ? pserversToRead(target.vimId, desired, held) : [];
    const unread = new Set<string>();
    const readFailure = await this.tasks.runStep('reading pservers', toRead, async (hostname) => {
      try {
        const pserver = await this.aai.getPserver(hostname);
        if (pserver) held.pservers.set(hostname, pserver);
      } catch (error) {
        unread.add(hostname);
        throw error;
      }
    });
    if (readFailure) failures.push(readFailure);
    held.unread = unread;
    const plan = withoutKinds(planObjects(target.vimId, desired, held, proofs), unknown);
    return { plan: holdMassDeletes(plan, heldCounts(target.vimId, held), this.settings.reconcileMaxDeletePercent, options.confirmDeletes ?? false), desired, failures };
  }

  /** Every change written, phase by phase (one kind and direction each), batches at once within a phase. */
  async apply(vimId: VimId, plan: ObjectPlan, writer: AaiWriter, desired?: DesiredObjects): Promise<RegionChanges> {
    const changes: RegionChanges = { created: {}, updated: {}, deleted: {}, unchanged: { ...plan.unchanged }, kept: [...plan.kept], failed: [] };
    const desiredPservers = new Set((desired?.pserver ?? []).map((p) => String(p.hostname)));
    for (const phase of phasesOf(plan.changes)) {
      throwIfAborted();
      const writes = phase.flatMap((change) => writesOf(vimId, change, desiredPservers).map((write) => ({ change, write })));
      const batches = chunks(writes, writer.batchSize);
      const outcome = new Map<ObjectChange, { failed?: { status?: number; message: string }; kept?: string }>();
      await this.tasks.forEachSettled(batches, async (batch) => {
        const results = await writer.write(batch.map((entry) => entry.write));
        results.forEach((result, i) => {
          const entry = outcome.get(batch[i].change) ?? outcome.set(batch[i].change, {}).get(batch[i].change)!;
          if (!result.ok) entry.failed ??= { status: result.status, message: result.message };
          else if (result.kept) entry.kept = result.kept;
        });
      });
      for (const change of phase) {
        const { failed, kept } = outcome.get(change) ?? {};
        for (const one of allChanges([change])) {
          if (failed) changes.failed.push({ kind: one.kind, id: one.id, action: one.action, status: failed.status, message: failed.message });
          else if (kept) changes.kept.push({ kind: one.kind, id: one.id, reason: kept });
          else {
            const tally = changes[PAST[one.action]];
            tally[one.kind] = (tally[one.kind] ?? 0) + 1;
          }
        }
      }
    }
    if (plan.held?.length) changes.held = plan.held;
    return changes;
  }

  private async readCloud(
    target: RegionTarget,
    session: CloudSession,
    attempt: <T>(step: string, kinds: ObjectKind[], read: () => Promise<T>, otherwise: T) => Promise<T>,
    failures: StepFailure[],
    unknown: Set<ObjectKind>,
    scopeFallback: string | undefined,
  ): Promise<{ desired: DesiredObjects; proofs: KindProofs }> {
    const shared = new Map<string, Promise<unknown>>();
    const reads: CloudReads = {
      openstack: this.openstack,
      tasks: this.tasks,
      session,
      openstackRegionId: target.openstackRegionId,
      vimId: target.vimId,
      schema: this.settings.aaiSchema.name,
      scopeFallback,
      failures,
      unknown,
      once: <T>(key: string, read: () => Promise<T>) => (shared.get(key) ?? shared.set(key, read()).get(key)!) as Promise<T>,
    };
    const nothing: Listing<AaiObject> = { items: [], proof: { complete: false, authoritative: false, reason: 'listing failed' } };
    const listings = await Promise.all(LISTED_KINDS.map((kind) => attempt(CLOUD_KINDS[kind].step, CLOUD_KINDS[kind].covers, () => CLOUD_KINDS[kind].list(reads), nothing)));
    const desired = emptyDesired();
    const proofs: KindProofs = {};
    LISTED_KINDS.forEach((kind, i) => {
      desired[kind] = listings[i].items;
      proofs[kind] = listings[i].proof;
    });
    for (const kind of OBJECT_KINDS) {
      const rule = KIND_RULES[kind];
      if (rule.placement === 'nested') proofs[kind] = bothProofs(proofs[rule.parent] ?? PROVEN_PROOF, proofs[kind] ?? PROVEN_PROOF);
    }
    return { desired, proofs };
  }

  private async readAai(
    vimId: VimId,
    region: AaiObject | undefined,
    attempt: <T>(step: string, kinds: ObjectKind[], read: () => Promise<T>, otherwise: T) => Promise<T>,
  ): Promise<HeldObjects> {
    const held = emptyHeld(region);
    if (!region) return held;
    const covered = (kind: RegionKind) => OBJECT_KINDS.filter((k) => k === kind || coveredBy(k, kind));
    const lists = await Promise.all(
      REGION_KINDS.map((kind) => attempt(`reading ${kind}s from A&AI`, covered(kind), () => this.aai.listRegionChildren(vimId, kind), [] as AaiObject[])),
    );
    REGION_KINDS.forEach((kind, i) => (held.children[kind] = lists[i]));
    return held;
  }
}

const PROVEN_PROOF: ListingProof = { complete: true, authoritative: true };

/** A nested kind goes with its parent; pservers are found through the zones' relationships. */
function coveredBy(kind: ObjectKind, regionKind: RegionKind): boolean {
  const rule = KIND_RULES[kind];
  return (rule.placement === 'nested' && rule.parent === regionKind) || (rule.placement === 'pserver' && regionKind === 'availability-zone');
}

const PAST: Record<ObjectAction, 'created' | 'updated' | 'deleted'> = { create: 'created', update: 'updated', delete: 'deleted' };

/**
 * The A&AI writes of a change: a create or update of properties (never a
 * relationship-list on an update), each owned edge added or removed on its own, a
 * delete that a 412 re-plans by the kind's keep rule on what A&AI holds now.
 */
function writesOf(vimId: VimId, change: ObjectChange, desiredPservers: Set<string>): AaiWrite[] {
  if (change.edges) {
    return change.edges.map((edge) => ({ uri: `${edge.uri}/relationship-list/relationship`, action: edge.action, wanted: edge.relationship }));
  }
  return [
    {
      uri: change.uri,
      action: change.action,
      wanted: change.desired,
      held: change.held,
      createDefaults: change.kind === 'pserver' ? PSERVER_CREATE_DEFAULTS : undefined,
      keep: change.action === 'delete' ? (current) => keepReasonNow(vimId, change.kind, current, desiredPservers) : undefined,
    },
  ];
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

/** How many of each kind A&AI holds in the region (what a mass delete is measured against). */
function heldCounts(vimId: VimId, held: HeldObjects): Partial<Record<ObjectKind, number>> {
  const counts: Partial<Record<ObjectKind, number>> = {};
  for (const kind of OBJECT_KINDS) {
    const rule = KIND_RULES[kind];
    if (rule.placement === 'region') counts[kind] = held.children[kind as RegionKind].length;
    else if (rule.placement === 'nested') counts[kind] = held.children[rule.parent].reduce((n, parent) => n + itemsOf(parent[rule.wrapper], rule.item).length, 0);
    else counts[kind] = heldPserverHostnames(vimId, held).length;
  }
  return counts;
}

/** Objects of the cloud now in A&AI: desired, less the ones whose create or update failed. */
function countsAfter(desired: DesiredObjects, changes: RegionChanges): SyncCounts {
  const total = {} as Record<ObjectKind, number>;
  for (const kind of OBJECT_KINDS) {
    const rule = KIND_RULES[kind];
    if (rule.placement === 'nested') total[kind] = desired[rule.parent].reduce((n, parent) => n + itemsOf(parent[rule.wrapper], rule.item).length, 0);
    else total[kind] = rule.placement === 'pserver' ? new Set(desired.pserver.map((p) => p.hostname)).size : desired[kind as ListedKind].length;
  }
  for (const failed of changes.failed) if (failed.action !== 'delete' && failed.kind !== 'cloud-region') total[failed.kind] -= 1;
  const counts = {} as SyncCounts;
  for (const kind of OBJECT_KINDS) counts[KIND_RULES[kind].count] = total[kind];
  return counts;
}
