import request from 'supertest';

import { PREFIX, onboardRegion, waitForJob } from '../support/regions';
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

    it.each(['v0', 'v1'])('describes the %s routes, from the controllers (OpenAPI 3)', async (version) => {
      const response = await request(service.http).get(`${PREFIX}/${version}/swagger.json`).expect(200);
      const region = version === 'v0' ? '/{vimid}' : '/{owner}/{region}';
      const doc = response.body;
      expect(doc.openapi).toBe('3.0.0');
      expect(doc.servers).toEqual([{ url: `/api/multicloud-starlingx/${version}/` }]);
      expect(Object.keys(doc.paths).sort()).toEqual([region, `${region}/capacity_check`, `${region}/registry`].sort());
      expect(Object.keys(doc.paths[`${region}/registry`]).sort()).toEqual(['delete', 'get', 'post']);
      expect(Object.keys(doc.paths[region]).sort()).toEqual(['delete', 'get', 'post']);
      const check = doc.paths[`${region}/capacity_check`].post;
      expect(check.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CapacityCheckRequest' });
      expect(check.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CapacityCheckBody' });
      expect(doc.components.schemas.CapacityCheckRequest.required.sort()).toEqual(['Memory', 'Storage', 'vCPU']);
      // Each path declares exactly the parameters its template names, plus the Project header.
      for (const [path, item] of Object.entries<Record<string, { parameters: Array<{ name: string; in: string }> }>>(doc.paths)) {
        for (const operation of Object.values(item)) {
          const inPath = operation.parameters.filter((p) => p.in === 'path').map((p) => p.name);
          expect([path, inPath.sort()]).toEqual([path, [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort()]);
        }
      }
      expect(doc.paths[`${region}/registry`].post.parameters).toContainEqual(expect.objectContaining({ name: 'project', in: 'header', required: false }));
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
      const status = await waitForJob(service.http, path);
      expect(status).toMatchObject({
        status: 'Registration finished for Cloud Region: Owner-a_Region_1',
        code: 0,
        state: 'succeeded',
      });
      const deleted = await request(service.http).delete(path).expect(204);
      expect(deleted.text).toBe('');
      const after = await waitForJob(service.http, path);
      expect(after).toMatchObject({
        status: 'De-registration finished for Cloud Region: Owner-a_Region_1',
        code: 0,
        state: 'succeeded',
      });
      onboardRegion(doubles.aai, doubles.openstack, { owner: 'Owner-a', region: 'Region_1' });
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
