import { InvalidVimIdError } from './errors';
import { VimId } from './vim-id';

describe('VimId', () => {
  it.each([
    ['CloudOwner_RegionOne', 'CloudOwner', 'RegionOne'],
    ['owner-1_region_with_underscores', 'owner-1', 'region_with_underscores'],
    ['a_b', 'a', 'b'],
    ['Cloud-Owner_Region-1_bbadb3e8e2ab473792c80ef09c5a12a4', 'Cloud-Owner', 'Region-1_bbadb3e8e2ab473792c80ef09c5a12a4'],
  ])('parses %s as owner %s and region %s', (text, owner, region) => {
    const vimId = VimId.parse(text);
    expect([vimId.cloudOwner, vimId.cloudRegionId, vimId.toString()]).toEqual([owner, region, text]);
  });

  it.each(['', 'nounderscore', '_region', 'owner_', 'own.er_region', 'owner_reg/ion', 'owner_région', 'owner_region '])('refuses %j', (text) => {
    expect(() => VimId.parse(text)).toThrow(InvalidVimIdError);
  });

  it('round-trips owner and region through the vimid', () => {
    const vimId = VimId.of('Owner-x', 'Region_1');
    expect(vimId.toString()).toBe('Owner-x_Region_1');
    const parsed = VimId.parse(vimId.toString());
    expect([parsed.cloudOwner, parsed.cloudRegionId]).toEqual(['Owner-x', 'Region_1']);
  });

  it('refuses an owner with "_" (the vimid would decode differently)', () => {
    expect(() => VimId.of('owner_x', 'region')).toThrow('Invalid cloud-owner "owner_x"');
    expect(() => VimId.of('owner', 'region.1')).toThrow('Invalid cloud-region-id "region.1"');
  });

  it('names a subcloud {owner}/{region}_{R}', () => {
    expect(VimId.of('CloudOwner', 'DC').subcloud('bbadb3e8').toString()).toBe('CloudOwner_DC_bbadb3e8');
  });

  it('keeps a long id out of the message', () => {
    expect(() => VimId.parse('x'.repeat(500))).toThrow(/x{80}…"/);
  });
});
