import { seedVserver } from '../support/vservers';

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
    expect(regionBody['relationship-list'].relationship).toEqual([expect.objectContaining({ 'related-to': 'pserver', 'related-link': `/aai/v13${host}` })]);
    const missing = await call(aai, 'PUT', `${host}/relationship-list/relationship`, {
      'related-to': 'cloud-region',
      'related-link': '/aai/v13/cloud-infrastructure/cloud-regions/cloud-region/Owner/Nope',
    });
    expect(missing.status).toBe(404);
  });

  it('renews the resource-version of both ends of a relationship PUT or DELETE, and keeps the edges of a PUT without a relationship-list', async () => {
    const host = '/cloud-infrastructure/pservers/pserver/h3';
    await call(aai, 'PUT', REGION, region());
    await call(aai, 'PUT', host, { hostname: 'h3' });
    const versions = async () => [(await call(aai, 'GET', host)).body['resource-version'], (await call(aai, 'GET', REGION)).body['resource-version']];
    const before = await versions();
    const edge = { 'related-to': 'cloud-region', 'related-link': `/aai/v13${REGION}` };
    expect((await call(aai, 'PUT', `${host}/relationship-list/relationship`, edge)).status).toBe(200);
    const related = await versions();
    expect(related[0]).not.toBe(before[0]);
    expect(related[1]).not.toBe(before[1]);
    // A stale version is a 412 now: whoever read before the edge reads again.
    expect((await call(aai, 'DELETE', `${host}?resource-version=${before[0]}`)).status).toBe(412);
    const held = (await call(aai, 'GET', host)).body;
    expect((await call(aai, 'PUT', host, { hostname: 'h3', 'pserver-id': 'x', 'resource-version': held['resource-version'] })).status).toBe(200);
    expect((await call(aai, 'GET', host)).body['relationship-list'].relationship).toHaveLength(1);
    expect((await call(aai, 'DELETE', `${host}/relationship-list/relationship`, edge)).status).toBe(204);
    expect((await versions())[0]).not.toBe(related[0]);
    expect((await call(aai, 'GET', host)).body['relationship-list']).toBeUndefined();
  });
});

/** A&AI's bulk/single-transaction API (onap/aai-resources BulkSingleTransactionConsumer), as the double serves it. */
describe('AaiDouble bulk/single-transaction', () => {
  const R = '/cloud-infrastructure/cloud-regions/cloud-region/Owner/R1';
  const HOST = '/cloud-infrastructure/pservers/pserver/h1';
  const BULK = '/aai/v16/bulk/single-transaction';
  let aai: AaiDouble;

  async function post(double: AaiDouble, body: unknown, path = `/aai/${double.version}/bulk/single-transaction`) {
    const response = await fetch(`${double.url}${path}`, {
      method: 'POST',
      headers: { Authorization: AUTH, 'X-FromAppId': 'test', 'X-TransactionId': crypto.randomUUID(), 'Content-Type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, allow: response.headers.get('allow'), body: text ? JSON.parse(text) : undefined };
  }

  /** A&AI's answer for a failed transaction, as BulkSingleTransactionConsumer builds it. */
  function failure(msg: string, code = 'ERR.5.2.3000', messageId = 'SVC3000') {
    const text = messageId === 'SVC3001' ? 'Resource not found for %1 using id %2 (msg=%3) (ec=%4)' : 'Invalid input performing %1 on %2 (msg=%3) (ec=%4)';
    return { requestError: { serviceException: { messageId, text, variables: ['POST', BULK, msg, code] } } };
  }

  const flavor = (id: string) => ({ 'flavor-id': id, 'flavor-name': `onap.${id}`, 'flavor-selflink': 'x' });
  const image = (id: string) => ({ 'image-id': id, 'image-name': id, 'image-os-distro': 'ubuntu', 'image-os-version': '22.04', 'image-selflink': 'x' });

  beforeEach(async () => {
    aai = new AaiDouble({ version: 'v16' });
    await aai.start();
    aai.seed(R, { 'cloud-owner': 'Owner', 'cloud-region-id': 'R1' });
    aai.seed(`${R}/tenants/tenant/t1`, { 'tenant-id': 't1', 'tenant-name': 'demo' });
    aai.seed(`${R}/flavors/flavor/f1`, flavor('f1'));
    aai.seed(`${R}/images/image/i1`, image('i1'));
    aai.seed(`${R}/availability-zones/availability-zone/nova`, { 'availability-zone-name': 'nova', 'hypervisor-type': 'QEMU' });
    aai.seed(HOST, { hostname: 'h1' });
    aai.seedRelationship(HOST, `${R}/availability-zones/availability-zone/nova`);
  });

  afterEach(() => aai.close());

  it('applies the operations in order and answers 201 with one response each', async () => {
    const rv = aai.get(`${R}/flavors/flavor/f1`)!['resource-version'];
    const operations = [
      { action: 'put', uri: `${R}/flavors/flavor/f2`, body: flavor('f2') },
      { action: 'put', uri: `${R}/flavors/flavor/f1`, body: { ...flavor('f1'), 'flavor-name': 'renamed', 'resource-version': rv } },
      { action: 'patch', uri: `${R}/tenants/tenant/t1`, body: { 'tenant-name': 'patched' } },
      { action: 'put', uri: `${HOST}/relationship-list/relationship`, body: { 'related-to': 'cloud-region', 'related-link': `/aai/v16${R}` } },
      { action: 'put', uri: `/aai/v16${R}/images/image/i2`, body: image('i2') },
    ];
    const answer = await post(aai, { operations });
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({
      'operation-responses': [
        { action: 'put', uri: `${R}/flavors/flavor/f2`, 'response-status-code': 201, 'response-body': null },
        { action: 'put', uri: `${R}/flavors/flavor/f1`, 'response-status-code': 200, 'response-body': null },
        { action: 'patch', uri: `${R}/tenants/tenant/t1`, 'response-status-code': 200, 'response-body': null },
        { action: 'put', uri: `${HOST}/relationship-list/relationship`, 'response-status-code': 200, 'response-body': null },
        { action: 'put', uri: `/aai/v16${R}/images/image/i2`, 'response-status-code': 201, 'response-body': null },
      ],
    });
    const { 'resource-version': _, ...f2 } = aai.get(`${R}/flavors/flavor/f2`)!;
    expect(f2).toEqual(flavor('f2'));
    expect(aai.get(`${R}/flavors/flavor/f1`)!['flavor-name']).toBe('renamed');
    expect(aai.get(`${R}/tenants/tenant/t1`)).toEqual({ 'tenant-id': 't1', 'tenant-name': 'patched', 'resource-version': expect.any(String) });
    expect(aai.get(`${R}/images/image/i2`)).toMatchObject(image('i2'));
    expect(aai.region('Owner', 'R1')!['relationship-list'].relationship.map((r: any) => r['related-link'])).toEqual([`/aai/v16${HOST}`]);
  });

  it('rolls the whole transaction back when an operation fails', async () => {
    const before = { region: aai.region('Owner', 'R1'), host: aai.pserver('h1') };
    const tenantRv = aai.get(`${R}/tenants/tenant/t1`)!['resource-version'];
    const azRv = aai.get(`${R}/availability-zones/availability-zone/nova`)!['resource-version'];
    const missing = '/aai/v16/cloud-infrastructure/pservers/pserver/nope';
    const answer = await post(aai, {
      operations: [
        { action: 'put', uri: `${R}/flavors/flavor/f2`, body: flavor('f2') },
        { action: 'put', uri: `${R}/tenants/tenant/t1`, body: { 'tenant-id': 't1', 'tenant-name': 'changed', 'resource-version': tenantRv } },
        { action: 'delete', uri: `${R}/availability-zones/availability-zone/nova?resource-version=${azRv}`, body: {} },
        { action: 'put', uri: `${R}/images/image/i2`, body: { ...image('i2'), 'relationship-list': { relationship: [{ 'related-to': 'pserver', 'related-link': missing }] } } },
        { action: 'put', uri: `${R}/flavors/flavor/f3`, body: flavor('f3') },
      ],
    });
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual(
      failure(
        `Invalid input performing %1 on %2:Operation 3 with action (PUT) on uri (${R}/images/image/i2) failed with status code (404), ` +
          `error code (ERR.5.4.6129) and msg (Error making edge to target node:related object not found: ${missing})`,
      ),
    );
    expect({ region: aai.region('Owner', 'R1'), host: aai.pserver('h1') }).toEqual(before);
    // Operation 4 never ran; nothing was committed.
    expect(aai.bulkOperations().map((r) => [r.transaction, r.index, r.action, r.status, r.committed])).toEqual([
      [0, 0, 'put', 201, false],
      [0, 1, 'put', 200, false],
      [0, 2, 'delete', 204, false],
      [0, 3, 'put', 404, false],
      [0, 4, 'put', undefined, false],
    ]);
  });

  it('applies the resource-version rules inside a transaction (412 naming the operation)', async () => {
    const before = aai.region('Owner', 'R1');
    const stale = await post(aai, {
      operations: [
        { action: 'put', uri: `${R}/flavors/flavor/f2`, body: flavor('f2') },
        { action: 'delete', uri: `${R}/flavors/flavor/f1?resource-version=1`, body: {} },
      ],
    });
    expect(stale.status).toBe(412);
    expect(stale.body).toEqual(
      failure(
        `Invalid input performing %1 on %2:Operation 1 with action (DELETE) on uri (${R}/flavors/flavor/f1) failed with status code (412), ` +
          'error code (ERR.5.4.6131) and msg (Precondition Failed:resource-version MISMATCH for delete of flavor)',
      ),
    );
    const noVersion = await post(aai, { operations: [{ action: 'put', uri: `${R}/flavors/flavor/f1`, body: flavor('f1') }] });
    expect(noVersion.status).toBe(412);
    expect(noVersion.body.requestError.serviceException.variables[2]).toContain(
      `Operation 0 with action (PUT) on uri (${R}/flavors/flavor/f1) failed with status code (412), error code (ERR.5.4.6130) ` +
        'and msg (Precondition Required:resource-version not passed for update of flavor)',
    );
    const onCreate = await post(aai, { operations: [{ action: 'put', uri: `${R}/flavors/flavor/f9`, body: { ...flavor('f9'), 'resource-version': '1' } }] });
    expect(onCreate.status).toBe(412);
    expect(aai.region('Owner', 'R1')).toEqual(before);
  });

  it('deletes with the resource-version in the uri, and a delete without one is a 412', async () => {
    const rv = aai.get(`${R}/images/image/i1`)!['resource-version'];
    const without = await post(aai, { operations: [{ action: 'delete', uri: `${R}/images/image/i1`, body: {} }] });
    expect(without.status).toBe(412);
    expect(without.body.requestError.serviceException.variables[2]).toContain('error code (ERR.5.4.6130)');
    const answer = await post(aai, { operations: [{ action: 'delete', uri: `${R}/images/image/i1?resource-version=${rv}`, body: {} }] });
    expect(answer).toEqual({
      status: 201,
      allow: null,
      body: { 'operation-responses': [{ action: 'delete', uri: `${R}/images/image/i1?resource-version=${rv}`, 'response-status-code': 204, 'response-body': null }] },
    });
    expect(aai.get(`${R}/images/image/i1`)).toBeUndefined();
  });

  it('puts a relationship as an edge both ends show, and deletes it again', async () => {
    const edge = { 'related-to': 'availability-zone', 'related-link': `/aai/v16${R}/availability-zones/availability-zone/nova` };
    aai.seed('/cloud-infrastructure/pservers/pserver/h2', { hostname: 'h2' });
    const put = await post(aai, { operations: [{ action: 'put', uri: '/cloud-infrastructure/pservers/pserver/h2/relationship-list/relationship', body: edge }] });
    expect(put.status).toBe(201);
    const az = aai.get(`${R}/availability-zones/availability-zone/nova`)!;
    expect(az['relationship-list'].relationship.map((r: any) => r['related-link'])).toEqual([`/aai/v16${HOST}`, '/aai/v16/cloud-infrastructure/pservers/pserver/h2']);
    expect(aai.pserver('h2')!['relationship-list'].relationship).toEqual([
      {
        'related-to': 'availability-zone',
        'relationship-label': 'org.onap.relationships.inventory.MemberOf',
        'related-link': `/aai/v16${R}/availability-zones/availability-zone/nova`,
        'relationship-data': [
          { 'relationship-key': 'cloud-region.cloud-owner', 'relationship-value': 'Owner' },
          { 'relationship-key': 'cloud-region.cloud-region-id', 'relationship-value': 'R1' },
          { 'relationship-key': 'availability-zone.availability-zone-name', 'relationship-value': 'nova' },
        ],
      },
    ]);
    const removed = await post(aai, { operations: [{ action: 'delete', uri: '/cloud-infrastructure/pservers/pserver/h2/relationship-list/relationship', body: edge }] });
    expect(removed.body['operation-responses'][0]['response-status-code']).toBe(204);
    expect(aai.pserver('h2')!['relationship-list']).toBeUndefined();
  });

  it('checks every body against the version schema before running any operation (400 "Error with operation i")', async () => {
    const before = aai.region('Owner', 'R1');
    const { 'image-os-distro': _, ...noDistro } = image('i2');
    const missing = await post(aai, {
      operations: [
        { action: 'put', uri: `${R}/flavors/flavor/f2`, body: flavor('f2') },
        { action: 'put', uri: `${R}/images/image/i2`, body: noDistro },
      ],
    });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual(failure("Invalid input performing %1 on %2:Error with operation 1: image must have required property 'image-os-distro'"));
    const unknown = await post(aai, { operations: [{ action: 'patch', uri: R, body: { 'cloud-epa-caps': 'x' } }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.requestError.serviceException.variables[2]).toBe(
      'Invalid input performing %1 on %2:Error with operation 0: cloud-region: property "cloud-epa-caps" is not defined in A&AI v16',
    );
    const keys = await post(aai, { operations: [{ action: 'put', uri: `${R}/flavors/flavor/f2`, body: flavor('other') }] });
    expect(keys.body).toEqual(failure("Invalid input performing %1 on %2:Error with operation 0: uri and payload keys don't match"));
    expect(aai.region('Owner', 'R1')).toEqual(before);
  });

  it('refuses a malformed payload and more operations than the limit with 400', async () => {
    const put = { action: 'put', uri: `${R}/flavors/flavor/f2`, body: flavor('f2') };
    expect((await post(aai, '{]}')).body).toEqual(failure('JSON processing error:Input payload does not follow bulk/single-transaction interface', 'ERR.5.4.6111'));
    expect((await post(aai, { operations: [] })).body).toEqual(failure('Required Field not passed.: Payload has no objects to operate on', 'ERR.5.4.6118'));
    const fields = await post(aai, {
      operations: [
        { action: 'create', uri: 'x', body: {} },
        { uri: 'x', body: {} },
        { action: 'put', body: {} },
        { action: 'delete', uri: 'x' },
      ],
    });
    expect(fields.status).toBe(400);
    expect(fields.body).toEqual(
      failure(
        "JSON processing error:input payload missing required properties. [Operation 0 has invalid action 'create', Operation 1 missing 'action', " +
          "Operation 2 missing 'uri', Operation 3 missing 'body']",
        'ERR.5.4.6111',
      ),
    );
    const over = await post(aai, { operations: Array.from({ length: 31 }, () => put) });
    expect(over.status).toBe(400);
    expect(over.body).toEqual(failure('Payload Limit Reached, reduce payload: Allowed limit = 30', 'ERR.5.4.6147'));
    expect((await post(aai, { operations: Array.from({ length: 30 }, (_, i) => ({ ...put, uri: `${R}/flavors/flavor/g${i}`, body: flavor(`g${i}`) })) })).status).toBe(201);
    aai.bulkLimit = 2;
    expect((await post(aai, { operations: [put, put, put] })).body).toEqual(failure('Payload Limit Reached, reduce payload: Allowed limit = 2', 'ERR.5.4.6147'));
    expect(aai.get(`${R}/flavors/flavor/f2`)).toBeUndefined();
  });

  it('has no bulk API on v13 (405 as A&AI before 1810 answers), and can be told to answer 404 or 405', async () => {
    const v13 = new AaiDouble({ version: 'v13', bulkLimit: 5 });
    await v13.start();
    try {
      v13.seed(R, { 'cloud-owner': 'Owner', 'cloud-region-id': 'R1' });
      const answer = await post(v13, { operations: [{ action: 'put', uri: `${R}/flavors/flavor/f2`, body: flavor('f2') }] });
      expect(answer).toEqual({ status: 405, allow: 'DELETE,GET,HEAD,OPTIONS,PATCH,PUT', body: undefined });
      expect(v13.get(`${R}/flavors/flavor/f2`)).toBeUndefined();
      expect(v13.writes()).toEqual({ single: { PUT: 0, PATCH: 0, DELETE: 0, total: 0 }, bulkRequests: 1, bulk: { put: 0, patch: 0, delete: 0, total: 0 } });
    } finally {
      await v13.close();
    }
    const ops = { operations: [{ action: 'put', uri: `${R}/flavors/flavor/f2`, body: flavor('f2') }] };
    aai.bulkUnavailable = 404;
    const gone = await post(aai, ops);
    expect(gone.status).toBe(404);
    expect(gone.body.requestError.serviceException.messageId).toBe('SVC3001');
    aai.bulkUnavailable = 405;
    expect(await post(aai, ops)).toEqual({ status: 405, allow: 'GET,HEAD,OPTIONS', body: undefined });
    const forced = new AaiDouble({ version: 'v16', bulkUnavailable: 404 });
    await forced.start();
    expect((await post(forced, ops)).status).toBe(404);
    await forced.close();
    expect(aai.get(`${R}/flavors/flavor/f2`)).toBeUndefined();
    aai.bulkUnavailable = undefined;
    expect((await post(aai, ops)).status).toBe(201);
  });

  it('logs a bulk request once and tells single writes from bulk operations', async () => {
    const rv = aai.get(`${R}/images/image/i1`)!['resource-version'];
    await call16('PUT', `${R}/flavors/flavor/f5`, flavor('f5'));
    await post(aai, {
      operations: [
        { action: 'put', uri: `${R}/flavors/flavor/f2`, body: flavor('f2') },
        { action: 'patch', uri: `${R}/flavors/flavor/f2`, body: { 'flavor-name': 'p' } },
        { action: 'delete', uri: `${R}/images/image/i1?resource-version=${rv}`, body: {} },
      ],
    });
    expect(aai.requests.filter((r) => r.path === BULK)).toHaveLength(1);
    expect(aai.count('POST', /bulk/)).toBe(1);
    expect(aai.writes()).toEqual({ single: { PUT: 1, PATCH: 0, DELETE: 0, total: 1 }, bulkRequests: 1, bulk: { put: 1, patch: 1, delete: 1, total: 3 } });
    expect(aai.bulkOperations({ action: 'delete' })).toEqual([
      { transaction: 0, index: 2, action: 'delete', uri: `${R}/images/image/i1?resource-version=${rv}`, body: {}, status: 204, committed: true },
    ]);
    expect(aai.bulkOperations({ committed: false })).toEqual([]);
  });

  async function call16(method: string, path: string, body?: unknown) {
    const response = await fetch(`${aai.serviceUrl}/v16${path}`, {
      method,
      headers: { Authorization: AUTH, 'X-FromAppId': 'test', 'X-TransactionId': crypto.randomUUID(), 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  it('holds vservers under tenants whose edges both ends show, and refuses deletes they prevent', async () => {
    const vserver = seedVserver(aai, 'Owner_R1', 't1', 'vm1', { flavor: 'f1', image: 'i1', pserver: 'h1' });
    expect(vserver).toBe(`${R}/tenants/tenant/t1/vservers/vserver/vm1`);
    const flavorRelations = (await call16('GET', `${R}/flavors/flavor/f1`)).body['relationship-list'].relationship;
    expect(flavorRelations).toEqual([
      {
        'related-to': 'vserver',
        'relationship-label': 'org.onap.relationships.inventory.Uses',
        'related-link': `/aai/v16${vserver}`,
        'relationship-data': [
          { 'relationship-key': 'cloud-region.cloud-owner', 'relationship-value': 'Owner' },
          { 'relationship-key': 'cloud-region.cloud-region-id', 'relationship-value': 'R1' },
          { 'relationship-key': 'tenant.tenant-id', 'relationship-value': 't1' },
          { 'relationship-key': 'vserver.vserver-id', 'relationship-value': 'vm1' },
        ],
      },
    ]);
    expect(aai.get(`${R}/images/image/i1`)!['relationship-list'].relationship.map((r: any) => r['related-to'])).toEqual(['vserver']);
    expect(aai.pserver('h1')!['relationship-list'].relationship.map((r: any) => [r['related-to'], r['relationship-label']])).toEqual([
      ['availability-zone', 'org.onap.relationships.inventory.MemberOf'],
      ['vserver', 'tosca.relationships.HostedOn'],
    ]);
    const held = aai.get(vserver)!;
    expect(held).toMatchObject({ 'vserver-id': 'vm1', 'vserver-name': 'vm1', 'prov-status': 'ACTIVE', 'in-maint': false, 'is-closed-loop-disabled': false });
    expect(held['relationship-list'].relationship.map((r: any) => r['related-to']).sort()).toEqual(['flavor', 'image', 'pserver']);
    expect((await call16('GET', `${R}/tenants/tenant/t1/vservers`)).body.vserver).toHaveLength(1);

    const prevented =
      'Node cannot be deleted:Object is being reference by additional objects preventing it from being deleted. ' + 'Please clean up references from the following types [vserver]';
    const flavorRv = aai.get(`${R}/flavors/flavor/f1`)!['resource-version'];
    const single = await call16('DELETE', `${R}/flavors/flavor/f1?resource-version=${flavorRv}`);
    expect(single.status).toBe(400);
    expect(single.body.requestError.serviceException.variables.slice(2)).toEqual([prevented, 'ERR.5.4.6110']);
    const tenantRv = aai.get(`${R}/tenants/tenant/t1`)!['resource-version'];
    const bulk = await post(aai, { operations: [{ action: 'delete', uri: `${R}/tenants/tenant/t1?resource-version=${tenantRv}`, body: {} }] });
    expect(bulk.status).toBe(400);
    expect(bulk.body.requestError.serviceException.variables[2]).toBe(
      `Invalid input performing %1 on %2:Operation 0 with action (DELETE) on uri (${R}/tenants/tenant/t1) failed with status code (400), ` +
        `error code (ERR.5.4.6110) and msg (${prevented})`,
    );
    const regionRv = aai.region('Owner', 'R1')!['resource-version'];
    expect((await call16('DELETE', `${R}?resource-version=${regionRv}`)).status).toBe(400);
    const vmRv = held['resource-version'];
    expect((await call16('DELETE', `${vserver}?resource-version=${vmRv}`)).status).toBe(204);
    expect(aai.get(`${R}/flavors/flavor/f1`)!['relationship-list']).toBeUndefined();
    expect((await call16('DELETE', `${R}/flavors/flavor/f1?resource-version=${flavorRv}`)).status).toBe(204);
  });

  it('validates a vserver against the schema', async () => {
    const missing = await call16('PUT', `${R}/tenants/tenant/t1/vservers/vserver/vm2`, { 'vserver-id': 'vm2', 'vserver-name': 'vm2' });
    expect(missing.status).toBe(400);
    expect(missing.body.requestError.serviceException.variables[2]).toContain("must have required property 'vserver-selflink'");
  });

  it('refuses, with strictDeletes, the deletes A&AI edge rules prevent for registration objects', async () => {
    const strict = new AaiDouble({ version: 'v16', strictDeletes: true });
    try {
      strict.seed(R, { 'cloud-owner': 'Owner', 'cloud-region-id': 'R1' });
      strict.seed(`${R}/flavors/flavor/f1`, flavor('f1'));
      strict.seed(`${R}/availability-zones/availability-zone/nova`, { 'availability-zone-name': 'nova', 'hypervisor-type': 'QEMU' });
      strict.seed(HOST, { hostname: 'h1' });
      strict.seedRelationship(HOST, `${R}/availability-zones/availability-zone/nova`);
      await strict.start();
      const del = (uri: string) => ({ action: 'delete', uri: `${uri}?resource-version=${strict.get(uri)!['resource-version']}`, body: {} });
      const region = await post(strict, { operations: [del(R)] });
      expect(region.status).toBe(400);
      expect(region.body.requestError.serviceException.variables[2]).toContain('following types [flavor, pserver]');
      const az = await post(strict, { operations: [del(`${R}/availability-zones/availability-zone/nova`)] });
      expect(az.body.requestError.serviceException.variables[2]).toContain('following types [pserver]');
      const children = await post(strict, {
        operations: [
          { action: 'delete', uri: `${HOST}/relationship-list/relationship`, body: { 'related-link': `/aai/v16${R}/availability-zones/availability-zone/nova` } },
          del(`${R}/flavors/flavor/f1`),
        ],
      });
      expect(children.status).toBe(201);
      expect((await post(strict, { operations: [del(R)] })).status).toBe(201);
      expect(strict.regionIds()).toEqual([]);
    } finally {
      await strict.close();
    }
  });
});
