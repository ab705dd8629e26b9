import { chooseMainRegion, discoverRegions } from './region-discovery';

describe('discoverRegions', () => {
  it('keeps every region of a plain cloud', () => {
    expect(discoverRegions(['RegionOne', 'RegionTwo'])).toEqual({ distributedCloud: false, regions: ['RegionOne', 'RegionTwo'] });
  });

  it('drops SystemController and RegionOne from a distributed cloud', () => {
    expect(discoverRegions(['RegionOne', 'SystemController', 'sc1', 'sc2'])).toEqual({ distributedCloud: true, regions: ['sc1', 'sc2'] });
  });
});

describe('chooseMainRegion', () => {
  it.each([
    [['sc1', 'sc2'], 'sc2', 'RegionOne', 'x', 'sc2'],
    [['RegionOne', 'RegionTwo'], 'Nowhere', 'RegionTwo', 'x', 'RegionTwo'],
    [['sc1', 'sc2'], undefined, 'RegionOne', 'x', 'sc1'],
    [[], 'RegionOne', 'MyRegion', 'fromAai', 'RegionOne'],
    [[], undefined, 'MyRegion', 'fromAai', 'fromAai'],
  ])('%j, preferred %s, cloud-region-id %s → %s', (discovered, preferred, cloudRegionId, fallback, expected) => {
    expect(chooseMainRegion(discovered, preferred, cloudRegionId, fallback)).toBe(expected);
  });
});
