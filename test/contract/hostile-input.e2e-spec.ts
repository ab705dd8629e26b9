import { Agent, request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';

import request from 'supertest';

import { PREFIX, onboardRegion } from '../support/regions';
import { Doubles, TestApp, serveSuite } from '../support/start-app';

const CHECK = `${PREFIX}/v1/CloudOwner/RegionOne/capacity_check`;

/** SPEC 11: a hostile capacity_check body is refused at once, without freezing the service. */
describe('hostile input', () => {
  let service: TestApp;
  let doubles: Doubles;
  serveSuite((started: { doubles: Doubles; service: TestApp }) => ({ service, doubles } = started));
  beforeAll(() => onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'RegionOne' }));

  it('answers a 1 MB numeric string that ends in a letter 400 in under 100 ms', async () => {
    const digits = '1'.repeat(1_000_000);
    const body = `{"vCPU":"${digits}x","Memory":1,"Storage":1}`;
    await request(service.http).post(CHECK).set('Content-Type', 'application/json').send('{}'); // warm the route
    // The best of three: a garbage collection of the test process may fall in one of them;
    // the backtracking regular expression took minutes every time.
    const times: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const started = performance.now();
      const answer = await request(service.http).post(CHECK).set('Content-Type', 'application/json').send(body);
      times.push(performance.now() - started);
      expect({ status: answer.status, body: answer.body }).toEqual({
        status: 400,
        body: { result: false, error: `vCPU must be a number or a numeric string, not the string "${digits.slice(0, 40)}…"` },
      });
    }
    expect(Math.min(...times)).toBeLessThan(100);
  });

  it('refuses a sign-in body nested 100,000 levels deep with a 400 (it overflowed the stack: 500)', async () => {
    const body = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const answer = await request(service.http).post(`${PREFIX}/v1/CloudOwner/RegionOne/identity/v3/auth/tokens`).set('Content-Type', 'application/json').send(body);
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 400, body: { error: 'the request body nests deeper than 32 levels' } });
  });

  it('answers a path of 15,000 slashes at once (trailing slashes are trimmed in one pass)', async () => {
    const path = `${PREFIX}/v1/CloudOwner/RegionOne/identity/v3${'/'.repeat(15_000)}x`;
    await request(service.http).get(`${PREFIX}/v1/CloudOwner/RegionOne/identity/v3/x`); // warm the route
    const started = performance.now();
    const answer = await request(service.http).get(path);
    const took = performance.now() - started;
    expect(answer.status).toBe(400);
    // The regular expression it replaced took 700 ms here; the rest of the request (a 15 KB
    // path through routing, checks and logs) tens of ms on a busy machine.
    expect(took).toBeLessThan(300);
  });

  it('asks a proxied call without a token for one before reading A&AI', async () => {
    const reads = doubles.aai.requests.length;
    const answer = await request(service.http).get(`${PREFIX}/v1/Nobody/Nowhere/compute/servers`);
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 401, body: { error: 'an X-Auth-Token is required' } });
    expect(doubles.aai.requests.length).toBe(reads);
  });

  it('closes the connection of a Keystone body refused as too large, so a client reusing it is not left waiting', async () => {
    const server = service.http.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (method: string, path: string, body?: Buffer) =>
      new Promise<string>((resolve) => {
        const headers = { 'Content-Type': 'application/json', ...(body ? { 'Content-Length': String(body.length) } : {}) };
        const req = httpRequest({ agent, host: '127.0.0.1', port: (server.address() as AddressInfo).port, method, path, headers }, (res) => {
          res.resume();
          res.on('end', () => resolve(`${res.statusCode}`));
        });
        req.setTimeout(3000, () => {
          req.destroy();
          resolve('no answer within 3 s');
        });
        req.on('error', (error) => resolve(error.message));
        req.end(body);
      });
    try {
      const identity = `${PREFIX}/v1/CloudOwner/RegionOne/identity/v3`;
      expect(await send('PUT', `${identity}/projects`, Buffer.alloc(1_500_000, 'a'))).toBe('400');
      expect(await send('GET', identity)).toBe('200');
    } finally {
      agent.destroy();
      server.close();
    }
  });
});
