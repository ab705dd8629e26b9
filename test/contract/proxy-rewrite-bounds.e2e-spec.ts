import { ADMIN_SIGN_IN, startProxyApp } from '../support/proxy';
import { PREFIX, onboardRegion } from '../support/regions';
import { resetStore } from '../support/redis';
import { Doubles, TestApp, startDoubles, stopDoubles } from '../support/start-app';

const V1 = `${PREFIX}/v1/CloudOwner/RegionOne`;
const MAX = 4096;

/** SPEC 8 and 11: the proxy rewrites the URLs of JSON API documents up to PROXY_REWRITE_MAX_BYTES only. */
describe('the proxy rewrites bounded JSON API documents only', () => {
  let doubles: Doubles;
  let service: TestApp;
  let base: string;
  let token: string;
  let realImage: string;

  beforeAll(async () => {
    await resetStore();
    doubles = await startDoubles();
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'RegionOne' });
    ({ service, base } = await startProxyApp(doubles, { PROXY_REWRITE_MAX_BYTES: String(MAX) }));
    const signedIn = await fetch(`${base}${V1}/identity/v3/auth/tokens`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(ADMIN_SIGN_IN) });
    token = signedIn.headers.get('x-subject-token')!;
    realImage = `${doubles.openstack.url}/RegionOne/image`;
  });

  afterAll(async () => {
    await service?.close();
    await stopDoubles(doubles);
  });

  afterEach(() => doubles.openstack.clearFaults());

  /** Nova answers `body` (JSON) to the next GET of …/servers/detail; the caller gets what the proxy passes on. */
  async function proxied(body: unknown, headers: Record<string, string> = {}): Promise<{ text: string; length: string | null }> {
    doubles.openstack.failNext('GET', /\/compute\/.*\/servers\/detail$/, { status: 200, body, headers });
    const answer = await fetch(`${base}${V1}/compute/servers/detail`, { headers: { 'X-Auth-Token': token } });
    expect(answer.status).toBe(200);
    return { text: await answer.text(), length: answer.headers.get('content-length') };
  }

  it('points the URLs of a document within the bound at the proxy', async () => {
    const { text } = await proxied({ servers: [{ links: [{ href: `${realImage}/v2/images/1` }] }] });
    expect(JSON.parse(text)).toEqual({ servers: [{ links: [{ href: `${base}${V1}/image/v2/images/1` }] }] });
  });

  it('passes a larger document on byte for byte, streamed', async () => {
    const body = { servers: [{ links: [{ href: `${realImage}/v2/images/1` }] }], padding: 'x'.repeat(MAX) };
    const sent = JSON.stringify(body);
    const { text, length } = await proxied(body);
    expect(text).toBe(sent);
    expect(length).toBe(String(Buffer.byteLength(sent)));
  });
});
