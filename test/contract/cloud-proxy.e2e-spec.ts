import { request as httpRequest } from 'node:http';

import { Doubles, TestApp, startDoubles, stopDoubles } from '../support/start-app';
import { PREFIX, onboardRegion } from '../support/regions';
import { BASE_REDIS_URL, resetStore, withRedis } from '../support/redis';
import { ADMIN_SIGN_IN, startProxyApp } from '../support/proxy';
import { Json } from '../servers/openstack-data';

const V1 = `${PREFIX}/v1/CloudOwner/RegionOne`;
const V0 = `${PREFIX}/v0/CloudOwner_RegionOne`;

/** SPEC 8 against the doubles, the service reached as through MSB (see startProxyApp). */
describe('the Keystone front and service proxy behind identity-url', () => {
  let doubles: Doubles;
  let service: TestApp;
  let base: string;
  const seenTokens: string[] = [];

  beforeAll(async () => {
    await resetStore();
    doubles = await startDoubles();
    doubles.openstack.behaviour.absoluteLinks = true;
    ({ service, base } = await startProxyApp(doubles));
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'RegionOne' });
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'V2Owner', region: 'RegionOne', serviceUrl: doubles.openstack.keystoneV2 });
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'Gone', serviceUrl: 'http://127.0.0.1:1/identity/v3' });
  });

  afterAll(async () => {
    await service?.close();
    await stopDoubles(doubles);
  });

  const call = (path: string, init: RequestInit = {}) => fetch(`${base}${path}`, init);
  /** A GET with the path sent byte for byte (fetch would resolve `%2e%2e` itself). */
  const rawGet = (path: string, token: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const url = new URL(base);
      httpRequest({ host: url.hostname, port: url.port, path, headers: { 'X-Auth-Token': token } }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      })
        .on('error', reject)
        .end();
    });
  const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const cloudCalls = () => doubles.openstack.requests.length;
  const novaCalls = () => doubles.openstack.callsTo('nova').length;

  async function signIn(body: Json = ADMIN_SIGN_IN, prefix = V1): Promise<{ token: string; body: Json }> {
    const response = await call(`${prefix}/identity/v3/auth/tokens`, json(body));
    expect(response.status).toBe(201);
    const token = response.headers.get('x-subject-token')!;
    seenTokens.push(token);
    return { token, body: (await response.json()) as Json };
  }

  /** What Keystone itself says of a token (the double, asked directly). */
  async function keystoneView(token: string): Promise<Json> {
    const response = await fetch(`${doubles.openstack.keystoneV3}/auth/tokens`, { headers: { 'X-Auth-Token': token, 'X-Subject-Token': token } });
    return (await response.json()) as Json;
  }

  /** The double's catalog with only RegionOne's endpoints, each at `{proxy}/{type}`. */
  function proxiedCatalog(catalog: Json[], proxyBase: string): Json[] {
    return catalog.map((service) => ({
      ...service,
      endpoints: service.endpoints.filter((e: Json) => e.region_id === 'RegionOne').map((e: Json) => ({ ...e, url: `${proxyBase}/${service.type}` })),
    }));
  }

  describe('version documents', () => {
    it.each([
      ['', 300, { versions: { values: [expect.objectContaining({ id: 'v3.14' }), expect.objectContaining({ id: 'v2.0' })] } }],
      ['/v3', 200, { version: expect.objectContaining({ id: 'v3.14', status: 'stable' }) }],
      ['/v2.0/', 200, { version: expect.objectContaining({ id: 'v2.0' }) }],
    ])('GET …/identity%s answers %i with links to the proxy, on v0 and v1, with no remote call', async (suffix, status, body) => {
      const before = cloudCalls();
      for (const prefix of [V1, V0]) {
        const response = await call(`${prefix}/identity${suffix}`);
        expect(response.status).toBe(status);
        const document = (await response.json()) as Json;
        expect(document).toEqual(body);
        const versions: Json[] = document.versions?.values ?? [document.version];
        for (const version of versions) {
          expect(version.links[0]).toEqual({ rel: 'self', href: `${base}${prefix}/identity/${version.id === 'v2.0' ? 'v2.0' : 'v3'}/` });
        }
      }
      expect(cloudCalls()).toBe(before);
    });
  });

  describe('POST …/identity/v3/auth/tokens', () => {
    it("forwards the caller's password sign-in: 201, the real token, the catalog rewritten to the proxy (v1)", async () => {
      const { token, body } = await signIn();
      const real = await keystoneView(token);
      expect(real.token.project.name).toBe('admin');
      expect(body).toEqual({ token: { ...real.token, catalog: proxiedCatalog(real.token.catalog, `${base}${V1}`) } });
      expect(body.token.catalog.map((s: Json) => s.type)).toEqual(['identity', 'compute', 'image', 'volumev3', 'platform']);
    });

    it('gives the v0 form of the catalog on v0, and serves it', async () => {
      const { token, body } = await signIn(ADMIN_SIGN_IN, V0);
      const real = await keystoneView(token);
      expect(body.token.catalog).toEqual(proxiedCatalog(real.token.catalog, `${base}${V0}`));
      const flavor = await call(`${V0}/compute/flavors/1`, { headers: { 'X-Auth-Token': token } });
      expect(flavor.status).toBe(200);
      expect(((await flavor.json()) as Json).flavor.links[0]).toEqual({ rel: 'self', href: `${base}${V0}/compute/flavors/1` });
    });

    it('forwards token-method and domain-scoped sign-ins', async () => {
      const first = await signIn();
      const { token, body } = await signIn({ auth: { identity: { methods: ['token'], token: { id: first.token } }, scope: { domain: { name: 'Default' } } } });
      expect(token).not.toBe(first.token);
      const real = await keystoneView(token);
      expect(real.token.methods).toEqual(['token']);
      expect(body).toEqual({ token: { ...real.token, catalog: proxiedCatalog(real.token.catalog, `${base}${V1}`) } });
    });

    it("passes ?nocatalog on; the token's catalog is then asked of Keystone on its first proxied call", async () => {
      const response = await call(`${V1}/identity/v3/auth/tokens?nocatalog`, json(ADMIN_SIGN_IN));
      expect(response.status).toBe(201);
      const token = response.headers.get('x-subject-token')!;
      seenTokens.push(token);
      expect(doubles.openstack.requests.at(-1)!.query.has('nocatalog')).toBe(true);
      const validations = () => doubles.openstack.requests.filter((r) => r.method === 'GET' && r.path === '/identity/v3/auth/tokens').length;
      const before = validations();
      const flavors = await call(`${V1}/compute/flavors/detail?limit=1`, { headers: { 'X-Auth-Token': token } });
      expect(flavors.status).toBe(200);
      expect(validations()).toBe(before + 1);
    });

    it("passes Keystone's 401 through for a wrong password, with no other call", async () => {
      const before = doubles.openstack.requests.length;
      const wrong = structuredClone(ADMIN_SIGN_IN);
      wrong.auth.identity.password.user.password = 'wrong';
      const response = await call(`${V1}/identity/v3/auth/tokens`, json(wrong));
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' },
      });
      expect(doubles.openstack.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual(['POST /identity/v3/auth/tokens']);
    });

    it("never signs in with the credentials stored in A&AI: a body without credentials is Keystone's 401", async () => {
      const before = doubles.openstack.requests.length;
      const response = await call(`${V1}/identity/v3/auth/tokens`, json({ auth: { identity: { methods: ['password'], password: { user: { name: 'admin' } } } } }));
      expect(response.status).toBe(401);
      const sent = doubles.openstack.requests.slice(before);
      expect(sent).toHaveLength(1);
      expect(sent[0].rawBody.toString()).not.toContain('os-secret-password');
    });
  });

  describe('through the catalog a sign-in returned', () => {
    let token: string;
    let catalog: Json[];
    const endpointOf = (type: string) => catalog.find((s) => s.type === type)!.endpoints.find((e: Json) => e.interface === 'public').url;

    beforeAll(async () => {
      ({
        token,
        body: {
          token: { catalog },
        },
      } = await signIn());
    });

    it('lists flavors, every absolute link pointing at the proxy', async () => {
      const compute = endpointOf('compute');
      const response = await call(`${compute.replace(base, '')}/flavors/detail?limit=2`, { headers: { 'X-Auth-Token': token } });
      expect(response.status).toBe(200);
      const projectId = (await keystoneView(token)).token.project.id;
      const flavors = doubles.openstack.region('RegionOne').flavors.slice(0, 2);
      expect(await response.json()).toEqual({
        flavors: flavors.map((f) => ({
          ...f,
          links: [
            { rel: 'self', href: `${compute}/flavors/${f.id}` },
            { rel: 'bookmark', href: `${doubles.openstack.url}/RegionOne/compute/${projectId}/flavors/${f.id}` },
          ],
        })),
        flavors_links: [{ rel: 'next', href: `http://nova.internal.example:8774/v2.1/flavors/detail?limit=2&marker=${flavors[1].id}` }],
      });
      const seen = doubles.openstack.callsTo('nova').at(-1)!;
      expect(seen.path).toBe(`/RegionOne/compute/v2.1/${projectId}/flavors/detail`);
      expect(seen.query.get('limit')).toBe('2');
      expect(seen.headers['x-auth-token']).toBe(token);
    });

    it('lists images', async () => {
      const response = await call(`${endpointOf('image').replace(base, '')}/v2/images?limit=3`, { headers: { 'X-Auth-Token': token } });
      expect(response.status).toBe(200);
      const images = doubles.openstack.region('RegionOne').images;
      expect(await response.json()).toEqual({
        images: images.slice(0, 3),
        schema: '/v2/schemas/images',
        first: '/v2/images',
        ...(images.length > 3 ? { next: `/v2/images?marker=${images[2].id}&limit=3` } : {}),
      });
    });

    it("rewrites Glance's version links and a Location header, and passes a JSON body on", async () => {
      const image = endpointOf('image');
      const versions = await call(`${image.replace(base, '')}`, { headers: { 'X-Auth-Token': token } });
      expect(versions.status).toBe(300);
      expect(((await versions.json()) as Json).versions[0].links).toEqual([{ rel: 'self', href: `${image}/v2/` }]);
      const created = await call(`${image.replace(base, '')}/v2/images`, {
        ...json({ name: 'through-proxy', disk_format: 'qcow2', container_format: 'bare' }),
        headers: { 'Content-Type': 'application/json', 'X-Auth-Token': token },
      });
      expect(created.status).toBe(201);
      const body = (await created.json()) as Json;
      expect(body).toEqual(expect.objectContaining({ name: 'through-proxy', disk_format: 'qcow2', status: 'queued' }));
      expect(created.headers.get('location')).toBe(`${image}/v2/images/${body.id}`);
    });

    it("passes a 300 kB JSON body on byte for byte (the proxy's bodies are never parsed)", async () => {
      const body = JSON.stringify({ name: 'x'.repeat(300_000), disk_format: 'raw', container_format: 'bare' });
      const response = await call(`${endpointOf('image').replace(base, '')}/v2/images`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Auth-Token': token },
        body,
      });
      expect(response.status).toBe(201);
      expect(doubles.openstack.requests.at(-1)!.rawBody.toString()).toBe(body);
    });
  });

  describe('v2.0', () => {
    it('converts a v2.0 sign-in to v3 and answers it in the v2.0 shape, catalog rewritten', async () => {
      const response = await call(
        `${V1}/identity/v2.0/tokens`,
        json({ auth: { passwordCredentials: { username: 'admin', password: 'os-secret-password' }, tenantName: 'admin' } }),
      );
      expect(response.status).toBe(200);
      const body = (await response.json()) as Json;
      const tokenId = body.access.token.id;
      seenTokens.push(tokenId);
      const real = (await keystoneView(tokenId)).token;
      const sent = doubles.openstack.requests.filter((r) => r.path === '/identity/v3/auth/tokens' && r.method === 'POST').at(-1)!;
      expect(sent.body).toEqual({
        auth: {
          identity: { methods: ['password'], password: { user: { name: 'admin', password: 'os-secret-password', domain: { name: 'Default' } } } },
          scope: { project: { name: 'admin', domain: { name: 'Default' } } },
        },
      });
      expect(body).toEqual({
        access: {
          token: { id: tokenId, issued_at: real.issued_at, expires: real.expires_at, tenant: { id: real.project.id, name: 'admin', enabled: true, description: null } },
          serviceCatalog: real.catalog.map((s: Json) => ({
            type: s.type,
            name: s.name,
            endpoints_links: [],
            endpoints: [
              {
                region: 'RegionOne',
                publicURL: `${base}${V1}/${s.type}`,
                internalURL: `${base}${V1}/${s.type}`,
                adminURL: `${base}${V1}/${s.type}`,
                id: `${s.type}-RegionOne-public`,
              },
            ],
          })),
          user: { id: 'admin-id', name: 'admin', username: 'admin', roles: [{ name: 'admin' }], roles_links: [] },
          metadata: { is_admin: 0, roles: ['admin-role'] },
        },
      });
      const tenants = await call(`${V1}/identity/v2.0/tenants`, { headers: { 'X-Auth-Token': tokenId } });
      expect(tenants.status).toBe(200);
      expect(await tenants.json()).toEqual({
        tenants: doubles.openstack.cloud.projects.map((p) => ({ id: p.id, name: p.name, description: '', enabled: true })),
        tenants_links: [],
      });
      expect(doubles.openstack.requests.at(-1)!.path).toBe('/identity/v3/auth/projects');
    });

    it("passes a wrong v2.0 password through as Keystone's 401", async () => {
      const response = await call(`${V1}/identity/v2.0/tokens`, json({ auth: { passwordCredentials: { username: 'admin', password: 'nope' }, tenantName: 'admin' } }));
      expect(response.status).toBe(401);
    });

    it('forwards a v2.0 sign-in unchanged to a v2.0 Keystone', async () => {
      const sentBody = { auth: { passwordCredentials: { username: 'admin', password: 'os-secret-password' }, tenantName: 'admin' } };
      const response = await call(`${PREFIX}/v1/V2Owner/RegionOne/identity/v2.0/tokens`, json(sentBody));
      expect(response.status).toBe(200);
      const body = (await response.json()) as Json;
      seenTokens.push(body.access.token.id);
      expect(doubles.openstack.requests.at(-1)!).toEqual(expect.objectContaining({ path: '/identity/v2.0/tokens', body: sentBody }));
      expect(body.access.serviceCatalog.find((s: Json) => s.type === 'compute').endpoints).toEqual([
        expect.objectContaining({ publicURL: `${base}${PREFIX}/v1/V2Owner/RegionOne/compute` }),
      ]);
      const flavors = await call(`${PREFIX}/v1/V2Owner/RegionOne/compute/flavors`, { headers: { 'X-Auth-Token': body.access.token.id } });
      expect(flavors.status).toBe(200);
    });
  });

  describe('other v3 reads', () => {
    it("are forwarded with the caller's token, Keystone's URLs rewritten", async () => {
      const { token } = await signIn();
      const response = await call(`${V1}/identity/v3/regions`, { headers: { 'X-Auth-Token': token } });
      expect(response.status).toBe(200);
      const body = (await response.json()) as Json;
      expect(body.links.self).toBe(`${base}${V1}/identity/v3/regions`);
      expect(doubles.openstack.requests.at(-1)!.headers['x-auth-token']).toBe(token);
    });
  });

  describe('security', () => {
    it('without a token: 401 and no call to the cloud', async () => {
      const before = cloudCalls();
      const response = await call(`${V1}/compute/flavors/detail`);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: 'an X-Auth-Token is required' });
      expect(cloudCalls()).toBe(before);
    });

    it('a token Keystone rejects: 401 after one validation, and no call to the service', async () => {
      const before = novaCalls();
      const beforeKeystone = doubles.openstack.callsTo('keystone').length;
      const response = await call(`${V1}/compute/flavors/detail`, { headers: { 'X-Auth-Token': 'not-a-token' } });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: "the cloud's Keystone does not accept the token" });
      expect(novaCalls()).toBe(before);
      expect(doubles.openstack.callsTo('keystone').length).toBe(beforeKeystone + 1);
    });

    it('a token issued elsewhere is validated with Keystone once, its catalog kept until it expires', async () => {
      const direct = await fetch(`${doubles.openstack.keystoneV3}/auth/tokens`, json(ADMIN_SIGN_IN));
      const token = direct.headers.get('x-subject-token')!;
      seenTokens.push(token);
      const validations = () => doubles.openstack.requests.filter((r) => r.method === 'GET' && r.path === '/identity/v3/auth/tokens').length;
      const before = validations();
      for (let i = 0; i < 3; i += 1) {
        const response = await call(`${V1}/compute/flavors/detail?limit=1`, { headers: { 'X-Auth-Token': token } });
        expect(response.status).toBe(200);
      }
      expect(validations()).toBe(before + 1);
    });

    it.each([
      ['/compute/..%2F..%2Fidentity/v3/projects'],
      ['/compute/%2e%2e/%2e%2e/RegionTwo/compute'],
      ['/compute/a%2Fb'],
      ['/compute//127.0.0.1:1/x'],
      ['/compute/http:%2F%2Fevil.example/x'],
      ['/compute/a%5C..%5Cb'],
    ])('a path that would leave the endpoint (%s) is a 400 with no call', async (path) => {
      const { token } = await signIn();
      const before = cloudCalls();
      const response = await rawGet(`${V1}${path}`, token);
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body).error).toMatch(/the path/);
      expect(cloudCalls()).toBe(before);
    });

    it('a path that does not decode is a 400 with no call', async () => {
      const before = cloudCalls();
      const response = await rawGet(`${V1}/comp%zzute/x`, 'some-token');
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body)).toEqual({ error: "Failed to decode param 'comp%zzute'" });
      expect(cloudCalls()).toBe(before);
    });

    it("only the catalog's endpoints are reachable: another type is a 404 with no call to any service", async () => {
      const { token } = await signIn();
      const before = cloudCalls();
      const response = await call(`${V1}/network/v2.0/ports`, { headers: { 'X-Auth-Token': token } });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: "no network endpoint in region RegionOne of the token's catalog" });
      expect(cloudCalls()).toBe(before);
    });

    it('a region A&AI lacks is a 404; a Keystone that cannot be reached a 502', async () => {
      const missing = await call(`${PREFIX}/v1/CloudOwner/Nowhere/identity/v3/auth/tokens`, json(ADMIN_SIGN_IN));
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ error: 'Cloud Region not found in AAI: CloudOwner_Nowhere' });
      const gone = await call(`${PREFIX}/v1/CloudOwner/Gone/identity/v3/auth/tokens`, json(ADMIN_SIGN_IN));
      expect(gone.status).toBe(502);
      expect(await gone.json()).toEqual({ error: 'POST http://127.0.0.1:1/identity/v3/auth/tokens failed: ECONNREFUSED' });
      const goneService = await call(`${PREFIX}/v1/CloudOwner/Gone/compute/flavors`, { headers: { 'X-Auth-Token': 'some-token' } });
      expect(goneService.status).toBe(502);
    });

    it('a region A&AI holds without its esr-system-info (de-registered, or onboarded in part) is a 404 with no call to any cloud', async () => {
      doubles.aai.seed('/cloud-infrastructure/cloud-regions/cloud-region/CloudOwner/NoEsr', { 'cloud-owner': 'CloudOwner', 'cloud-region-id': 'NoEsr', 'cloud-type': 'openstack' });
      const before = cloudCalls();
      const signIn = await call(`${PREFIX}/v1/CloudOwner/NoEsr/identity/v3/auth/tokens`, json(ADMIN_SIGN_IN));
      expect(signIn.status).toBe(404);
      expect(await signIn.json()).toEqual({ error: 'Cloud Region CloudOwner_NoEsr has no esr-system-info in AAI' });
      const service = await call(`${PREFIX}/v0/CloudOwner_NoEsr/compute/flavors`, { headers: { 'X-Auth-Token': 'some-token' } });
      expect(service.status).toBe(404);
      expect(await service.json()).toEqual({ error: 'Cloud Region CloudOwner_NoEsr has no esr-system-info in AAI' });
      expect(cloudCalls()).toBe(before);
    });

    it('leaves the routes of registry and capacity_check to their controllers', async () => {
      const status = await call(`${V1}/registry`);
      expect(status.status).toBe(404);
      expect(await status.json()).toEqual({ error: 'Registration process for Cloud Region not found: CloudOwner_RegionOne' });
      const swagger = await call(`${PREFIX}/v1/swagger.json`);
      expect(swagger.status).toBe(200);
    });

    it('writes no token to a log line, and none to the store', async () => {
      expect(seenTokens.length).toBeGreaterThan(3);
      const logs = service.logs.lines.join('\n');
      for (const token of seenTokens) expect(logs).not.toContain(token);
      if (BASE_REDIS_URL) {
        const dump = await withRedis(async (redis) => {
          const keys = await redis.keys('*');
          const values = await Promise.all(keys.map(async (key) => ((await redis.type(key)) === 'string' ? await redis.get(key) : '')));
          return `${keys.join('\n')}\n${values.join('\n')}`;
        });
        for (const token of seenTokens) expect(dump).not.toContain(token);
      }
    });
  });
});
