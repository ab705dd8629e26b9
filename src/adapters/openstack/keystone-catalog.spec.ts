import { fixture } from '../../../test/servers/openstack-data';
import { findEndpoint, normalizeCatalog } from './keystone-catalog';

describe('Keystone catalog', () => {
  it('reads a v3 catalog, keeping the public endpoints', () => {
    const catalog = normalizeCatalog(fixture('keystone-v3-auth-tokens-password-response-full-catalog.json').token.catalog, 'v3');
    const compute = catalog.find((service) => service.type === 'compute')!;
    expect(compute.endpoints).toEqual([{ interface: 'public', region: 'RegionOne', url: 'http://23.253.248.171:8774/v2.1/a6944d763bf64ee6a275f1263fae0352' }]);
    expect(findEndpoint(catalog, ['compute'], 'RegionOne')).toBe('http://23.253.248.171:8774/v2.1/a6944d763bf64ee6a275f1263fae0352');
    expect(findEndpoint(catalog, ['compute'], 'RegionTwo')).toBeUndefined();
    expect(findEndpoint(catalog, ['volumev3', 'volumev2', 'volume'], 'RegionOne')).toBe('http://23.253.248.171:8776/v2/a6944d763bf64ee6a275f1263fae0352');
    expect(findEndpoint(catalog, ['network'], 'RegionOne')).toBe('http://23.253.248.171:9696');
  });

  it('reads a v2.0 serviceCatalog by its publicURL', () => {
    const catalog = normalizeCatalog(fixture('keystone-v2.0-tokens-response.json').access.serviceCatalog, 'v2.0');
    expect(findEndpoint(catalog, ['image'], 'RegionOne')).toBe('http://23.253.72.207:9292');
    expect(catalog.flatMap((service) => service.endpoints).every((endpoint) => endpoint.interface === 'public')).toBe(true);
  });

  it('tolerates a missing catalog (an unscoped token)', () => {
    expect(normalizeCatalog(undefined, 'v3')).toEqual([]);
  });
});
