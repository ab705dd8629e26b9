import { holdsAll, wantedLInterface, wantedVserver } from './heatbridge-objects';
import { VimId } from './vim-id';

const VIM = VimId.of('CloudOwner', 'RegionOne');
const SERVER = {
  id: 'srv-1',
  name: 'vfw',
  status: 'ACTIVE',
  links: [
    { rel: 'bookmark', href: 'http://nova/servers/srv-1' },
    { rel: 'self', href: 'http://nova/v2.1/p/servers/srv-1' },
  ],
  flavor: { id: '3' },
  image: '',
  'OS-EXT-SRV-ATTR:host': 'compute-1',
};

describe('wantedVserver', () => {
  it('relates the server to its flavor and pserver; no image when it boots from a volume; vnf links only when named', () => {
    const vserver = wantedVserver(VIM, SERVER, {}, 'v13');
    expect(vserver).toEqual({
      'vserver-id': 'srv-1',
      'vserver-name': 'vfw',
      'vserver-name2': 'vfw',
      'vserver-selflink': 'http://nova/v2.1/p/servers/srv-1',
      'prov-status': 'ACTIVE',
      'in-maint': false,
      'relationship-list': {
        relationship: [
          {
            'related-to': 'flavor',
            'related-link': '/aai/v13/cloud-infrastructure/cloud-regions/cloud-region/CloudOwner/RegionOne/flavors/flavor/3',
            'relationship-data': [
              { 'relationship-key': 'cloud-region.cloud-owner', 'relationship-value': 'CloudOwner' },
              { 'relationship-key': 'cloud-region.cloud-region-id', 'relationship-value': 'RegionOne' },
              { 'relationship-key': 'flavor.flavor-id', 'relationship-value': '3' },
            ],
          },
          {
            'related-to': 'pserver',
            'related-link': '/aai/v13/cloud-infrastructure/pservers/pserver/CloudOwner_RegionOne_compute-1',
            'relationship-data': [{ 'relationship-key': 'pserver.hostname', 'relationship-value': 'CloudOwner_RegionOne_compute-1' }],
          },
        ],
      },
    });
    const linked = wantedVserver(VIM, SERVER, { genericVnfId: 'vnf 1', vfModuleId: 'vfm-1' }, 'v16');
    const links = (linked['relationship-list'] as { relationship: Array<Record<string, unknown>> }).relationship.map((r) => r['related-link']);
    expect(links.slice(2)).toEqual(['/aai/v16/network/generic-vnfs/generic-vnf/vnf%201', '/aai/v16/network/generic-vnfs/generic-vnf/vnf%201/vf-modules/vf-module/vfm-1']);
  });
});

describe('wantedLInterface', () => {
  it('splits fixed IPs into the IPv4 and IPv6 lists; a port without a name is named by its id', () => {
    const port = {
      id: 'port-1',
      name: '',
      mac_address: 'fa:16:3e:00:00:01',
      network_id: 'net-1',
      fixed_ips: [
        { ip_address: '10.0.0.5', subnet_id: 'sub-4' },
        { ip_address: '2001:db8::5', subnet_id: 'sub-6' },
      ],
    };
    expect(wantedLInterface(port, 'oam')).toEqual({
      'interface-name': 'port-1',
      'interface-id': 'port-1',
      macaddr: 'fa:16:3e:00:00:01',
      'network-name': 'oam',
      'in-maint': false,
      'l3-interface-ipv4-address-list': [{ 'l3-interface-ipv4-address': '10.0.0.5', 'neutron-network-id': 'net-1', 'neutron-subnet-id': 'sub-4' }],
      'l3-interface-ipv6-address-list': [{ 'l3-interface-ipv6-address': '2001:db8::5', 'neutron-network-id': 'net-1', 'neutron-subnet-id': 'sub-6' }],
    });
  });
});

describe('holdsAll', () => {
  const wanted = wantedVserver(VIM, SERVER, {}, 'v16');
  const held = {
    ...wanted,
    'resource-version': '1',
    'is-closed-loop-disabled': false,
    // A&AI shows links encoded and under its own version; others' relationships may be there too.
    'relationship-list': {
      relationship: [
        ...(wanted['relationship-list'] as { relationship: Array<Record<string, unknown>> }).relationship.map((r) => ({
          ...r,
          'related-link': String(r['related-link']).replace('/v16/', '/v13/'),
        })),
        { 'related-to': 'vf-module', 'related-link': '/aai/v16/network/generic-vnfs/generic-vnf/x/vf-modules/vf-module/y' },
      ],
    },
  };

  it('is true when every wanted property and relationship is held', () => expect(holdsAll(held, wanted)).toBe(true));
  it('is false when nothing is held, a property differs, or a relationship is missing', () => {
    expect(holdsAll(undefined, wanted)).toBe(false);
    expect(holdsAll({ ...held, 'prov-status': 'SHUTOFF' }, wanted)).toBe(false);
    expect(holdsAll({ ...held, 'relationship-list': { relationship: [] } }, wanted)).toBe(false);
  });
  it('compares address lists as sets of entries', () => {
    const port = { id: 'p', name: 'p', mac_address: 'm', network_id: 'n', fixed_ips: [{ ip_address: '10.0.0.1', subnet_id: 's' }] };
    const lif = wantedLInterface(port, 'net');
    const heldLif = { ...lif, 'l3-interface-ipv4-address-list': [{ ...(lif['l3-interface-ipv4-address-list'] as object[])[0], 'resource-version': '2' }] };
    expect(holdsAll(heldLif, lif)).toBe(true);
    expect(holdsAll({ ...heldLif, 'l3-interface-ipv4-address-list': [] }, lif)).toBe(false);
  });
});
