import { KeystoneSessionCache } from '../../src/adapters/openstack/keystone-session-cache';
import { CacheRegionReads } from '../../src/adapters/store/cache-region-reads';
import { CacheTokenCatalogs } from '../../src/adapters/store/cache-token-catalogs';
import { Json, distributedCloud } from '../servers/openstack-data';
import { ADMIN_SIGN_IN, startProxyApp } from '../support/proxy';
import { BASE_REDIS_URL, describeWithRedis, resetStore, withRedis } from '../support/redis';
import { PREFIX, onboardRegion } from '../support/regions';
import { Doubles, TestApp, startDoubles, stopDoubles } from '../support/start-app';

const V1 = `${PREFIX}/v1/CloudOwner/RegionOne`;
const SUBCLOUDS = Array.from({ length: 100 }, (_, i) => `subcloud${i + 1}`);
const SIGN_INS = 1_000;
const LIMIT = 128 * 1024;

/**
 * A distributed cloud of 100 subclouds: each token's Keystone catalog lists every
 * region (hundreds of KB). The front keeps only the region's own endpoints, in a cache
 * bounded by TOKEN_CATALOG_CACHE_BYTES, and still answers every token.
 */
describe('token catalogs held by the Keystone front, 1,000 sign-ins on a 100-subcloud cloud', () => {
  let doubles: Doubles;
  let service: TestApp;
  let base: string;
  const tokens: string[] = [];

  beforeAll(async () => {
    await resetStore();
    doubles = await startDoubles();
    doubles.openstack.cloud = distributedCloud(SUBCLOUDS);
    ({ service, base } = await startProxyApp(doubles, { TOKEN_CATALOG_CACHE_BYTES: String(LIMIT) }));
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'RegionOne' });
  });

  afterAll(async () => {
    await service?.close();
    await stopDoubles(doubles);
  });

  const signIn = async (): Promise<string> => {
    const response = await fetch(`${base}${V1}/identity/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(ADMIN_SIGN_IN),
    });
    expect(response.status).toBe(201);
    await response.arrayBuffer();
    return response.headers.get('x-subject-token')!;
  };
  const validations = () => doubles.openstack.requests.filter((r) => r.method === 'GET' && r.path === '/identity/v3/auth/tokens').length;
  const flavors = (token: string) => fetch(`${base}${V1}/compute/flavors`, { headers: { 'X-Auth-Token': token } });

  it('holds at most the configured bytes, and the front still answers', async () => {
    const direct = await fetch(`${doubles.openstack.keystoneV3}/auth/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(ADMIN_SIGN_IN),
    });
    const wholeCatalog = Buffer.byteLength(JSON.stringify(((await direct.json()) as Json).token.catalog));
    expect(wholeCatalog).toBeGreaterThan(LIMIT);

    for (let batch = 0; batch < SIGN_INS / 10; batch++) tokens.push(...(await Promise.all(Array.from({ length: 10 }, signIn))));

    const catalogs = service.app.get(CacheTokenCatalogs);
    const held = catalogs.heldBytes();
    expect(held).toBeLessThanOrEqual(LIMIT);
    // In use, each token costing its region's endpoints, not the whole catalog.
    expect(held).toBeGreaterThan(LIMIT / 2);

    // The latest token's catalog is held: the call goes to Nova without asking Keystone.
    const before = validations();
    const latest = await flavors(tokens.at(-1)!);
    expect(latest.status).toBe(200);
    expect(((await latest.json()) as Json).flavors.length).toBeGreaterThan(0);
    expect(validations()).toBe(before);

    // The first one went from memory; Keystone (or the shared store) still knows it.
    const first = await flavors(tokens[0]);
    expect(first.status).toBe(200);
    expect(catalogs.heldBytes()).toBeLessThanOrEqual(LIMIT);

    // Each cache is its own @nestjs/cache-manager cache with its own bound: the proxy
    // signed in no session of its own, and the tests reuse no region read.
    expect(service.app.get(KeystoneSessionCache).heldBytes()).toBe(0);
    expect(service.app.get(CacheRegionReads).heldBytes()).toBe(0);
  }, 180_000);

  (BASE_REDIS_URL ? it : it.skip)("shares them through Redis by hash, small, with the token's life, never the token", async () => {
    const entries = await withRedis(async (redis) => {
      const keys = await redis.keys('mcstx:token_catalog:*');
      return Promise.all(keys.map(async (key) => ({ key, value: (await redis.get(key)) ?? '', ttl: await redis.pTTL(key) })));
    });
    expect(entries.length).toBeGreaterThanOrEqual(SIGN_INS);
    for (const { key, value, ttl } of entries.slice(0, 50)) {
      expect(key).toMatch(/^mcstx:token_catalog:[0-9a-f]{64}$/);
      expect(Buffer.byteLength(value)).toBeLessThan(16 * 1024);
      expect(ttl).toBeGreaterThan(0);
    }
    const dump = entries.map((e) => `${e.key}\n${e.value}`).join('\n');
    for (const token of tokens) expect(dump).not.toContain(token);
  });
});

/**
 * Two replicas on one Redis: a token signed in through one is known to the other. A
 * v2.0 Keystone cannot validate a token by itself, so without the shared catalog the
 * second replica could only answer 401.
 */
describeWithRedis('a token catalog shared by the replicas through Redis', () => {
  let doubles: Doubles;
  const replicas: Array<{ service: TestApp; base: string }> = [];

  beforeAll(async () => {
    await resetStore();
    doubles = await startDoubles();
    replicas.push(await startProxyApp(doubles), await startProxyApp(doubles));
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'V2Owner', region: 'RegionOne', serviceUrl: doubles.openstack.keystoneV2 });
  });

  afterAll(async () => {
    for (const { service } of replicas) await service.close();
    await stopDoubles(doubles);
  });

  it('lets the other replica serve a v2.0 token it never saw signed in', async () => {
    const [one, other] = replicas;
    const path = `${PREFIX}/v1/V2Owner/RegionOne`;
    const signIn = await fetch(`${one.base}${path}/identity/v2.0/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ auth: { passwordCredentials: { username: 'admin', password: 'os-secret-password' }, tenantName: 'admin' } }),
    });
    expect(signIn.status).toBe(200);
    const token = ((await signIn.json()) as Json).access.token.id as string;
    const flavors = await fetch(`${other.base}${path}/compute/flavors`, { headers: { 'X-Auth-Token': token } });
    expect(flavors.status).toBe(200);
    expect(((await flavors.json()) as Json).flavors.length).toBeGreaterThan(0);
  });
});
