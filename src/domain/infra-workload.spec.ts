import { isHeatTemplateType, jobWorkloadReason, jobWorkloadStatus, mergeDirectives, workloadBody } from './infra-workload';
import { JobRecord } from './job-status';

describe('mergeDirectives', () => {
  const template = { parameters: { flavor: {}, image: {}, name: {} } };
  const attributes = (...pairs: Array<[string, unknown]>) => ({ attributes: pairs.map(([attribute_name, attribute_value]) => ({ attribute_name, attribute_value })) });

  it('overrides sdnc, then oof, then user: the last word is the user’s', () => {
    const merged = mergeDirectives(
      { name: 'given', flavor: 'm1.small' },
      template,
      attributes(['name', 'sdnc'], ['image', 'sdnc-image']),
      { directives: [{ type: 'vnfc', directives: [{ type: 'flavor_directives', ...attributes(['flavor', 'oof-flavor'], ['name', 'oof']) }] }] },
      attributes(['name', 'user']),
    );
    expect(merged).toEqual({ name: 'user', flavor: 'oof-flavor', image: 'sdnc-image' });
  });

  it('sets only parameters given or declared by the template (Heat refuses others)', () => {
    expect(mergeDirectives({ given: 1 }, template, attributes(['given', 2], ['image', 'x'], ['vf_module_name', 'y']))).toEqual({ given: 2, image: 'x' });
    // A template sent as text: only the parameters given can be told.
    expect(mergeDirectives({ given: 1 }, 'heat_template_version: 2013-05-23', attributes(['image', 'x'], ['given', 3]))).toEqual({ given: 3 });
  });

  it.each([undefined, null, 'junk', 42, [], { attributes: 'no' }, { attributes: [null, { attribute_name: '' }, { attribute_value: 1 }] }])(
    'ignores a directive block it cannot read: %j',
    (block) => expect(mergeDirectives({ name: 'kept' }, template, block)).toEqual({ name: 'kept' }),
  );

  it('reads nested blocks only to a bounded depth', () => {
    let deep: Record<string, unknown> = attributes(['name', 'too deep']);
    for (let i = 0; i < 50; i += 1) deep = { directives: [deep] };
    expect(mergeDirectives({ name: 'kept' }, template, deep)).toEqual({ name: 'kept' });
  });
});

describe('isHeatTemplateType', () => {
  it.each([[undefined], [null], [''], ['heat'], ['HEAT'], [' Heat ']])('%j is Heat', (type) => expect(isHeatTemplateType(type)).toBe(true));
  it.each([['tosca'], ['helm'], [3], [{}]])('%j is not', (type) => expect(isHeatTemplateType(type)).toBe(false));
});

describe('jobWorkloadStatus and workloadBody', () => {
  const record = (kind: 'register' | 'unregister', state: JobRecord['state']): JobRecord => ({ kind, state, code: 0, message: '', runId: 'r', startedAt: '' });

  it.each<['register' | 'unregister', JobRecord['state'], string]>([
    ['register', 'in-progress', 'UPDATE_IN_PROGRESS'],
    ['register', 'succeeded', 'UPDATE_COMPLETE'],
    ['register', 'failed', 'UPDATE_FAILED'],
    ['unregister', 'in-progress', 'DELETE_IN_PROGRESS'],
    ['unregister', 'succeeded', 'DELETE_COMPLETE'],
    ['unregister', 'failed', 'DELETE_FAILED'],
  ])('a %s job %s reads %s', (kind, state, status) => expect(jobWorkloadStatus(record(kind, state))).toBe(status));

  it("words the runner's own messages as the workload's", () => {
    const stopped = { ...record('register', 'failed'), message: 'register job of CloudOwner_RegionOne/s1 failed: timed out after 900000 ms' };
    expect(jobWorkloadReason(stopped, 's1')).toBe('heatbridge of stack s1 failed: timed out after 900000 ms');
    expect(jobWorkloadReason({ ...record('unregister', 'succeeded'), message: 'stack s1 deleted' }, 's1')).toBe('stack s1 deleted');
    expect(jobWorkloadReason(record('unregister', 'in-progress'), 's1')).toBe('delete of stack s1 in progress');
  });

  it('the body has exactly the four keys SO reads', () => {
    expect(Object.keys(workloadBody('id', 'GET_COMPLETE', { stacks: [] }))).toEqual(['template_type', 'workload_id', 'workload_status', 'workload_status_reason']);
  });
});
