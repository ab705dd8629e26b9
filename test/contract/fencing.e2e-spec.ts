import request from 'supertest';

import { PREFIX, REGIONS, SAMPLE_COUNTS, eventually, onboardRegion, registered, waitForJob } from '../support/regions';
import { describeWithRedis, testRedisUrl, withRedis } from '../support/redis';
import { Doubles, logLines, serveReplicas } from '../support/start-app';
import { TcpRelay } from '../support/tcp-relay';

const CLAIM_TTL_MS = 1_500;

describeWithRedis('fencing: a replica cut off from the store', () => {
  let doubles: Doubles;
  let relay: TcpRelay | undefined;
  const replica = serveReplicas((started) => (doubles = started), { JOB_CLAIM_TTL_MS: String(CLAIM_TTL_MS) });

  afterEach(async () => {
    doubles.openstack.latencyMs = 0;
    await relay?.cut();
  });

  it('keeps no job running past its claim, and its final save never overwrites the newer record', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'Fenced' });
    const path = `${PREFIX}/v1/CloudOwner/Fenced/registry`;
    const redisUrl = new URL(testRedisUrl()!);
    relay = new TcpRelay(redisUrl.hostname, Number(redisUrl.port));
    await relay.open();
    const a = await replica({ REDIS_URL: `redis://127.0.0.1:${relay.port}${redisUrl.pathname}` });

    // A registers slowly (every cloud call takes 300 ms), then loses the store.
    doubles.openstack.latencyMs = 300;
    const seen = doubles.openstack.requests.length;
    await request(a.http).post(path).expect(202);
    await eventually(() => doubles.openstack.requests.length > seen);
    await relay.cut();
    const cutAt = Date.now();

    // Its claim (last renewed before the cut) expires within CLAIM_TTL_MS; A is the only
    // replica: nothing may reach the doubles from then on.
    const claimExpired = cutAt + CLAIM_TTL_MS;
    await eventually(async () => (await withRedis((redis) => redis.exists('mcstx:job_claim:CloudOwner_Fenced'))) === 0, 5_000);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, claimExpired + 700 - Date.now())));
    const late = [...doubles.openstack.requests, ...doubles.aai.requests].filter((r) => r.at > claimExpired);
    expect(late.map((r) => `${r.method} ${r.path}`)).toEqual([]);
    expect(logLines(a)).toContainEqual(
      expect.stringMatching(/register job of CloudOwner_Fenced interrupted: its claim on the region could not be renewed for \d+ ms \(the store is unreachable\)/),
    );

    // A live replica resumes the job and records its outcome; then A is back in touch.
    doubles.openstack.latencyMs = 0;
    const b = await replica();
    const newer = await waitForJob(b.http, path, 15_000);
    // What the resumed run created or found unchanged depends on how far A got.
    expect(newer).toEqual(registered('CloudOwner_Fenced', SAMPLE_COUNTS, ['CloudOwner_Fenced'], { CloudOwner_Fenced: expect.any(Object) }));
    expect(doubles.aai.get(`${REGIONS}/CloudOwner/Fenced`)!['flavors']['flavor']).toHaveLength(SAMPLE_COUNTS.flavors);
    await relay.restore();

    // A's retried final save reaches the store and is refused: B's record stays.
    await eventually(
      () => logLines(a, b).some((line) => line.includes("register job of CloudOwner_Fenced: its record was not written, the region's claim is no longer this run's")),
      15_000,
    );
    expect((await request(b.http).get(path).expect(200)).body).toEqual(newer);
  });
});
