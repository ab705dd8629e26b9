import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';

import request from 'supertest';

import { PREFIX, onboardRegion, waitForJob } from '../support/regions';
import { Doubles, TestApp, serveSuite } from '../support/start-app';

const CHECK = `${PREFIX}/v1/CloudOwner/RegionOne/capacity_check`;
const DEMAND = { vCPU: 1, Memory: 1, Storage: 1 };
const novaLimits = (doubles: Doubles) => doubles.openstack.requests.filter((r) => /\/compute\/.*\/limits$/.test(r.path)).length;

/** SPEC 11: capacity_check has an overall deadline and stops when its client goes away. */
describe('capacity_check bounds', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started), {
    env: { CAPACITY_CHECK_TIMEOUT_MS: '1500', HTTP_TIMEOUT_MS: '1000', HTTP_RETRIES: '2' },
  });

  beforeAll(async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'RegionOne' });
    await request(service.http).post(`${PREFIX}/v1/CloudOwner/RegionOne/registry`).expect(202);
    await waitForJob(service.http, `${PREFIX}/v1/CloudOwner/RegionOne/registry`);
    await request(service.http).post(CHECK).send(DEMAND).expect(200);
  });

  afterEach(() => doubles.openstack.clearFaults());

  it('answers 504 once its deadline passes while Nova does not answer', async () => {
    doubles.openstack.failNext('GET', /\/limits$/, 'hang', 10);
    const started = Date.now();
    const answer = await request(service.http).post(CHECK).send(DEMAND);
    expect({ status: answer.status, body: answer.body }).toEqual({
      status: 504,
      body: { result: false, error: 'capacity_check did not finish within 1500 ms' },
    });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('stops its remote calls when the client goes away', async () => {
    doubles.openstack.failNext('GET', /\/limits$/, 'hang', 10);
    const before = novaLimits(doubles);
    const server = service.http.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const client = httpRequest({ port: (server.address() as AddressInfo).port, host: '127.0.0.1', method: 'POST', path: CHECK, headers: { 'Content-Type': 'application/json' } });
    client.on('error', () => undefined);
    client.end(JSON.stringify(DEMAND));
    await new Promise((resolve) => setTimeout(resolve, 200));
    client.destroy();
    // Without the stop, the first attempt times out after 1 s and is retried.
    await new Promise((resolve) => setTimeout(resolve, 1600));
    server.close();
    expect(novaLimits(doubles) - before).toBe(1);
  });
});
