import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';

import request from 'supertest';

import { PREFIX, onboardRegion } from '../support/regions';
import { Doubles, TestApp, serveSuite } from '../support/start-app';

const PLAN = `${PREFIX}/v1/CloudOwner/RegionOne/registry/plan`;
const FLAVORS = /\/flavors\/detail$/;

/** SPEC 7 and 11: a registration plan has a deadline, is shared by callers asking at once, and stops once they all left. */
describe('registry plan bounds', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started), {
    env: { PLAN_TIMEOUT_MS: '1500', HTTP_TIMEOUT_MS: '1000', HTTP_RETRIES: '2' },
  });

  beforeAll(async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'RegionOne' });
    await request(service.http).get(PLAN).expect(200);
  });

  afterEach(() => doubles.openstack.clearFaults());

  const flavorReads = () => doubles.openstack.count('GET', FLAVORS);

  it('answers 504 once its deadline passes while Nova does not answer', async () => {
    doubles.openstack.failNext('GET', FLAVORS, 'hang', 10);
    const started = Date.now();
    const answer = await request(service.http).get(PLAN);
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 504, body: { error: 'the plan did not finish within 1500 ms' } });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('makes one plan for callers asking for the same region at once', async () => {
    doubles.openstack.slowDown(FLAVORS, 300);
    const before = flavorReads();
    const answers = await Promise.all([1, 2, 3].map(() => request(service.http).get(PLAN)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers[1].body).toEqual(answers[0].body);
    expect(flavorReads() - before).toBe(1);
  });

  it('stops the plan and its remote calls when its only caller goes away', async () => {
    doubles.openstack.failNext('GET', FLAVORS, 'hang', 10);
    const before = flavorReads();
    const server = service.http.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const client = httpRequest({ port: (server.address() as AddressInfo).port, host: '127.0.0.1', path: PLAN });
    client.on('error', () => undefined);
    client.end();
    await new Promise((resolve) => setTimeout(resolve, 300));
    client.destroy();
    // Without the stop, the first attempt times out after 1 s and is retried.
    await new Promise((resolve) => setTimeout(resolve, 1300));
    server.close();
    expect(flavorReads() - before).toBe(1);
  });
});
