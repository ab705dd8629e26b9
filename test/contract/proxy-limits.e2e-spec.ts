import { ADMIN_SIGN_IN, startProxyApp } from '../support/proxy';
import { PREFIX, onboardRegion } from '../support/regions';
import { resetStore } from '../support/redis';
import { Doubles, TestApp, startDoubles, stopDoubles } from '../support/start-app';

const V1 = `${PREFIX}/v1/CloudOwner/RegionOne`;
const SERVERS = /\/compute\/.*\/servers$/;

/** SPEC 11: proxied calls take the same per-host concurrency slots as every other call to a cloud. */
describe('the proxy within the cloud concurrency limits', () => {
  let doubles: Doubles;
  let service: TestApp;
  let base: string;
  let token: string;

  beforeAll(async () => {
    await resetStore();
    doubles = await startDoubles();
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'RegionOne' });
    ({ service, base } = await startProxyApp(doubles, { CLOUD_HOST_CONCURRENCY: '1', HTTP_TIMEOUT_MS: '1500', HTTP_RETRIES: '0' }));
    const signedIn = await fetch(`${base}${V1}/identity/v3/auth/tokens`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(ADMIN_SIGN_IN) });
    token = signedIn.headers.get('x-subject-token')!;
  });

  afterAll(async () => {
    await service?.close();
    await stopDoubles(doubles);
  });

  it('a second call to a host whose one slot is held by a hanging call waits for it', async () => {
    doubles.openstack.failNext('GET', SERVERS, 'hang', 2);
    const before = doubles.openstack.count('GET', SERVERS);
    const call = () => fetch(`${base}${V1}/compute/servers`, { headers: { 'X-Auth-Token': token } });
    const first = call();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = call();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(doubles.openstack.count('GET', SERVERS) - before).toBe(1);
    const answers = await Promise.all([first, second]);
    expect(answers.map((answer) => answer.status)).toEqual([502, 502]);
  });
});
