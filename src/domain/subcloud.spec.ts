import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parseSubclouds, regionsOfSubclouds, subcloudLifecycle, subcloudOfRegion } from './subcloud';

const LIST = JSON.parse(readFileSync(join(__dirname, '../../test/fixtures/openstack/starlingx-dcmanager-v1.0-subclouds-list.json'), 'utf8'));

describe('dcmanager subclouds', () => {
  it('reads the dcmanager list as StarlingX answers it', () => {
    const [first] = parseSubclouds(LIST);
    expect(first).toEqual({
      name: 'subcloud1',
      regionName: 'bbadb3e8e2ab473792c80ef09c5a12a4',
      managementState: 'managed',
      availabilityStatus: 'online',
      deployStatus: 'complete',
      softwareVersion: '21.12',
    });
    expect(parseSubclouds({})).toEqual([]);
    expect(parseSubclouds({ subclouds: [{ description: 'no name' }, null] })).toEqual([]);
  });

  it('matches a Keystone region by region-name, else (older releases) by name', () => {
    const subclouds = [{ name: 'subcloud1', regionName: 'abc123' }, { name: 'subcloud2' }];
    expect(subcloudOfRegion(subclouds, 'abc123')?.name).toBe('subcloud1');
    expect(subcloudOfRegion(subclouds, 'subcloud1')).toBeUndefined();
    expect(subcloudOfRegion(subclouds, 'subcloud2')?.name).toBe('subcloud2');
    expect(regionsOfSubclouds(subclouds)).toEqual(new Set(['abc123', 'subcloud2']));
  });

  it.each([
    ['managed', 'online', false],
    ['unmanaged', 'online', true],
    ['managed', 'offline', true],
    ['unmanaged', 'offline', true],
  ])('%s and %s: in maintenance %s', (managementState, availabilityStatus, inMaint) => {
    const lifecycle = subcloudLifecycle({ name: 's1', managementState, availabilityStatus, deployStatus: 'complete', softwareVersion: '22.12' });
    expect(lifecycle).toEqual({
      info: { name: 's1', 'management-state': managementState, 'availability-status': availabilityStatus, 'deploy-status': 'complete', 'software-version': '22.12' },
      inMaint,
      paused: inMaint,
    });
  });

  it('records a state dcmanager leaves out as null', () => {
    expect(subcloudLifecycle({ name: 's1' }).info).toEqual({
      name: 's1',
      'management-state': null,
      'availability-status': null,
      'deploy-status': null,
      'software-version': null,
    });
  });
});
