import { KIND_RULES } from './object-kinds';
import { HeldDeletes, ObjectKind, ObjectPlan, OBJECT_KINDS } from './reconcile-plan';

/** Below this many held objects of a kind, no delete of it is ever held. */
export const MASS_DELETE_MIN_HELD = 10;

/**
 * SPEC 7, mass deletes are held: when a plan would delete more than `maxPercent` of
 * what A&AI holds of one kind in the region, and A&AI holds at least 10 of it, those
 * deletes leave the plan and go under `held` (with what they carried nested, the
 * capabilities of a held flavor). 100 = never held; `confirm` applies them.
 */
export function holdMassDeletes(plan: ObjectPlan, heldCounts: Partial<Record<ObjectKind, number>>, maxPercent: number, confirm: boolean): ObjectPlan {
  if (confirm || maxPercent >= 100) return plan;
  const heldDeletes: HeldDeletes[] = [];
  const heldIds = new Set<string>();
  for (const kind of OBJECT_KINDS) {
    // A nested kind is not measured on its own: its deletes go with its parent's.
    if (KIND_RULES[kind].placement === 'nested') continue;
    const of = heldCounts[kind] ?? 0;
    const ids = plan.changes.filter((c) => c.kind === kind && c.action === 'delete').map((c) => c.id);
    if (of < MASS_DELETE_MIN_HELD || ids.length * 100 <= maxPercent * of) continue;
    ids.sort();
    heldDeletes.push({ kind, count: ids.length, of, ids });
    for (const id of ids) heldIds.add(`${kind} ${id}`);
  }
  if (heldDeletes.length === 0) return plan;
  // A nested object's delete goes with its parent's (`{flavor-id}/…`): held with it.
  const underHeldParent = (kind: ObjectKind, id: string) => kind === 'hpa-capability' && heldIds.has(`flavor ${id.slice(0, id.indexOf('/'))}`);
  const nested = plan.changes.filter((c) => c.action === 'delete' && !heldIds.has(`${c.kind} ${c.id}`) && underHeldParent(c.kind, c.id));
  if (nested.length) {
    const of = heldCounts['hpa-capability'] ?? nested.length;
    const ids = nested.map((c) => c.id).sort();
    heldDeletes.push({ kind: 'hpa-capability', count: ids.length, of, ids });
    for (const id of ids) heldIds.add(`hpa-capability ${id}`);
  }
  heldDeletes.sort((a, b) => OBJECT_KINDS.indexOf(a.kind) - OBJECT_KINDS.indexOf(b.kind));
  return {
    ...plan,
    changes: plan.changes.filter((c) => c.action !== 'delete' || !heldIds.has(`${c.kind} ${c.id}`)),
    held: heldDeletes,
  };
}
