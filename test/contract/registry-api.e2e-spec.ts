import request from 'supertest';

import { PREFIX, onboardRegion, registered, unregistered, waitForJob } from '../support/regions';
import { Doubles, TestApp, serveSuite } from '../support/start-app';

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

    it.each(['v0', 'v1'])('describes the %s routes', async (version) => {
      const response = await request(service.http).get(`${PREFIX}/${version}/swagger.json`).expect(200);
      expect((await request(service.http).get(`${PREFIX}/${version}/swagger.json/`).expect(200)).body).toEqual(response.body);
      const region = version === 'v0' ? '/{vimid}' : '/{cloud-owner}/{cloud-region-id}';
      expect(response.body.swagger).toBe('2.0');
      expect(response.body.basePath).toBe(`/api/multicloud-starlingx/${version}/`);
      expect(Object.keys(response.body.paths).sort()).toEqual(
        [
          region,
          `${region}/capacity_check`,
          `${region}/registry`,
          `${region}/identity`,
          `${region}/identity/v3`,
          `${region}/identity/v2.0`,
          `${region}/identity/v3/auth/tokens`,
          `${region}/identity/v2.0/tokens`,
          `${region}/identity/v2.0/tenants`,
          `${region}/{service-type}/{path}`,
        ].sort(),
      );
      expect(Object.keys(response.body.paths[`${region}/registry`]).sort()).toEqual(['delete', 'get', 'post']);
      expect(response.body.paths[`${region}/capacity_check`].post.responses['200'].schema).toEqual({
        $ref: '#/definitions/CapacityCheck',
      });
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
      const response = await request(service.http)[method.toLowerCase() as 'post' | 'get' | 'delete'](path)
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
