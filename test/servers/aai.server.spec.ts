import { AaiDouble } from './aai.server';

const REGION = '/cloud-infrastructure/cloud-regions/cloud-region/Owner/R1';
const AUTH = `Basic ${Buffer.from('AAI:AAI').toString('base64')}`;

/** The A&AI double must refuse what A&AI refuses, or the contract tests prove nothing. */
describe('AaiDouble', () => {
  let aai: AaiDouble;
  let v16: AaiDouble;

  beforeAll(async () => {
    aai = new AaiDouble({ version: 'v13' });
    v16 = new AaiDouble({ version: 'v16' });
    await Promise.all([aai.start(), v16.start()]);
  });

  afterAll(() => Promise.all([aai.close(), v16.close()]));

  async function call(double: AaiDouble, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${double.serviceUrl}/${double.version}${path}`, {
      method,
      headers: {
        Authorization: AUTH,
        'X-FromAppId': 'test',
        'X-TransactionId': crypto.randomUUID(),
        'Content-Type': 'application/json',
        Accept: 'application/json',
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  const region = (extra: Record<string, unknown> = {}) => ({ 'cloud-owner': 'Owner', 'cloud-region-id': 'R1', ...extra });

  it('requires basic auth, X-FromAppId and X-TransactionId', async () => {
    expect((await call(aai, 'GET', REGION, undefined, { Authorization: 'Basic eDp5' })).status).toBe(401);
    const noApp = await call(aai, 'GET', REGION, undefined, { 'X-FromAppId': '' });
    expect(noApp.status).toBe(400);
    expect(noApp.body.requestError.serviceException.variables[3]).toBe('AAI_4009');
    const noTx = await call(aai, 'GET', REGION, undefined, { 'X-TransactionId': '' });
    expect(noTx.status).toBe(400);
    expect(noTx.body.requestError.serviceException.variables[3]).toBe('AAI_4010');
  });

  it('applies the resource-version rules to create, update and delete', async () => {
    expect((await call(aai, 'PUT', REGION, region({ 'resource-version': '1' }))).status).toBe(412);
    expect((await call(aai, 'PUT', REGION, region())).status).toBe(201);
    const held = (await call(aai, 'GET', REGION)).body;
    expect((await call(aai, 'PUT', REGION, region({ 'cloud-type': 'openstack' }))).status).toBe(412);
    expect((await call(aai, 'PUT', REGION, region({ 'resource-version': 'stale' }))).status).toBe(412);
    expect((await call(aai, 'PUT', REGION, region({ 'resource-version': held['resource-version'] }))).status).toBe(200);
    expect((await call(aai, 'PUT', REGION, region({ 'resource-version': held['resource-version'] }))).status).toBe(412);
    const now = (await call(aai, 'GET', REGION)).body['resource-version'];
    expect((await call(aai, 'DELETE', REGION)).status).toBe(412);
    expect((await call(aai, 'DELETE', `${REGION}?resource-version=${held['resource-version']}`)).status).toBe(412);
    expect((await call(aai, 'DELETE', `${REGION}?resource-version=${now}`)).status).toBe(204);
    expect((await call(aai, 'GET', REGION)).status).toBe(404);
  });

  it('checks the versions of nested children in an update', async () => {
    const flavor = `${REGION}/flavors/flavor/f1`;
    await call(aai, 'PUT', REGION, region());
    const capability = { 'hpa-capability-id': 'c1', 'hpa-feature': 'numa', 'hpa-feature-attributes': [{ 'hpa-attribute-key': 'numaNodes' }] };
    const body = { 'flavor-id': 'f1', 'flavor-name': 'onap.x', 'flavor-selflink': 'x', 'hpa-capabilities': { 'hpa-capability': [capability] } };
    expect((await call(aai, 'PUT', flavor, body)).status).toBe(201);
    const held = (await call(aai, 'GET', flavor)).body;
    expect((await call(aai, 'PUT', flavor, { ...body, 'resource-version': held['resource-version'] })).status).toBe(412);
    const versioned = {
      ...body,
      'resource-version': held['resource-version'],
      'hpa-capabilities': { 'hpa-capability': held['hpa-capabilities']['hpa-capability'] },
    };
    expect((await call(aai, 'PUT', flavor, versioned)).status).toBe(200);
  });

  it('answers 404 for an empty collection', async () => {
    await call(aai, 'PUT', '/cloud-infrastructure/cloud-regions/cloud-region/Owner/Empty', { 'cloud-owner': 'Owner', 'cloud-region-id': 'Empty' });
    expect((await call(aai, 'GET', '/cloud-infrastructure/cloud-regions/cloud-region/Owner/Empty/tenants')).status).toBe(404);
  });

  it('validates types and required properties against the wire schema', async () => {
    const az = `${REGION}/availability-zones/availability-zone/nova`;
    await call(aai, 'PUT', REGION, region());
    const wrongType = await call(aai, 'PUT', az, { 'availability-zone-name': 'nova', 'hypervisor-type': 'QEMU', 'operational-status': true });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.requestError.serviceException.variables[2]).toContain('/operational-status must be string');
    const missing = await call(aai, 'PUT', `${REGION}/images/image/i1`, { 'image-id': 'i1', 'image-name': 'x', 'image-selflink': 'y' });
    expect(missing.status).toBe(400);
    expect(missing.body.requestError.serviceException.variables[2]).toContain("must have required property 'image-os-distro'");
    const pserver = await call(aai, 'PUT', '/cloud-infrastructure/pservers/pserver/h1', { hostname: 'h1', 'server-selflink': '' });
    expect(pserver.status).toBe(400);
    expect(pserver.body.requestError.serviceException.variables[2]).toContain('property "server-selflink" is not defined in A&AI v13');
  });

  it('defines esr openstack-region-id from v14 and cloud-epa-caps up to v13', async () => {
    const esr = { 'esr-system-info-id': 'e1', 'user-name': 'u', password: 'p', 'system-type': 'VIM', 'openstack-region-id': 'RegionOne' };
    const withEsr = region({ 'esr-system-info-list': { 'esr-system-info': [esr] } });
    const onV13 = await call(aai, 'PUT', '/cloud-infrastructure/cloud-regions/cloud-region/Owner/Esr13', { ...withEsr, 'cloud-region-id': 'Esr13' });
    expect(onV13.status).toBe(400);
    expect(onV13.body.requestError.serviceException.variables[2]).toContain('"openstack-region-id" is not defined in A&AI v13');
    expect((await call(v16, 'PUT', REGION, withEsr)).status).toBe(201);
    expect((await call(v16, 'GET', REGION)).body).toMatchObject({ 'in-maint': false, 'orchestration-disabled': false });
    const epa = await call(v16, 'PUT', '/cloud-infrastructure/cloud-regions/cloud-region/Owner/Epa', region({ 'cloud-region-id': 'Epa', 'cloud-epa-caps': 'RegionOne' }));
    expect(epa.status).toBe(400);
    expect(epa.body.requestError.serviceException.variables[2]).toContain('"cloud-epa-caps" is not defined in A&AI v16');
  });

  it('records relationships at both ends and refuses one to a missing object', async () => {
    const host = '/cloud-infrastructure/pservers/pserver/h2';
    await call(aai, 'PUT', REGION, region());
    expect((await call(aai, 'PUT', host, { hostname: 'h2' })).status).toBe(201);
    const link = `/aai/v13${REGION}`;
    expect((await call(aai, 'PUT', `${host}/relationship-list/relationship`, { 'related-to': 'cloud-region', 'related-link': link })).status).toBe(200);
    const regionBody = (await call(aai, 'GET', REGION)).body;
    expect(regionBody['relationship-list'].relationship).toEqual([
      expect.objectContaining({ 'related-to': 'pserver', 'related-link': `/aai/v13${host}` }),
    ]);
    const missing = await call(aai, 'PUT', `${host}/relationship-list/relationship`, {
      'related-to': 'cloud-region',
      'related-link': '/aai/v13/cloud-infrastructure/cloud-regions/cloud-region/Owner/Nope',
    });
    expect(missing.status).toBe(404);
  });
});
