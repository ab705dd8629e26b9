import { AaiDouble } from './aai.server';

const REGION = '/cloud-infrastructure/cloud-regions/cloud-region/Owner/R1';
const TENANT = `${REGION}/tenants/tenant/t1`;
const VSERVER = `${TENANT}/vservers/vserver/v1`;
const LIF = `${VSERVER}/l-interfaces/l-interface/eth0`;
const VNF = '/network/generic-vnfs/generic-vnf/vnf-1';
const AUTH = `Basic ${Buffer.from('AAI:AAI').toString('base64')}`;

/**
 * What a heatbridge writes, held to the OXM as A&AI holds it: vservers, l-interfaces and
 * their address lists (v13 and v16), and relationships to a generic-vnf and its vf-module.
 */
describe.each(['v13', 'v16'] as const)('AaiDouble %s: vservers, l-interfaces, addresses, network objects', (version) => {
  let aai: AaiDouble;

  beforeAll(async () => {
    aai = new AaiDouble({ version });
    await aai.start();
    aai.seed(REGION, { 'cloud-owner': 'Owner', 'cloud-region-id': 'R1' });
    aai.seed(TENANT, { 'tenant-id': 't1', 'tenant-name': 'demo' });
    aai.seed(VNF, { 'vnf-id': 'vnf-1', 'vnf-type': 'vFW' });
    aai.seed(`${VNF}/vf-modules/vf-module/vfm-1`, { 'vf-module-id': 'vfm-1' });
  });
  afterAll(() => aai.close());

  async function put(path: string, body: unknown) {
    const response = await fetch(`${aai.serviceUrl}/${version}${path}`, {
      method: 'PUT',
      headers: { Authorization: AUTH, 'X-FromAppId': 'test', 'X-TransactionId': crypto.randomUUID(), 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }
  const problem = (answer: { body: any }) => String(answer.body?.requestError?.serviceException?.variables?.[2] ?? '');
  const vserver = (extra: Record<string, unknown> = {}) => ({ 'vserver-id': 'v1', 'vserver-name': 'vfw', 'vserver-selflink': 'http://nova/servers/v1', ...extra });
  const related = (type: string, uri: string) => ({ 'related-to': type, 'related-link': `/aai/${version}${uri}` });

  it('relates a vserver to a generic-vnf and its vf-module (both ends see the edge); an absent one is a 404', async () => {
    const missing = await put(VSERVER, vserver({ 'relationship-list': { relationship: [related('generic-vnf', '/network/generic-vnfs/generic-vnf/nope')] } }));
    expect([missing.status, problem(missing)]).toEqual([404, `related object not found: /aai/${version}/network/generic-vnfs/generic-vnf/nope`]);
    const wrongType = await put(VSERVER, vserver({ 'relationship-list': { relationship: [related('vf-module', VNF)] } }));
    expect(wrongType.status).toBe(400);
    const created = await put(
      VSERVER,
      vserver({ 'relationship-list': { relationship: [related('generic-vnf', VNF), related('vf-module', `${VNF}/vf-modules/vf-module/vfm-1`)] } }),
    );
    expect(created.status).toBe(201);
    expect(aai.get(`${VNF}/vf-modules/vf-module/vfm-1`)?.['relationship-list'].relationship).toEqual([
      {
        'related-to': 'vserver',
        'relationship-label': 'org.onap.relationships.inventory.Uses',
        'related-link': `/aai/${version}${VSERVER}`,
        'relationship-data': [
          { 'relationship-key': 'cloud-region.cloud-owner', 'relationship-value': 'Owner' },
          { 'relationship-key': 'cloud-region.cloud-region-id', 'relationship-value': 'R1' },
          { 'relationship-key': 'tenant.tenant-id', 'relationship-value': 't1' },
          { 'relationship-key': 'vserver.vserver-id', 'relationship-value': 'v1' },
        ],
      },
    ]);
  });

  it('checks an l-interface and its address lists against the OXM, and fills the required defaults', async () => {
    const badMac = await put(LIF, { 'interface-name': 'eth0', macaddr: 42 });
    expect([badMac.status, problem(badMac)]).toEqual([400, expect.stringContaining('/macaddr must be string')]);
    const badPrefix = await put(LIF, {
      'interface-name': 'eth0',
      'l3-interface-ipv4-address-list': [{ 'l3-interface-ipv4-address': '10.0.0.1', 'l3-interface-ipv4-prefix-length': '24' }],
    });
    expect([badPrefix.status, problem(badPrefix)]).toEqual([400, expect.stringContaining('l3-interface-ipv4-prefix-length must be integer')]);
    const noAddress = await put(LIF, { 'interface-name': 'eth0', 'l3-interface-ipv6-address-list': [{ 'neutron-network-id': 'n' }] });
    expect([noAddress.status, problem(noAddress)]).toEqual([400, expect.stringContaining("must have required property 'l3-interface-ipv6-address'")]);
    const unknown = await put(LIF, { 'interface-name': 'eth0', 'l3-interface-ipv4-address-list': [{ 'l3-interface-ipv4-address': '10.0.0.1', 'ip-address': 'x' }] });
    expect([unknown.status, problem(unknown)]).toEqual([400, expect.stringContaining('property "ip-address" is not defined')]);
    // `priority` and `admin-status` arrive with v16.
    const v16Only = await put(LIF, { 'interface-name': 'eth0', priority: 1 });
    expect(v16Only.status).toBe(version === 'v16' ? 201 : 400);
    if (version === 'v16') aai.seed(LIF, { 'interface-name': 'eth0' });
    const ok = await put(`${VSERVER}/l-interfaces/l-interface/eth1`, {
      'interface-name': 'eth1',
      'interface-id': 'port-1',
      macaddr: 'fa:16:3e:00:00:01',
      'network-name': 'oam',
      'l3-interface-ipv4-address-list': [{ 'l3-interface-ipv4-address': '10.0.0.1', 'neutron-network-id': 'n', 'neutron-subnet-id': 's' }],
      'l3-interface-ipv6-address-list': [{ 'l3-interface-ipv6-address': '2001:db8::1', 'neutron-network-id': 'n' }],
    });
    expect(ok.status).toBe(201);
    const rv = expect.any(String);
    expect(aai.get(`${VSERVER}/l-interfaces/l-interface/eth1`)).toEqual({
      'interface-name': 'eth1',
      'interface-id': 'port-1',
      macaddr: 'fa:16:3e:00:00:01',
      'network-name': 'oam',
      'is-port-mirrored': false,
      'in-maint': false,
      'is-ip-unnumbered': false,
      'resource-version': rv,
      'l3-interface-ipv4-address-list': [{ 'l3-interface-ipv4-address': '10.0.0.1', 'neutron-network-id': 'n', 'neutron-subnet-id': 's', 'resource-version': rv }],
      'l3-interface-ipv6-address-list': [{ 'l3-interface-ipv6-address': '2001:db8::1', 'neutron-network-id': 'n', 'resource-version': rv }],
    });
    // An address list entry is an object of its own: updating the l-interface needs its version too.
    const held = aai.get(`${VSERVER}/l-interfaces/l-interface/eth1`)!;
    const stale = await put(`${VSERVER}/l-interfaces/l-interface/eth1`, { ...held, 'l3-interface-ipv4-address-list': [{ 'l3-interface-ipv4-address': '10.0.0.1' }] });
    expect(stale.status).toBe(412);
  });
});
