import request from 'supertest';

import { Doubles, TestApp, startApp, startDoubles, stopDoubles } from '../support/start-app';
import { PREFIX, onboardRegion, waitForJob } from '../support/regions';
import { resetStore } from '../support/redis';

describe('smoke', () => {
  let doubles: Doubles;
  let service: TestApp;

  beforeAll(async () => {
    await resetStore();
    doubles = await startDoubles();
    service = await startApp(doubles);
  });

  afterAll(async () => {
    await service?.close();
    await stopDoubles(doubles);
  });

  it('registers a region', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'RegionOne' });
    await request(service.http).post(`${PREFIX}/v1/CloudOwner/RegionOne/registry`).expect(202);
    const status = await waitForJob(service.http, `${PREFIX}/v1/CloudOwner/RegionOne/registry`);
    console.log(JSON.stringify(status, null, 1));
    console.log(service.logs.lines.slice(-20).join('\n'));
    expect(status.code).toBe(0);
  });
});
