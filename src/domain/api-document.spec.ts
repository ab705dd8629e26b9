import { isApiDocument } from './api-document';

describe('isApiDocument', () => {
  it.each<[string, string, string, string | undefined, boolean]>([
    ['compute', 'servers/detail', 'application/json', undefined, true],
    ['image', 'v2/images', 'application/json', undefined, true],
    ['volumev3', 'volumes', 'application/vnd.openstack.volume+json', undefined, true],
    ['image', 'v2/images/1/file', 'application/json', undefined, false],
    ['image', 'v2/images/1/file/', 'application/json', undefined, false],
    ['object-store', 'v1/AUTH_x/c/settings.json', 'application/json', undefined, false],
    ['compute', 'servers/detail', 'application/json', 'gzip', false],
    ['compute', 'servers/detail', 'text/html', undefined, false],
  ])('%s %s (%s, %s) → %s', (service, path, type, encoding, expected) => {
    expect(isApiDocument(service, path, type, encoding)).toBe(expected);
  });
});
