import { InvalidRequestError } from './errors';
import { forwardableHeaders, orderRewrites, rewriteJsonUrls, rewriteUrl, safeSubPath } from './proxy-path';

describe('safeSubPath', () => {
  it.each([['flavors/detail'], ['v2/images/abc/file'], [''], ['servers/'], ['a%20b'], ['os-keypairs/my%40key']])('keeps %p', (path) => {
    expect(safeSubPath(path)).toBe(path);
  });

  it.each([['..'], ['a/../../b'], ['%2e%2e/x'], ['a/%2E/b'], ['a%2Fb'], ['a%5cb'], ['a\\b'], ['/evil.example/x'], ['a//b'], ['http://evil.example/x'], ['%zz'], ['a%00b']])(
    'refuses %p with a 400-kind error',
    (path) => {
      expect(() => safeSubPath(path)).toThrow(InvalidRequestError);
    },
  );
});

describe('URL rewriting', () => {
  const rewrites = orderRewrites([
    { from: 'http://cloud/RegionOne/compute/v2.1/p1/', to: 'http://msb/api/multicloud-starlingx/v1/o/r/compute' },
    { from: 'http://cloud/RegionOne/image', to: 'http://msb/api/multicloud-starlingx/v1/o/r/image' },
  ]);

  it('rewrites a URL that starts with an endpoint at a path boundary only', () => {
    expect(rewriteUrl('http://cloud/RegionOne/compute/v2.1/p1/flavors/1', rewrites)).toBe('http://msb/api/multicloud-starlingx/v1/o/r/compute/flavors/1');
    expect(rewriteUrl('http://cloud/RegionOne/image', rewrites)).toBe('http://msb/api/multicloud-starlingx/v1/o/r/image');
    expect(rewriteUrl('http://cloud/RegionOne/image?x=1', rewrites)).toBe('http://msb/api/multicloud-starlingx/v1/o/r/image?x=1');
    expect(rewriteUrl('http://cloud/RegionOne/images-elsewhere', rewrites)).toBe('http://cloud/RegionOne/images-elsewhere');
    expect(rewriteUrl('/v2/images', rewrites)).toBe('/v2/images');
  });

  it('rewrites every string of a JSON document, keys and other values untouched', () => {
    expect(rewriteJsonUrls({ a: ['http://cloud/RegionOne/image/v2/'], 'http://cloud/RegionOne/image': 1, n: null, b: true }, rewrites)).toEqual({
      a: ['http://msb/api/multicloud-starlingx/v1/o/r/image/v2/'],
      'http://cloud/RegionOne/image': 1,
      n: null,
      b: true,
    });
  });
});

describe('forwardableHeaders', () => {
  it('drops hop-by-hop headers, those Connection names, Host and the ones asked', () => {
    expect(
      forwardableHeaders(
        { Host: 'x', Connection: 'keep-alive, X-Private', 'X-Private': '1', 'Transfer-Encoding': 'chunked', 'X-Auth-Token': 't', Accept: 'a', 'Accept-Encoding': 'gzip' },
        ['accept-encoding'],
      ),
    ).toEqual({ 'x-auth-token': 't', accept: 'a' });
  });
});
