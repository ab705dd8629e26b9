import { AaiSchemaVersion } from './aai-schema-version';
import { cloudRegionBody, proxyIdentityUrl, toVimInfo } from './cloud-region';
import { VimId } from './vim-id';

const vimId = VimId.of('CloudOwner', 'RegionX');
const esr = {
  'esr-system-info-id': 'e1',
  'service-url': 'http://keystone:5000/v3',
  'user-name': 'admin',
  password: 'secret',
  'cloud-domain': 'Default',
  'default-tenant': 'admin',
  'system-type': 'VIM',
};

describe('toVimInfo', () => {
  it('takes the openstack region id from esr, else cloud-epa-caps, else the cloud-region-id', () => {
    expect(toVimInfo(vimId, { 'cloud-epa-caps': 'FromEpa' }, [{ ...esr, 'openstack-region-id': 'FromEsr' }]).openstackRegionId).toBe('FromEsr');
    expect(toVimInfo(vimId, { 'cloud-epa-caps': 'FromEpa' }, [esr]).openstackRegionId).toBe('FromEpa');
    expect(toVimInfo(vimId, {}, [esr]).openstackRegionId).toBe('RegionX');
  });

  it('tolerates junk cloud-extra-info and verifies TLS unless ssl-insecure', () => {
    const vim = toVimInfo(vimId, { 'cloud-extra-info': '{not json' }, [esr]);
    expect(vim.extraInfo).toEqual({});
    expect(vim.access.insecure).toBe(false);
    expect(toVimInfo(vimId, { 'cloud-extra-info': '["a"]' }, [{ ...esr, 'ssl-insecure': true }]).access.insecure).toBe(true);
  });

  it('refuses a region without esr-system-info or service-url', () => {
    expect(() => toVimInfo(vimId, {}, [])).toThrow('Cloud Region CloudOwner_RegionX has no esr-system-info in AAI');
    expect(() => toVimInfo(vimId, {}, [{ ...esr, 'service-url': '' }])).toThrow('lacks service-url');
  });
});

describe('proxyIdentityUrl', () => {
  it('uses the v0 or v1 form', () => {
    expect(proxyIdentityUrl('http://msb:80/', vimId, 'v0')).toBe('http://msb:80/api/multicloud-starlingx/v0/CloudOwner_RegionX/identity/v2.0');
    expect(proxyIdentityUrl('http://msb:80', vimId, 'v1')).toBe('http://msb:80/api/multicloud-starlingx/v1/CloudOwner/RegionX/identity/v2.0');
  });
});

describe('cloudRegionBody', () => {
  const body = (version: string) =>
    cloudRegionBody({
      vim: toVimInfo(vimId, { 'cloud-type': 'openstack' }, [esr]),
      target: vimId,
      openstackRegionId: 'RegionOne',
      identityUrl: 'http://msb/identity',
      extraInfo: { isystem: { software_version: '19.12' } },
      schema: new AaiSchemaVersion(version),
      esrSystemInfoId: 'e1',
    });

  it('puts the openstack region id in cloud-epa-caps up to v13', () => {
    const v13 = body('v13');
    expect(v13['cloud-epa-caps']).toBe('RegionOne');
    expect((v13['esr-system-info-list'] as any)['esr-system-info'][0]['openstack-region-id']).toBeUndefined();
  });

  it('puts it in esr openstack-region-id from v14', () => {
    for (const version of ['v14', 'v16']) {
      const later = body(version);
      expect(later['cloud-epa-caps']).toBeUndefined();
      expect((later['esr-system-info-list'] as any)['esr-system-info'][0]['openstack-region-id']).toBe('RegionOne');
    }
  });

  it('writes cloud-extra-info as a JSON string', () => {
    expect(JSON.parse(String(body('v13')['cloud-extra-info']))).toEqual({ isystem: { software_version: '19.12' } });
  });
});
