import { FakeAai } from '../../../test/fakes/fake-aai';
import { esrOf } from '../../../test/support/aai-json';
import { FakeOpenStack } from '../../../test/fakes/fake-openstack';
import { testSettings } from '../../../test/fakes/settings';
import { toVimInfo } from '../../domain/cloud-region';
import { VimId } from '../../domain/vim-id';
import { RegionNotConfirmedError, UpdateCloudRegion } from './update-cloud-region';

const VIM = VimId.parse('Owner_R1');
const ESR = { 'esr-system-info-id': 'esr-1', 'service-url': 'http://keystone:5000/v3', 'user-name': 'admin', password: 'pw' };
const ONBOARDED = {
  'cloud-owner': 'Owner',
  'cloud-region-id': 'R1',
  'cloud-type': 'openstack',
  'cloud-extra-info': JSON.stringify({ 'openstack-region-id': 'RegionOne', 'multi-region-discovery': true }),
};

describe('UpdateCloudRegion', () => {
  let aai: FakeAai;
  let openstack: FakeOpenStack;
  let update: UpdateCloudRegion;
  const session = { project: { id: 'p', name: 'admin' } };
  const vim = toVimInfo(VIM, ONBOARDED, [ESR]);

  beforeEach(() => {
    aai = new FakeAai();
    openstack = new FakeOpenStack();
    openstack.system = { software_version: '21.12', system_mode: 'duplex', system_type: 'Standard' };
    update = new UpdateCloudRegion(aai, openstack, testSettings());
    aai.seedRegion('Owner_R1', { ...ONBOARDED, 'esr-system-info-list': { 'esr-system-info': [ESR] } });
  });

  it('writes the region with sysinv system info in cloud-extra-info and its openstack region, then confirms it', async () => {
    const result = await update.execute({ vim, target: VIM, openstackRegionId: 'RegionOne', apiVersion: 'v1', session });
    const extraInfo = {
      'openstack-region-id': 'RegionOne',
      'multi-region-discovery': true,
      isystem: { software_version: '21.12', system_mode: 'duplex', system_type: 'Standard' },
    };
    expect(result).toEqual({ extraInfo, warnings: [], action: 'update', confirmed: await aai.getCloudRegion(VIM, '0') });
    expect(aai.regions.get('Owner_R1')).toMatchObject({
      'identity-url': 'http://msb:80/api/multicloud-starlingx/v1/Owner/R1/identity/v2.0',
      'cloud-extra-info': JSON.stringify(extraInfo),
      'cloud-epa-caps': 'RegionOne',
      'esr-system-info-list': { 'esr-system-info': [expect.objectContaining({ 'esr-system-info-id': 'esr-1' })] },
    });
  });

  it('creates a subcloud region with the onboarded esr info and its own openstack region, without multi-region-discovery', async () => {
    const subcloud = VimId.parse('Owner_R1_SC1');
    const result = await update.execute({ vim, target: subcloud, openstackRegionId: 'SC1', apiVersion: 'v1', session });
    expect(result.extraInfo).toEqual({
      'openstack-region-id': 'SC1',
      isystem: { software_version: '21.12', system_mode: 'duplex', system_type: 'Standard' },
    });
    const region = aai.regions.get('Owner_R1_SC1')!;
    expect(region['cloud-region-id']).toBe('R1_SC1');
    expect(esrOf(region)).toMatchObject({ 'user-name': 'admin', password: 'pw' });
    expect(esrOf(region)['esr-system-info-id']).not.toBe('esr-1');
  });

  it('writes nothing and reads nothing back when A&AI already holds what is wanted', async () => {
    await update.execute({ vim, target: VIM, openstackRegionId: 'RegionOne', apiVersion: 'v1', session });
    const before = structuredClone(aai.regions.get('Owner_R1'));
    let writes = 0;
    aai.saveCloudRegion = async () => {
      writes += 1;
    };
    const again = await update.execute({ vim, target: VIM, openstackRegionId: 'RegionOne', apiVersion: 'v1', session });
    expect(again.action).toBe('unchanged');
    expect(writes).toBe(0);
    expect(aai.regions.get('Owner_R1')).toEqual(before);
  });

  it('gives up after the bounded confirmation reads when A&AI never shows the update', async () => {
    aai.getCloudRegion = async () => ({ ...ONBOARDED, 'identity-url': 'WillBeUpdatedByMultiCloud' });
    await expect(update.execute({ vim, target: VIM, openstackRegionId: 'RegionOne', apiVersion: 'v1', session })).rejects.toBeInstanceOf(RegionNotConfirmedError);
  });
});
