import { AaiDouble } from '../../../test/servers/aai.server';
import { RemoteCallError } from '../../application/ports/remote-call.error';
import { loadAppConfig } from '../../config/app.config';
import { VimId } from '../../domain/vim-id';
import { OutboundHttp } from '../outbound/outbound-http';
import { AaiHttpClient } from './aai-http.client';

const REGIONS = '/cloud-infrastructure/cloud-regions/cloud-region';
const PSERVERS = '/cloud-infrastructure/pservers/pserver';
const VIM = VimId.parse('Owner_R1');
const ESR = {
  'esr-system-info-id': 'esr-1',
  'service-url': 'http://keystone/v3',
  'user-name': 'admin',
  password: 'secret',
  'system-type': 'VIM',
};

/** The A&AI adapter's optimistic concurrency, against the A&AI double's resource-version rules. */
describe('AaiHttpClient', () => {
  let aai: AaiDouble;
  let client: AaiHttpClient;

  beforeAll(async () => {
    aai = new AaiDouble({ version: 'v13' });
    await aai.start();
    const config = loadAppConfig({ AAI_SERVICE_URL: aai.serviceUrl, HTTP_RETRIES: '0', HTTP_TIMEOUT_MS: '2000' });
    client = new AaiHttpClient(new OutboundHttp(config), config);
  });

  afterAll(() => aai.close());

  beforeEach(() => {
    if (aai.region('Owner', 'R1')) return;
    aai.seed(`${REGIONS}/Owner/R1`, {
      'cloud-owner': 'Owner',
      'cloud-region-id': 'R1',
      'cloud-type': 'openstack',
      'esr-system-info-list': { 'esr-system-info': [ESR] },
    });
  });

  /** Someone else writes the object: the version a caller holds goes stale. */
  function bump(uri: string, props: Record<string, unknown> = {}): void {
    const { 'resource-version': _version, ...current } = aai.get(uri, 0)!;
    aai.seed(uri, { ...current, ...props });
  }

  it('reads a region with its esr-system-info list; a missing one as undefined', async () => {
    expect(await client.readCloudRegion(VIM)).toEqual({
      region: {
        'cloud-owner': 'Owner',
        'cloud-region-id': 'R1',
        'cloud-type': 'openstack',
        'resource-version': expect.any(String),
      },
      esrList: [{ ...ESR, 'resource-version': expect.any(String) }],
    });
    expect(await client.readCloudRegion(VimId.parse('Owner_None'))).toBeUndefined();
  });

  it('saves a region merged over what it held, keeping the esr id, after a 412 re-read', async () => {
    const held = await client.readCloudRegion(VIM);
    bump(`${REGIONS}/Owner/R1`, { 'complex-name': 'clli1' });
    const wanted = {
      'cloud-owner': 'Owner',
      'cloud-region-id': 'R1',
      'identity-url': 'http://msb/identity',
      'esr-system-info-list': { 'esr-system-info': [{ ...ESR, 'esr-system-info-id': 'esr-1', 'user-name': 'ops' }] },
    };
    await client.saveCloudRegion(VIM, wanted, held);
    expect(aai.region('Owner', 'R1')).toEqual({
      'cloud-owner': 'Owner',
      'cloud-region-id': 'R1',
      'cloud-type': 'openstack',
      'complex-name': 'clli1',
      'identity-url': 'http://msb/identity',
      'resource-version': expect.any(String),
      'esr-system-info-list': { 'esr-system-info': [{ ...ESR, 'user-name': 'ops', 'resource-version': expect.any(String) }] },
    });
    expect(aai.count('PUT', /cloud-region\/Owner\/R1$/)).toBe(2);
  });

  it('creates a child when nothing is held and updates it with the version it holds', async () => {
    await client.saveRegionChild(VIM, 'tenant', 't1', { 'tenant-id': 't1', 'tenant-name': 'one' }, undefined);
    const held = await client.getRegionChild(VIM, 'tenant', 't1');
    await client.saveRegionChild(VIM, 'tenant', 't1', { 'tenant-id': 't1', 'tenant-name': 'uno' }, held);
    expect(aai.get(`${REGIONS}/Owner/R1/tenants/tenant/t1`)).toEqual({
      'tenant-id': 't1',
      'tenant-name': 'uno',
      'resource-version': expect.any(String),
    });
  });

  it('gives up on a child after three 412s in a row', async () => {
    await client.saveRegionChild(
      VIM,
      'image',
      'i1',
      { 'image-id': 'i1', 'image-name': 'a', 'image-os-distro': 'x', 'image-os-version': '1', 'image-selflink': 'http://glance/i1' },
      undefined,
    );
    const stale = { ...(await client.getRegionChild(VIM, 'image', 'i1')), 'resource-version': '1' };
    aai.readFilter = (uri, body) => (uri.includes('/images/image/i1') ? { ...body, 'resource-version': '1' } : body);
    try {
      const saving = client.saveRegionChild(VIM, 'image', 'i1', { 'image-id': 'i1', 'image-name': 'b' }, stale);
      await expect(saving).rejects.toMatchObject({ status: 412 });
    } finally {
      aai.readFilter = undefined;
    }
    expect(aai.get(`${REGIONS}/Owner/R1/images/image/i1`)).toMatchObject({ 'image-name': 'a' });
  });

  it('creates a pserver with its create defaults, and keeps what A&AI holds on update', async () => {
    await client.savePserver('Owner_R1_h1', { hostname: 'Owner_R1_h1', 'pserver-id': 'h1' }, undefined);
    expect(aai.pserver('Owner_R1_h1')).toEqual({
      hostname: 'Owner_R1_h1',
      'pserver-id': 'h1',
      'in-maint': false,
      'resource-version': expect.any(String),
    });
    bump(`${PSERVERS}/Owner_R1_h1`, { 'in-maint': true });
    // A create that finds the pserver there after all: re-read, merged, no create defaults.
    await client.savePserver('Owner_R1_h1', { hostname: 'Owner_R1_h1', 'pserver-id': 'h1', 'pserver-name2': 'n2' }, undefined);
    expect(aai.pserver('Owner_R1_h1')).toEqual({
      hostname: 'Owner_R1_h1',
      'pserver-id': 'h1',
      'pserver-name2': 'n2',
      'in-maint': true,
      'resource-version': expect.any(String),
    });
  });

  it('deletes a child with a stale version after reading the current one, and a missing one quietly', async () => {
    await client.saveRegionChild(VIM, 'tenant', 't2', { 'tenant-id': 't2', 'tenant-name': 'two' }, undefined);
    const held = await client.getRegionChild(VIM, 'tenant', 't2');
    bump(`${REGIONS}/Owner/R1/tenants/tenant/t2`, { 'tenant-name': 'deux' });
    await client.deleteRegionChild(VIM, 'tenant', 't2', held);
    expect(aai.get(`${REGIONS}/Owner/R1/tenants/tenant/t2`)).toBeUndefined();
    await expect(client.deleteRegionChild(VIM, 'tenant', 't2', undefined)).resolves.toBeUndefined();
    await expect(client.deletePserver('Owner_R1_none')).resolves.toBeUndefined();
  });

  it('reports the 412 of a nested object deleted with a stale version', async () => {
    aai.seed(`${REGIONS}/Owner/R1/tenants/tenant/t3`, {
      'tenant-id': 't3',
      'tenant-name': 'three',
      vservers: {
        vserver: [
          {
            'vserver-id': 'v1',
            'vserver-name': 'vm',
            'vserver-name2': 'vm',
            'prov-status': 'ACTIVE',
            'vserver-selflink': 'x',
            'in-maint': false,
            'is-closed-loop-disabled': false,
          },
        ],
      },
    });
    const vserver = { 'vserver-id': 'v1', 'resource-version': 'stale' };
    const error = await client.deleteVserver(VIM, 't3', vserver).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteCallError);
    expect(error).toMatchObject({ status: 412 });
    expect(aai.get(`${REGIONS}/Owner/R1/tenants/tenant/t3/vservers/vserver/v1`)).toMatchObject({ 'vserver-id': 'v1' });
  });

  it('deletes a region with the version it reads', async () => {
    aai.seed(`${REGIONS}/Owner/R2`, { 'cloud-owner': 'Owner', 'cloud-region-id': 'R2', 'cloud-type': 'openstack' });
    bump(`${REGIONS}/Owner/R2`, { 'complex-name': 'clli1' });
    await client.deleteCloudRegion(VimId.parse('Owner_R2'));
    expect(aai.region('Owner', 'R2')).toBeUndefined();
  });
});
