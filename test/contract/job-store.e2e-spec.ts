import request from 'supertest';

import { PREFIX, registered, runningJob, onboardRegion, waitForJob } from '../support/regions';
import { describeWithRedis, withRedis } from '../support/redis';
import { Doubles, serveReplicas } from '../support/start-app';

describeWithRedis('job state in Redis, shared by replicas and kept across restarts', () => {
  let doubles: Doubles;
  const replica = serveReplicas((started) => (doubles = started));

  afterEach(() => {
    doubles.openstack.latencyMs = 0;
  });

  it('answers GET status the same on another replica and after a restart', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'Shared' });
    const path = `${PREFIX}/v1/CloudOwner/Shared/registry`;
    const a = await replica();
    const b = await replica();
    await request(a.http).post(path).expect(202);
    const onA = await waitForJob(a.http, path);
    const onB = (await request(b.http).get(path).expect(200)).body;
    expect(onB).toEqual(onA);
    expect(onA).toEqual(registered('CloudOwner_Shared'));

    await a.close();
    await b.close();
    const restarted = await replica();
    expect((await request(restarted.http).get(path).expect(200)).body).toEqual(onA);
  });

  it('runs one job per region across replicas', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'OneJob' });
    const path = `${PREFIX}/v1/CloudOwner/OneJob/registry`;
    const a = await replica();
    const b = await replica();
    doubles.openstack.latencyMs = 30;
    await request(a.http).post(path).expect(202);
    await request(b.http).post(path).expect(202);
    await request(b.http).post(`${PREFIX}/v0/CloudOwner_OneJob/registry`).expect(202);
    expect((await request(b.http).get(path)).body).toEqual(runningJob('register'));
    expect(await waitForJob(b.http, path)).toEqual(registered('CloudOwner_OneJob'));
    expect(doubles.aai.count('PUT', /cloud-region\/CloudOwner\/OneJob$/)).toBe(1);
  });

  it('keeps no credential in the store', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'Secrets', extraInfo: { 'k8s-apitoken': 'k8s-token-value-123' } });
    const path = `${PREFIX}/v1/CloudOwner/Secrets/registry`;
    const a = await replica();
    await request(a.http).post(path).expect(202);
    expect(await waitForJob(a.http, path)).toEqual(registered('CloudOwner_Secrets'));
    const dump = await withRedis(async (redis) => {
      const keys = await redis.keys('*');
      const values = await Promise.all(
        keys.map(async (key) => {
          const type = await redis.type(key);
          if (type === 'zset') return JSON.stringify(await redis.zRangeWithScores(key, 0, -1));
          return type === 'hash' ? JSON.stringify(await redis.hGetAll(key)) : String(await redis.get(key));
        }),
      );
      return `${keys.join('\n')}\n${values.join('\n')}`;
    });
    expect(dump).toContain('CloudOwner_Secrets');
    for (const secret of ['os-secret-password', 'k8s-token-value-123', Buffer.from('AAI:AAI').toString('base64')]) {
      expect(dump).not.toContain(secret);
    }
  });
});
