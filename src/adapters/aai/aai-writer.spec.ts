import { AaiDouble } from '../../../test/servers/aai.server';
import { loadAppConfig } from '../../config/app.config';
import { OutboundHttp } from '../outbound/outbound-http';
import { AaiHttpClient } from './aai-http.client';

const REGION = '/cloud-infrastructure/cloud-regions/cloud-region/Owner/R1';
const flavor = (id: string, name = `f-${id}`) => ({ 'flavor-id': id, 'flavor-name': name, 'flavor-selflink': 'http://0.0.0.0' });

/** The job writer (SPEC 7 bulk writes) against the A&AI double's bulk/single-transaction. */
describe('the A&AI job writer', () => {
  let aai: AaiDouble;

  function writer(env: Record<string, string> = {}) {
    const config = loadAppConfig({ AAI_SERVICE_URL: aai.serviceUrl, AAI_SCHEMA_VERSION: aai.version, HTTP_RETRIES: '0', HTTP_TIMEOUT_MS: '2000', ...env });
    return new AaiHttpClient(new OutboundHttp(config), config).writer();
  }

  function flavors(): string[] {
    return (aai.get(REGION)?.flavors?.flavor ?? []).map((f: Record<string, unknown>) => `${f['flavor-id']}:${f['flavor-name']}`).sort();
  }

  beforeEach(async () => {
    aai = new AaiDouble({ version: 'v16', bulkLimit: 30 });
    await aai.start();
    aai.seed(REGION, { 'cloud-owner': 'Owner', 'cloud-region-id': 'R1', 'cloud-type': 'openstack' });
  });

  afterEach(() => aai.close());

  it('writes a batch as one transaction of puts and deletes with resource-versions', async () => {
    aai.seed(`${REGION}/flavors/flavor/old`, flavor('old'));
    const held = aai.get(`${REGION}/flavors/flavor/old`)!;
    const w = writer();
    expect(w.batchSize).toBe(30);
    const results = await w.write([
      { uri: `${REGION}/flavors/flavor/a`, action: 'create', wanted: flavor('a') },
      { uri: `${REGION}/flavors/flavor/b`, action: 'create', wanted: flavor('b') },
      { uri: `${REGION}/flavors/flavor/old`, action: 'delete', held },
    ]);
    expect(results).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(flavors()).toEqual(['a:f-a', 'b:f-b']);
    expect(aai.writes()).toEqual({ single: { PUT: 0, PATCH: 0, DELETE: 0, total: 0 }, bulkRequests: 1, bulk: { put: 2, patch: 0, delete: 1, total: 3 } });
  });

  it.each(['30', '0'])('adds and removes single edges, and updates without a relationship-list, keeping edges others made (AAI_BULK_OPERATIONS=%s)', async (bulk) => {
    const host = '/cloud-infrastructure/pservers/pserver/h1';
    aai.seed(`${REGION}/availability-zones/availability-zone/az1`, { 'availability-zone-name': 'az1', 'hypervisor-type': 'QEMU' });
    aai.seed(host, { hostname: 'h1', 'in-maint': false });
    aai.seed('/cloud-infrastructure/cloud-regions/cloud-region/Other/X', { 'cloud-owner': 'Other', 'cloud-region-id': 'X' });
    aai.seedRelationship(host, `${REGION}/availability-zones/availability-zone/az1`);
    const held = aai.get(host)!;
    // Someone relates it to another region after our read.
    aai.seedRelationship(host, '/cloud-infrastructure/cloud-regions/cloud-region/Other/X');
    const zone = { 'related-to': 'availability-zone', 'related-link': `/aai/v16${REGION}/availability-zones/availability-zone/az1` };
    const results = await writer({ AAI_BULK_OPERATIONS: bulk }).write([
      { uri: `${host}/relationship-list/relationship`, action: 'relate', wanted: { 'related-to': 'cloud-region', 'related-link': `/aai/v16${REGION}` } },
      { uri: `${host}/relationship-list/relationship`, action: 'unrelate', wanted: zone },
      { uri: host, action: 'update', wanted: { hostname: 'h1', 'pserver-id': 'h1', 'relationship-list': { relationship: [zone] } }, held },
    ]);
    expect(results).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    const links = (aai.pserver('h1')!['relationship-list'].relationship as Array<Record<string, string>>).map((r) => r['related-link']).sort();
    expect(links).toEqual(['/aai/v16/cloud-infrastructure/cloud-regions/cloud-region/Other/X', `/aai/v16${REGION}`]);
    expect(aai.pserver('h1')!['pserver-id']).toBe('h1');
  });

  it.each(['30', '0'])('plans a delete met by a 412 again: kept when what A&AI holds now must stay (AAI_BULK_OPERATIONS=%s)', async (bulk) => {
    aai.seed(`${REGION}/flavors/flavor/x`, flavor('x'));
    aai.seed(`${REGION}/flavors/flavor/y`, flavor('y'));
    const stale = (id: string) => ({ ...aai.get(`${REGION}/flavors/flavor/${id}`)!, 'resource-version': '1' });
    const keep = (current: Record<string, unknown>) => (current['flavor-name'] === 'f-x' ? 'in use' : undefined);
    const results = await writer({ AAI_BULK_OPERATIONS: bulk }).write([
      { uri: `${REGION}/flavors/flavor/x`, action: 'delete', held: stale('x'), keep },
      { uri: `${REGION}/flavors/flavor/y`, action: 'delete', held: stale('y'), keep },
    ]);
    expect(results).toEqual([{ ok: true, kept: 'in use' }, { ok: true }]);
    expect(flavors()).toEqual(['x:f-x']);
  });

  it.each(['30', '0'])('keeps a tenant whose delete A&AI refuses for a vserver made after the read (AAI_BULK_OPERATIONS=%s)', async (bulk) => {
    const tenant = `${REGION}/tenants/tenant/t1`;
    aai.seed(tenant, { 'tenant-id': 't1', 'tenant-name': 'demo' });
    const held = aai.get(tenant)!;
    aai.seed(`${tenant}/vservers/vserver/vm1`, {
      'vserver-id': 'vm1',
      'vserver-name': 'vs-1',
      'vserver-selflink': 'http://x',
      'in-maint': false,
      'is-closed-loop-disabled': false,
    });
    const keep = (current: Record<string, unknown>) => ((current.vservers as { vserver?: unknown[] } | undefined)?.vserver?.length ? 'vserver vs-1 (tenant demo)' : undefined);
    const results = await writer({ AAI_BULK_OPERATIONS: bulk }).write([
      { uri: `${REGION}/flavors/flavor/a`, action: 'create', wanted: flavor('a') },
      { uri: tenant, action: 'delete', held, keep },
    ]);
    expect(results).toEqual([{ ok: true }, { ok: true, kept: 'vserver vs-1 (tenant demo)' }]);
    expect(aai.get(tenant)).toBeDefined();
  });

  it('sends the others again when A&AI names a failed operation, and that one alone (a 412 read again and retried)', async () => {
    aai.seed(`${REGION}/flavors/flavor/x`, flavor('x'));
    const stale = { ...aai.get(`${REGION}/flavors/flavor/x`)!, 'resource-version': '1' };
    const results = await writer().write([
      { uri: `${REGION}/flavors/flavor/a`, action: 'create', wanted: flavor('a') },
      { uri: `${REGION}/flavors/flavor/x`, action: 'update', wanted: flavor('x', 'renamed'), held: stale },
      { uri: `${REGION}/flavors/flavor/c`, action: 'create', wanted: flavor('c') },
    ]);
    expect(results).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(flavors()).toEqual(['a:f-a', 'c:f-c', 'x:renamed']);
  });

  it('reports an operation A&AI refuses, with its status, and writes the rest', async () => {
    const results = await writer().write([
      { uri: `${REGION}/flavors/flavor/a`, action: 'create', wanted: flavor('a') },
      { uri: `${REGION}/flavors/flavor/bad`, action: 'create', wanted: { 'flavor-id': 'bad', 'no-such-property': 1 } },
    ]);
    expect(results[0]).toEqual({ ok: true });
    expect(results[1]).toEqual({ ok: false, status: 400, message: expect.stringMatching(/^A&AI bulk\/single-transaction answered 400: .*operation 1/i) });
    expect(flavors()).toEqual(['a:f-a']);
  });

  it.each([404, 405] as const)('turns to single writes for the rest of the job when the bulk path answers %i', async (status) => {
    aai.bulkUnavailable = status;
    const w = writer();
    const results = await w.write([
      { uri: `${REGION}/flavors/flavor/a`, action: 'create', wanted: flavor('a') },
      { uri: `${REGION}/flavors/flavor/b`, action: 'create', wanted: flavor('b') },
    ]);
    expect(results).toEqual([{ ok: true }, { ok: true }]);
    expect(w.batchSize).toBe(1);
    await w.write([{ uri: `${REGION}/flavors/flavor/c`, action: 'create', wanted: flavor('c') }]);
    expect(flavors()).toEqual(['a:f-a', 'b:f-b', 'c:f-c']);
    expect(aai.writes()).toEqual({ single: { PUT: 3, PATCH: 0, DELETE: 0, total: 3 }, bulkRequests: 1, bulk: { put: 0, patch: 0, delete: 0, total: 0 } });
  });

  it('writes one object at a time with AAI_BULK_OPERATIONS=0', async () => {
    const w = writer({ AAI_BULK_OPERATIONS: '0' });
    expect(w.batchSize).toBe(1);
    expect(await w.write([{ uri: `${REGION}/flavors/flavor/a`, action: 'create', wanted: flavor('a') }])).toEqual([{ ok: true }]);
    expect(aai.writes().bulkRequests).toBe(0);
  });
});
