import { AaiObject } from './aai-object';
import { holdMassDeletes } from './mass-deletes';
import { emptyDesired, emptyHeld, planObjects } from './reconcile-plan';
import { VimId } from './vim-id';

const VIM = VimId.of('Owner', 'RegionOne');
const flavor = (id: string, capabilities: string[] = []): AaiObject => ({
  'flavor-id': id,
  'flavor-name': id,
  'resource-version': '1',
  ...(capabilities.length ? { 'hpa-capabilities': { 'hpa-capability': capabilities.map((c) => ({ 'hpa-capability-id': c, 'resource-version': '1' })) } } : {}),
});

/** A&AI holds `held` flavors (the first with a capability); the cloud keeps `kept` of them. */
function planOf(held: number, kept: number) {
  const state = emptyHeld();
  state.children.flavor = Array.from({ length: held }, (_, i) => flavor(`f${String(i).padStart(2, '0')}`, i === 0 ? ['c1'] : []));
  const desired = emptyDesired();
  desired.flavor = state.children.flavor.slice(held - kept).map(({ 'resource-version': _, ...rest }) => rest);
  return planObjects(VIM, desired, state);
}

describe('holdMassDeletes', () => {
  it('holds the deletes of a kind when more than the share of at least 10 held would go, with what they carry nested', () => {
    const plan = holdMassDeletes(planOf(10, 4), { flavor: 10, 'hpa-capability': 1 }, 50, false);
    expect(plan.changes).toEqual([]);
    expect(plan.held).toEqual([
      { kind: 'flavor', count: 6, of: 10, ids: ['f00', 'f01', 'f02', 'f03', 'f04', 'f05'] },
      { kind: 'hpa-capability', count: 1, of: 1, ids: ['f00/c1'] },
    ]);
  });

  it('applies them at the share itself, under 10 held, at 100, or confirmed', () => {
    const atShare = holdMassDeletes(planOf(10, 5), { flavor: 10 }, 50, false);
    expect(atShare.held).toBeUndefined();
    expect(atShare.changes.filter((c) => c.action === 'delete')).toHaveLength(6);
    expect(holdMassDeletes(planOf(9, 0), { flavor: 9 }, 50, false).held).toBeUndefined();
    expect(holdMassDeletes(planOf(20, 0), { flavor: 20 }, 100, false).held).toBeUndefined();
    const confirmed = holdMassDeletes(planOf(20, 0), { flavor: 20 }, 50, true);
    expect(confirmed.held).toBeUndefined();
    expect(confirmed.changes.filter((c) => c.kind === 'flavor')).toHaveLength(20);
  });
});

describe('planObjects: proof before delete', () => {
  it('keeps what an unproven listing leaves out, with its reason; creates and updates still go', () => {
    const state = emptyHeld();
    state.children.image = [
      { 'image-id': 'i1', 'image-name': 'old', 'resource-version': '1' },
      { 'image-id': 'i2', 'image-name': 'gone', 'resource-version': '1' },
    ];
    const desired = emptyDesired();
    desired.image = [
      { 'image-id': 'i1', 'image-name': 'renamed' },
      { 'image-id': 'i3', 'image-name': 'new' },
    ];
    const reason = 'listing incomplete: Glance next did not advance';
    const plan = planObjects(VIM, desired, state, { image: { complete: false, authoritative: true, reason } });
    expect(plan.changes.map((c) => `${c.action} ${c.id}`)).toEqual(['update i1', 'create i3']);
    expect(plan.kept).toEqual([{ kind: 'image', id: 'i2', reason }]);
  });

  it('a nested kind follows its own proof, a pserver its own; a proven kind is pruned', () => {
    const state = emptyHeld({
      'relationship-list': { relationship: [{ 'related-to': 'pserver', 'related-link': '/aai/v13/cloud-infrastructure/pservers/pserver/Owner_RegionOne_h1' }] },
    });
    state.children.flavor = [flavor('f1', ['c1']), flavor('f2')];
    state.pservers.set('Owner_RegionOne_h1', { hostname: 'Owner_RegionOne_h1', 'resource-version': '1' });
    const desired = emptyDesired();
    desired.flavor = [{ 'flavor-id': 'f1', 'flavor-name': 'f1' }];
    const notAuthoritative = { complete: true, authoritative: false, reason: 'not an admin' };
    const plan = planObjects(VIM, desired, state, { 'hpa-capability': notAuthoritative, pserver: notAuthoritative });
    expect(plan.changes.map((c) => `${c.action} ${c.kind} ${c.id}`)).toEqual(['delete flavor f2']);
    expect(plan.kept).toEqual([
      { kind: 'hpa-capability', id: 'f1/c1', reason: 'not an admin' },
      { kind: 'pserver', id: 'Owner_RegionOne_h1', reason: 'not an admin' },
    ]);
  });
});
