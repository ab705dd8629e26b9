import fc from 'fast-check';

/** One request the fuzz suite sends: everything a client controls. */
export interface FuzzRequest {
  method: string;
  /** The path and query as sent on the wire (no host). */
  path: string;
  headers: Record<string, string>;
  /** Built when sent: 10,000 samples never hold their big bodies at once. */
  body?: () => Buffer;
}

/** Methods the service's HTTP parser accepts, the odd ones included. */
export const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'MKCOL', 'PURGE', 'SEARCH'];

/** Big inputs are described, then built at send time (cheap: no 1 MB string held per sample). */
const huge = fc.record({
  char: fc.constantFrom('1', 'a', ' ', '[', '{', '"', '\\', '/', '%', 'é', '\u0000'),
  size: fc.constantFrom(10_000, 100_000, 900_000),
  tail: fc.constantFrom('', 'x', '"', ']', '}', '\n'),
});

/** Strings a hostile client sends: ordinary, odd unicode, numeric-looking, huge. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.constantFrom('10', ' 2.5 ', '1e3', '-1', '1e309', 'NaN', 'Infinity', '0x10', '', ' ', 'null', '../..', '%2e%2e', '__proto__', 'constructor') },
  { weight: 1, arbitrary: huge.map(({ char, size, tail }) => char.repeat(size / 100) + tail) },
);

/** A JSON value: random, deeply nested, or with hostile strings. */
const jsonValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  {
    weight: 2,
    arbitrary: fc.dictionary(
      fc.constantFrom('vCPU', 'Memory', 'Storage', 'defaultTenant', 'auth', '__proto__', 'x'),
      fc.oneof(hostileText, fc.double(), fc.integer(), fc.constant(null)),
    ),
  },
  { weight: 1, arbitrary: fc.record({ auth: fc.record({ identity: fc.jsonValue({ maxDepth: 3 }), scope: fc.jsonValue({ maxDepth: 2 }) }) }) },
);

/** A body as bytes (built when sent): JSON, JSON-looking junk, deep nesting, bad UTF-8, huge, or none. */
export const hostileBody: fc.Arbitrary<(() => Buffer) | undefined> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 6, arbitrary: jsonValue.map((value) => () => Buffer.from(JSON.stringify(value) ?? 'null')) },
  { weight: 2, arbitrary: hostileText.map((text) => () => Buffer.from(text)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => () => Buffer.from(bytes)) },
  { weight: 1, arbitrary: fc.constantFrom(1_000, 100_000).map((depth) => () => Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`)) },
  { weight: 1, arbitrary: fc.constant(() => Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0xff, 0xfe, 0x7d])) },
  {
    weight: 1,
    arbitrary: huge.map(
      ({ char, size, tail }) =>
        () =>
          Buffer.from(`{"vCPU":"${char.repeat(size)}${tail}","Memory":1,"Storage":1}`),
    ),
  },
);

/** A path segment: a plausible name, an encoded hostile string, or a malformed escape. */
export const hostileSegment: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z0-9_.-]{1,20}$/) },
  { weight: 3, arbitrary: hostileText.map((text) => encoded(text)) },
  { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%E0%A4%A', '%C0%AF', '..', '.', '%2F', '%00', '_', '__', 'a_b_c', '%2e%2e') },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 20_000 }).map((n) => '/'.repeat(n)) },
);

/** Header values a client may send (RFC 7230 field-value bytes only: Node refuses the rest). */
const headerValue = hostileText.map((text) => text.replace(/[^\t\x20-\x7e\x80-\xff]/g, '').slice(0, 8000));

/** The headers the service reads, each present or not, with hostile values. */
export const hostileHeaders: fc.Arbitrary<Record<string, string>> = fc
  .record(
    {
      'content-type': fc.constantFrom(
        'application/json',
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/json; charset=latin1',
        'application/json; charset=utf-16',
        'multipart/form-data; boundary=x',
        '*/*',
        ';;;',
      ),
      project: headerValue,
      'x-auth-token': headerValue,
      'x-onap-requestid': headerValue,
      'x-transactionid': headerValue,
      'content-encoding': fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x'),
      accept: fc.constantFrom('application/json', '*/*', 'text/html', ''),
    },
    { requiredKeys: [] },
  )
  .map((headers) => Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== undefined)) as Record<string, string>);

/** `?…`: nothing, a plausible query, or junk. */
export const hostileQuery: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  { weight: 2, arbitrary: fc.dictionary(fc.stringMatching(/^[a-z_]{1,10}$/), hostileText, { maxKeys: 4 }).map((q) => `?${new URLSearchParams(q)}`) },
  { weight: 1, arbitrary: fc.constantFrom('?', '?%', '?a=%zz', '?&&&', `?x=${'y'.repeat(50_000)}`) },
);

/** encodeURIComponent, which throws on a lone surrogate: then each UTF-16 unit's bytes, escaped. */
function encoded(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...Buffer.from(text, 'utf16le')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
  }
}
