import { desiredZones } from './compute-inventory';
import { NovaAggregate, NovaComputeService } from './compute-service';
import { PROVEN } from './listing';

const compute = (host: string, zone: string | undefined, status = 'enabled', state = 'up'): NovaComputeService => ({
  binary: 'nova-compute',
  host,
  zone,
  status,
  state,
  disabled_reason: status === 'disabled' ? 'host locked' : null,
});
const aggregate = (id: number, zone: string | null, hosts: string[]): NovaAggregate => ({ id, name: `agg-${id}`, availability_zone: zone, hosts });
const scheduler: NovaComputeService = { binary: 'nova-scheduler', host: 'controller-0', zone: 'internal', status: 'enabled', state: 'up' };

describe('desiredZones', () => {
  it('gives each zone its hosts from the aggregates and the services, internal skipped', () => {
    const result = desiredZones(
      [scheduler, compute('compute-1', 'az1'), compute('compute-0', 'nova'), compute('compute-2', 'az1')],
      [aggregate(1, 'az1', ['compute-1', 'compute-2'])],
    );
    expect(result).toEqual({
      zones: [
        { name: 'az1', available: true, hosts: ['compute-1', 'compute-2'] },
        { name: 'nova', available: true, hosts: ['compute-0'] },
      ],
      proof: PROVEN,
    });
  });

  it('keeps a locked (disabled) host in its zone; the zone stays available while another host is enabled', () => {
    const result = desiredZones([compute('compute-1', 'az1', 'disabled'), compute('compute-2', 'az1')], [aggregate(1, 'az1', ['compute-1', 'compute-2'])]);
    expect(result).toEqual({ zones: [{ name: 'az1', available: true, hosts: ['compute-1', 'compute-2'] }], proof: PROVEN });
  });

  it('keeps a zone whose every host is locked, unavailable (as Nova lists it), with its hosts', () => {
    const result = desiredZones([compute('compute-1', 'az1', 'disabled')], [aggregate(1, 'az1', ['compute-1'])]);
    expect(result).toEqual({ zones: [{ name: 'az1', available: false, hosts: ['compute-1'] }], proof: PROVEN });
  });

  it('keeps the default zone when its only host is locked', () => {
    const result = desiredZones([compute('compute-0', 'nova', 'disabled')], []);
    expect(result).toEqual({ zones: [{ name: 'nova', available: false, hosts: ['compute-0'] }], proof: PROVEN });
  });

  it('keeps a down host in its zone, which stays available (Nova reads only the disabled flag)', () => {
    const result = desiredZones([compute('compute-1', 'az1', 'enabled', 'down')], [aggregate(1, 'az1', ['compute-1'])]);
    expect(result.zones).toEqual([{ name: 'az1', available: true, hosts: ['compute-1'] }]);
  });

  it('places a compute host without a zone in its aggregate zone, else in the default zone, as Nova does', () => {
    const result = desiredZones([compute('compute-1', undefined), compute('compute-9', undefined)], [aggregate(1, 'az1', ['compute-1'])]);
    expect(result.zones).toEqual([
      { name: 'az1', available: true, hosts: ['compute-1'] },
      { name: 'nova', available: true, hosts: ['compute-9'] },
    ]);
    expect(desiredZones([compute('compute-9', undefined)], [], 'edge').zones).toEqual([{ name: 'edge', available: true, hosts: ['compute-9'] }]);
  });

  it("reads an aggregate without an availability zone as no zone, and an older Nova's zone from its metadata", () => {
    const result = desiredZones(
      [],
      [aggregate(1, null, ['compute-1']), { id: 2, name: 'old', availability_zone: null, hosts: ['compute-2'], metadata: { availability_zone: 'az2' } }],
    );
    expect(result.zones).toEqual([{ name: 'az2', available: false, hosts: ['compute-2'] }]);
  });

  it('ignores services that are not nova-compute and writes no zone without hosts (Nova lists none)', () => {
    expect(desiredZones([scheduler], [aggregate(1, 'empty', [])])).toEqual({ zones: [], proof: PROVEN });
  });
});
