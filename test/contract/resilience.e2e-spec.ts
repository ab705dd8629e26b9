import request from 'supertest';

import { Json } from '../support/aai-json';
import { PREFIX, SAMPLE_COUNTS, endedJob, firstChanges, noChanges, onboardRegion, registerCloudOwnerRegion, registered, unregistered, waitForJob } from '../support/regions';
import { Doubles, TestApp, serveSuite } from '../support/start-app';

describe('remote calls: timeouts, bounded retries, failures named in the status', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started), { env: { HTTP_TIMEOUT_MS: '300', HTTP_RETRIES: '2' } });

  afterEach(() => {
    doubles.aai.clearFaults();
    doubles.openstack.clearFaults();
    doubles.openstack.latencyMs = 0;
  });

  function register(region: string, headers: Record<string, string> = {}): Promise<Json> {
    return registerCloudOwnerRegion(service.http, region, headers);
  }

  it('retries a 5xx and a dropped connection, then succeeds', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'Flaky' });
    doubles.openstack.failNext('GET', /\/compute\/v2\.1\/[^/]+\/flavors\/detail$/, { status: 503, body: { error: 'busy' } });
    doubles.openstack.failNext('GET', /\/image\/v2\/images$/, 'drop');
    doubles.aai.failNext('PUT', /\/tenants\/tenant\//, { status: 502, body: 'bad gateway' });
    const status = await register('Flaky');
    expect(status).toEqual(registered('CloudOwner_Flaky'));
    expect(doubles.openstack.count('GET', /\/flavors\/detail$/)).toBe(2);
  });

  it('gives up after the bounded retries and names the call and its status', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'NovaDown' });
    const before = doubles.openstack.count('GET', /\/flavors\/detail$/);
    doubles.openstack.failNext('GET', /\/flavors\/detail$/, { status: 500, body: { computeFault: { message: 'nova is down' } } }, 3);
    const status = await register('NovaDown');
    expect(doubles.openstack.count('GET', /\/flavors\/detail$/) - before).toBe(3);
    expect(status).toEqual(
      endedJob(
        'register',
        500,
        `Registration failed for Cloud Region: CloudOwner_NovaDown: flavors: Nova GET ${doubles.openstack.url}/RegionOne/compute/v2.1/${adminId(doubles)}/flavors/detail answered 500: nova is down`,
        {
          regions: ['CloudOwner_NovaDown'],
          counts: { ...SAMPLE_COUNTS, flavors: 0, hpaCapabilities: 0 },
          changes: { CloudOwner_NovaDown: firstChanges({ ...SAMPLE_COUNTS, flavors: 0, hpaCapabilities: 0 }) },
        },
      ),
    );
  });

  it('does not retry a 4xx', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'Rejected' });
    doubles.aai.failNext('PUT', /\/images\/image\//, {
      status: 400,
      body: { requestError: { serviceException: { messageId: 'SVC0002', variables: ['PUT', 'x', 'bad image', 'ERR.5.4.4000'] } } },
    });
    const before = doubles.aai.count('PUT', /\/images\/image\//);
    const status = await register('Rejected');
    expect(doubles.aai.count('PUT', /\/images\/image\//) - before).toBe(3);
    // Which of the three images A&AI refuses depends on which PUT arrives first.
    const image = `${doubles.aai.serviceUrl}/v13/cloud-infrastructure/cloud-regions/cloud-region/CloudOwner/Rejected/images/image/`;
    expect(status).toEqual(
      endedJob(
        'register',
        400,
        expect.stringMatching(
          new RegExp(
            `^Registration failed for Cloud Region: CloudOwner_Rejected: images \\(1 failed\\): A&AI PUT ${escape(image)}[0-9a-f-]+ answered 400: SVC0002 bad image ERR\\.5\\.4\\.4000$`,
          ),
        ),
        {
          regions: ['CloudOwner_Rejected'],
          counts: { ...SAMPLE_COUNTS, images: 2 },
          changes: {
            CloudOwner_Rejected: {
              ...firstChanges({ ...SAMPLE_COUNTS, images: 2 }),
              failed: [
                {
                  kind: 'image',
                  id: expect.any(String),
                  action: 'create',
                  status: 400,
                  message: expect.stringMatching(/^A&AI PUT .* answered 400: SVC0002 bad image ERR\.5\.4\.4000$/),
                },
              ],
            },
          },
        },
      ),
    );
  });

  it('stops waiting for a remote that never answers: the job still ends', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'Hanging' });
    // The registration's zones and its first audit both read the compute services first.
    doubles.openstack.failNext('GET', /\/os-services$/, 'hang', 10);
    const started = Date.now();
    const status = await register('Hanging');
    expect(Date.now() - started).toBeLessThan(5_000);
    const services = `Nova GET ${doubles.openstack.url}/RegionOne/compute/v2.1/${adminId(doubles)}/os-services failed: no answer within 300 ms`;
    const warning = `first capacity audit of CloudOwner_Hanging failed: ${services}`;
    expect(status).toEqual(
      endedJob('register', 11, `Registration failed for Cloud Region: CloudOwner_Hanging: availability zones: ${services}`, {
        regions: ['CloudOwner_Hanging'],
        counts: { ...SAMPLE_COUNTS, availabilityZones: 0, pservers: 0 },
        changes: { CloudOwner_Hanging: firstChanges({ ...SAMPLE_COUNTS, availabilityZones: 0, pservers: 0 }) },
        warnings: [warning],
      }),
    );
  });

  it('signs in again when Keystone stops accepting its token, once', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'Rotated' });
    expect(await register('Rotated')).toEqual(registered('CloudOwner_Rotated'));
    const tokens = doubles.openstack.tokenRequests();
    doubles.openstack.revokeTokens();
    expect(await register('Rotated')).toEqual(registered('CloudOwner_Rotated', SAMPLE_COUNTS, undefined, { CloudOwner_Rotated: noChanges() }));
    expect(doubles.openstack.tokenRequests()).toBe(tokens + 1);
  });

  it('a region whose A&AI record lacks an esr-system-info fails with code 11', async () => {
    doubles.aai.seed('/cloud-infrastructure/cloud-regions/cloud-region/CloudOwner/NoEsr', {
      'cloud-owner': 'CloudOwner',
      'cloud-region-id': 'NoEsr',
      'cloud-type': 'openstack',
    });
    expect(await register('NoEsr')).toEqual(
      endedJob('register', 11, 'Registration failed for Cloud Region: CloudOwner_NoEsr: Cloud Region CloudOwner_NoEsr has no esr-system-info in AAI'),
    );
  });
});

describe('one job per region at a time', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started));

  it('a second POST while one runs answers 202 and starts nothing', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'Busy' });
    const path = `${PREFIX}/v1/CloudOwner/Busy/registry`;
    doubles.openstack.latencyMs = 30;
    try {
      await request(service.http).post(path).expect(202);
      await request(service.http).post(path).expect(202);
      await request(service.http).post(`${PREFIX}/v0/CloudOwner_Busy`).expect(202);
      expect((await request(service.http).get(path)).body.state).toBe('in-progress');
      expect(await waitForJob(service.http, path)).toEqual(registered('CloudOwner_Busy'));
    } finally {
      doubles.openstack.latencyMs = 0;
    }
    // Each registration job writes its cloud region once: one job ran.
    expect(doubles.aai.count('PUT', /cloud-region\/CloudOwner\/Busy$/)).toBe(1);
  });

  it('a DELETE while a registration runs stops it, then de-registers', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'Changed' });
    const path = `${PREFIX}/v1/CloudOwner/Changed/registry`;
    doubles.openstack.latencyMs = 30;
    try {
      await request(service.http).post(path).expect(202);
      await new Promise((resolve) => setTimeout(resolve, 60));
      await request(service.http).delete(path).expect(204);
      expect(await waitForJob(service.http, path)).toEqual(unregistered('CloudOwner_Changed'));
    } finally {
      doubles.openstack.latencyMs = 0;
    }
    expect(doubles.aai.region('CloudOwner', 'Changed')).toBeUndefined();
    expect(doubles.aai.pserverNames().filter((name) => name.startsWith('CloudOwner_Changed_'))).toEqual([]);
    expect(service.logs.lines.join('\n')).toMatch(/Registration failed for Cloud Region: CloudOwner_Changed.*stopped by a de-registration request/);
  });

  it('a POST while a de-registration runs registers again after it', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'Again' });
    const path = `${PREFIX}/v1/CloudOwner/Again/registry`;
    await request(service.http).post(path).expect(202);
    expect(await waitForJob(service.http, path)).toEqual(registered('CloudOwner_Again'));
    doubles.aai.latencyMs = 20;
    try {
      await request(service.http).delete(path).expect(204);
      await request(service.http).post(path).expect(202);
      expect(await waitForJob(service.http, path)).toEqual(endedJob('register', 10, 'Cloud Region not found in AAI: CloudOwner_Again'));
    } finally {
      doubles.aai.latencyMs = 0;
    }
  });
});

describe('many regions at once, through tight limits', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started), { env: { JOB_TASK_CONCURRENCY: '3', AAI_CONCURRENCY: '2', CLOUD_CONCURRENCY: '2' } });

  it('registers and de-registers them all correctly, sharing the task budget', async () => {
    const regions = Array.from({ length: 8 }, (_, i) => `Parallel${i}`);
    regions.forEach((region) => onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region }));
    const statuses = await Promise.all(
      regions.map(async (region) => {
        const path = `${PREFIX}/v1/CloudOwner/${region}/registry`;
        await request(service.http).post(path).expect(202);
        return waitForJob(service.http, path, 60_000);
      }),
    );
    expect(statuses).toEqual(
      regions.map((region) => registered(`CloudOwner_${region}`, { tenants: 8, flavors: 8, hpaCapabilities: 14, images: 3, availabilityZones: 2, pservers: 3 })),
    );
    for (const region of regions) {
      const held = doubles.aai.region('CloudOwner', region)!;
      expect(held.flavors.flavor).toHaveLength(8);
      expect(held['relationship-list'].relationship).toHaveLength(3);
    }
    expect(doubles.aai.pserverNames()).toHaveLength(8 * 3);
    await Promise.all(
      regions.map(async (region) => {
        const path = `${PREFIX}/v1/CloudOwner/${region}/registry`;
        await request(service.http).delete(path).expect(204);
        expect(await waitForJob(service.http, path, 60_000)).toEqual(unregistered(`CloudOwner_${region}`));
      }),
    );
    expect(doubles.aai.isEmpty()).toBe(true);
  });
});

function adminId(doubles: Doubles): string {
  return doubles.openstack.cloud.projects.find((p) => p.name === 'admin')!.id;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
