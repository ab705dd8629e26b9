import { relationshipsReason, tenantVserversReason } from './kept-reason';

const vserver = (name: string, tenant: string) => ({
  'related-to': 'vserver',
  'related-link': `/aai/v16/cloud-infrastructure/cloud-regions/cloud-region/O/R/tenants/tenant/${tenant}/vservers/vserver/${name}-id`,
  'relationship-data': [{ 'relationship-key': 'tenant.tenant-id', 'relationship-value': tenant }],
  'related-to-property': [{ 'property-key': 'vserver.vserver-name', 'property-value': name }],
});

describe('kept reasons name what holds an object', () => {
  it('a tenant by its vservers, the first 3 and then a count', () => {
    const tenant = (n: number) => ({
      'tenant-id': 't1',
      'tenant-name': 'demo',
      vservers: { vserver: Array.from({ length: n }, (_, i) => ({ 'vserver-id': `id${i}`, 'vserver-name': `vs-${i + 1}` })) },
    });
    expect(tenantVserversReason(tenant(0))).toBeUndefined();
    expect(tenantVserversReason(tenant(1))).toBe('vserver vs-1 (tenant demo)');
    expect(tenantVserversReason(tenant(2))).toBe('2 vservers: vs-1 (tenant demo), vs-2 (tenant demo)');
    expect(tenantVserversReason(tenant(5))).toBe('5 vservers: vs-1 (tenant demo), vs-2 (tenant demo), vs-3 (tenant demo) and 2 more');
  });

  it('edges: vservers with their tenant (on this host for a pserver), anything else by type and name', () => {
    const names = new Map([['t9', 'demo']]);
    expect(relationshipsReason([vserver('vs-1', 't9'), vserver('vs-2', 't9')], false, names)).toBe('2 vservers: vs-1 (tenant demo), vs-2 (tenant demo)');
    expect(relationshipsReason([vserver('vs-9', 't9')], true)).toBe('vserver vs-9 on this host');
    const complex = {
      'related-to': 'complex',
      'related-link': '/aai/v16/cloud-infrastructure/complexes/complex/clli1',
      'relationship-data': [{ 'relationship-key': 'complex.physical-location-id', 'relationship-value': 'clli1' }],
    };
    expect(relationshipsReason([complex])).toBe('relationship to complex clli1');
    expect(relationshipsReason([complex, vserver('vs-9', 't9')], true)).toBe('relationship to complex clli1; vserver vs-9 on this host');
    expect(relationshipsReason([])).toBeUndefined();
  });
});
