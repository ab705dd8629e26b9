import { NovaComputeService, schedulableZones } from './compute-service';

const service = (host: string, zone: string, status = 'enabled', state = 'up', binary = 'nova-compute'): NovaComputeService => ({
  binary,
  host,
  zone,
  status,
  state,
});

describe('schedulableZones', () => {
  it("groups compute hosts by zone, keeping only those enabled and up (Nova's ComputeFilter)", () => {
    const zones = schedulableZones([
      service('conductor', 'internal', 'enabled', 'up', 'nova-conductor'),
      service('c0', 'nova'),
      service('c1', 'nova', 'disabled'),
      service('c2', 'az2', 'enabled', 'down'),
      service('c3', 'az2'),
      service('c4', 'az3', 'disabled', 'down'),
    ]);
    expect(zones.map((z) => [z.zoneName, Object.keys(z.hosts ?? {})])).toEqual([
      ['nova', ['c0']],
      ['az2', ['c3']],
      // Every host out: the zone stays, with none (the scheduler places nothing there).
      ['az3', []],
    ]);
  });

  it('puts a compute service without a zone in nova, and never lists internal', () => {
    const zones = schedulableZones([{ binary: 'nova-compute', host: 'c0', status: 'enabled', state: 'up' }, service('odd', 'internal')]);
    expect(zones.map((z) => z.zoneName)).toEqual(['nova']);
  });
});
