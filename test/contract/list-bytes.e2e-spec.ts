import request from 'supertest';

import { PREFIX, onboardRegion, waitForJob } from '../support/regions';
import { Doubles, TestApp, serveSuite } from '../support/start-app';

const REGISTRY = `${PREFIX}/v1/CloudOwner/RegionOne/registry`;

/** SPEC 11: one paged list is read up to HTTP_MAX_LIST_BYTES in all, whatever its page count. */
describe('a paged list bounded in bytes', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started), { env: { HTTP_RETRIES: '0', HTTP_MAX_LIST_BYTES: '1024' } });

  it('stops reading pages once the list holds HTTP_MAX_LIST_BYTES, and says so in the status', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'RegionOne' });
    doubles.openstack.behaviour.glanceMaxLimit = 1;
    await request(service.http).post(REGISTRY).expect(202);
    const status = await waitForJob(service.http, REGISTRY);
    const glance = `${doubles.openstack.url}/RegionOne/image`;
    const pages = doubles.openstack.requests.filter((r) => r.method === 'GET' && r.path === '/RegionOne/image/v2/images').length;
    expect(status.code).toBe(0);
    const cut = (status.warnings as string[])
      .map((w) => new RegExp(`^Glance GET ${glance}/v2/images: list cut after (\\d+) pages, (\\d+) bytes \\(HTTP_MAX_LIST_BYTES\\)$`).exec(w))
      .find(Boolean);
    expect(Number(cut?.[1])).toBe(pages);
    expect(Number(cut?.[2])).toBeGreaterThanOrEqual(1024);
    expect(pages).toBeLessThan(doubles.openstack.cloud.regions.RegionOne.images.length);
  });
});
