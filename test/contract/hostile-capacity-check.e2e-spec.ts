import request from 'supertest';

import { PREFIX } from '../support/regions';
import { Doubles, TestApp, serveSuite } from '../support/start-app';

const CHECK = `${PREFIX}/v1/CloudOwner/RegionOne/capacity_check`;

/** SPEC 11: a hostile capacity_check body is refused at once, without freezing the service. */
describe('capacity_check against hostile numbers', () => {
  let service: TestApp;
  serveSuite((started: { doubles: Doubles; service: TestApp }) => ({ service } = started));

  it('answers a 1 MB numeric string that ends in a letter 400 in under 100 ms', async () => {
    const digits = '1'.repeat(1_000_000);
    const body = `{"vCPU":"${digits}x","Memory":1,"Storage":1}`;
    await request(service.http).post(CHECK).set('Content-Type', 'application/json').send('{}'); // warm the route
    const started = performance.now();
    const answer = await request(service.http).post(CHECK).set('Content-Type', 'application/json').send(body);
    const took = performance.now() - started;
    expect({ status: answer.status, body: answer.body }).toEqual({
      status: 400,
      body: { result: false, error: `vCPU must be a number or a numeric string, not the string "${digits.slice(0, 40)}…"` },
    });
    expect(took).toBeLessThan(100);
  });
});
