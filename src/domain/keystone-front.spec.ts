import { InvalidRequestError } from './errors';
import { catalogEntries, projectsToTenants, rewriteCatalog, serviceEndpoint, v2RequestToV3, v3TokenToV2 } from './keystone-front';

const CATALOG = [
  {
    type: 'compute',
    name: 'nova',
    id: 'c',
    endpoints: [
      { id: 'c1', interface: 'internal', region_id: 'RegionOne', region: 'RegionOne', url: 'http://internal/compute' },
      { id: 'c2', interface: 'public', region_id: 'RegionOne', region: 'RegionOne', url: 'http://public/compute/' },
      { id: 'c3', interface: 'public', region_id: 'subcloud1', region: 'subcloud1', url: 'http://sub/compute' },
    ],
  },
  { type: 'image', name: 'glance', id: 'g', endpoints: [{ id: 'g1', interface: 'internal', region_id: 'RegionOne', url: 'http://internal/image' }] },
  { type: 'dcmanager', name: 'dc', id: 'd', endpoints: [{ id: 'd1', interface: 'public', region_id: 'SystemController', url: 'http://dc' }] },
];

describe('catalogs', () => {
  it("finds a type's public endpoint in the region, else its internal one", () => {
    const entries = catalogEntries(CATALOG);
    expect(serviceEndpoint(entries, 'compute', 'RegionOne')).toBe('http://public/compute');
    expect(serviceEndpoint(entries, 'image', 'RegionOne')).toBe('http://internal/image');
    expect(serviceEndpoint(entries, 'compute', 'RegionTwo')).toBeUndefined();
  });

  it("keeps only the region's endpoints, each pointing at the proxy, ids and interfaces kept", () => {
    const [compute, image] = CATALOG;
    const [internal, publicOne] = compute.endpoints;
    expect(rewriteCatalog(CATALOG, 'RegionOne', 'http://msb/p')).toEqual([
      { ...compute, endpoints: [internal, publicOne].map((endpoint) => ({ ...endpoint, url: 'http://msb/p/compute' })) },
      { ...image, endpoints: [{ ...image.endpoints[0], url: 'http://msb/p/image' }] },
    ]);
  });
});

describe('v2.0 conversions', () => {
  it('turns passwordCredentials and tenantName into a v3 password sign-in in the esr domain', () => {
    expect(v2RequestToV3({ auth: { passwordCredentials: { username: 'u', password: 'p' }, tenantName: 't' } }, 'Dom')).toEqual({
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'u', password: 'p', domain: { name: 'Dom' } } } },
        scope: { project: { name: 't', domain: { name: 'Dom' } } },
      },
    });
  });

  it('turns a token and tenantId into a v3 token sign-in', () => {
    expect(v2RequestToV3({ auth: { token: { id: 'tok' }, tenantId: 'pid' } }, 'Default')).toEqual({
      auth: { identity: { methods: ['token'], token: { id: 'tok' } }, scope: { project: { id: 'pid' } } },
    });
  });

  it.each([[undefined], [{}], [{ auth: {} }], [{ auth: { passwordCredentials: { username: 'u' } } }]])('refuses %p', (body) => {
    expect(() => v2RequestToV3(body, 'Default')).toThrow(InvalidRequestError);
  });

  it('answers a v3 token in the v2.0 access shape', () => {
    const token = {
      expires_at: '2030-01-01T00:00:00.000000Z',
      issued_at: '2029-12-31T23:00:00.000000Z',
      project: { id: 'pid', name: 'admin', domain: { id: 'default' } },
      user: { id: 'uid', name: 'admin' },
      roles: [{ id: 'r1', name: 'admin' }],
      catalog: rewriteCatalog(CATALOG, 'RegionOne', 'http://msb/p'),
    };
    expect(v3TokenToV2('tok', token)).toEqual({
      access: {
        token: { id: 'tok', issued_at: token.issued_at, expires: token.expires_at, tenant: { id: 'pid', name: 'admin', enabled: true, description: null } },
        serviceCatalog: [
          {
            type: 'compute',
            name: 'nova',
            endpoints_links: [],
            endpoints: [{ region: 'RegionOne', publicURL: 'http://msb/p/compute', internalURL: 'http://msb/p/compute', adminURL: 'http://msb/p/compute', id: 'c2' }],
          },
          {
            type: 'image',
            name: 'glance',
            endpoints_links: [],
            endpoints: [{ region: 'RegionOne', publicURL: 'http://msb/p/image', internalURL: 'http://msb/p/image', adminURL: 'http://msb/p/image', id: 'g1' }],
          },
        ],
        user: { id: 'uid', name: 'admin', username: 'admin', roles: [{ name: 'admin' }], roles_links: [] },
        metadata: { is_admin: 0, roles: ['r1'] },
      },
    });
  });

  it('answers v3 projects as v2.0 tenants', () => {
    expect(
      projectsToTenants({
        projects: [
          { id: 'a', name: 'A', enabled: true, domain_id: 'd' },
          { id: 'b', name: 'B', enabled: false, description: 'x' },
        ],
      }),
    ).toEqual({
      tenants: [
        { id: 'a', name: 'A', description: '', enabled: true },
        { id: 'b', name: 'B', description: 'x', enabled: false },
      ],
      tenants_links: [],
    });
  });
});
