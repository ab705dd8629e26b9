import request from 'supertest';

import { Exposition, parseExposition, sampleSum } from '../support/exposition';
import { PREFIX, REGIONS, eventually, onboardRegion, waitForJob } from '../support/regions';
import { Doubles, TestApp, serveSuite } from '../support/start-app';

const REGISTRY = `${PREFIX}/v1/CloudOwner/RegionOne/registry`;
const REGISTRY_ROUTE = '/api/multicloud-starlingx/v1/:owner/:region/registry';

/**
 * SPEC section 10's series on GET /metrics: a registration, an audit, a capacity_check
 * and failing calls each move the series they should, by the amounts the doubles saw.
 */
describe('GET /metrics', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started), { env: { AZCAP_AUDIT_INTERVAL_MS: '400' } });

  async function scrape(): Promise<Exposition> {
    const response = await request(service.http).get('/metrics').expect(200);
    expect(response.headers['content-type'].split('; ').sort()).toEqual(['charset=utf-8', 'text/plain', 'version=0.0.4']);
    return parseExposition(response.text);
  }

  /** What moved between two scrapes. */
  const delta = (before: Exposition, after: Exposition, name: string, labels: Record<string, string> = {}) => sampleSum(after, name, labels) - sampleSum(before, name, labels);

  it('exports every series of section 10, with their types', async () => {
    const { types } = await scrape();
    expect(Object.fromEntries([...types].filter(([name]) => name.startsWith('multicloud_')))).toEqual({
      multicloud_http_requests_total: 'counter',
      multicloud_http_request_duration_seconds: 'histogram',
      multicloud_jobs_total: 'counter',
      multicloud_job_duration_seconds: 'histogram',
      multicloud_jobs_running: 'gauge',
      multicloud_jobs_queued: 'gauge',
      multicloud_remote_calls_total: 'counter',
      multicloud_remote_call_duration_seconds: 'histogram',
      multicloud_aai_writes_total: 'counter',
      multicloud_audits_total: 'counter',
      multicloud_audit_lag_seconds: 'gauge',
      multicloud_audit_overdue_regions: 'gauge',
      multicloud_audit_schedule_lag_seconds: 'gauge',
      multicloud_audit_last_success_timestamp_seconds: 'gauge',
      multicloud_store_up: 'gauge',
    });
    expect(types.get('process_cpu_seconds_total')).toBe('counter');
  });

  it('counts a registration: the request, the job, its remote calls and A&AI writes; then audits', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'RegionOne' });
    const before = await scrape();
    const aaiPuts = doubles.aai.count('PUT');
    const cloudCalls = {
      glance: doubles.openstack.callsTo('glance').length,
      cinder: doubles.openstack.callsTo('cinder').length,
      sysinv: doubles.openstack.callsTo('sysinv').length,
    };
    await request(service.http).post(REGISTRY).expect(202);
    const status = await waitForJob(service.http, REGISTRY);
    expect(status.state).toBe('succeeded');
    const after = await scrape();

    expect(delta(before, after, 'multicloud_http_requests_total', { route: REGISTRY_ROUTE, method: 'POST', status: '202' })).toBe(1);
    expect(delta(before, after, 'multicloud_http_request_duration_seconds_count', { route: REGISTRY_ROUTE, method: 'POST' })).toBe(1);
    expect(delta(before, after, 'multicloud_http_requests_total', { route: REGISTRY_ROUTE, method: 'GET', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(delta(before, after, 'multicloud_jobs_total', { kind: 'register', outcome: 'succeeded' })).toBe(1);
    expect(delta(before, after, 'multicloud_job_duration_seconds_count', { kind: 'register', outcome: 'succeeded' })).toBe(1);
    expect(delta(before, after, 'multicloud_job_duration_seconds_sum', { kind: 'register' })).toBeCloseTo((Date.parse(status.finishedAt) - Date.parse(status.startedAt)) / 1000, 2);
    // Every attempt, by system and status: exactly what the doubles saw of the systems the
    // audit does not call; at least one answered call of the others.
    for (const system of ['glance', 'cinder', 'sysinv'] as const) {
      expect([system, delta(before, after, 'multicloud_remote_calls_total', { system })]).toEqual([system, doubles.openstack.callsTo(system).length - cloudCalls[system]]);
    }
    expect(delta(before, after, 'multicloud_remote_calls_total', { system: 'sysinv', status: '200' })).toBe(1);
    expect(delta(before, after, 'multicloud_remote_calls_total', { system: 'aai', status: '200' })).toBeGreaterThan(0);
    expect(delta(before, after, 'multicloud_remote_calls_total', { system: 'aai', status: '201' })).toBeGreaterThan(0);
    expect(delta(before, after, 'multicloud_remote_calls_total', { system: 'keystone', status: '201' })).toBeGreaterThanOrEqual(1);
    expect(delta(before, after, 'multicloud_remote_calls_total', { system: 'nova', status: '200' })).toBeGreaterThan(0);
    expect(delta(before, after, 'multicloud_remote_call_duration_seconds_count', { system: 'aai' })).toBe(delta(before, after, 'multicloud_remote_calls_total', { system: 'aai' }));
    // A fresh registration: every PUT A&AI saw was accepted, one write each.
    expect(delta(before, after, 'multicloud_aai_writes_total', { action: 'put', mode: 'single' })).toBe(doubles.aai.count('PUT') - aaiPuts);
    expect(sampleSum(after, 'multicloud_jobs_running')).toBe(0);
    expect(sampleSum(after, 'multicloud_store_up')).toBe(1);

    // The scheduler audits the region every 400 ms from now on.
    const audited = await eventually(async () => {
      const now = await scrape();
      return sampleSum(now, 'multicloud_audits_total', { outcome: 'success' }) > sampleSum(after, 'multicloud_audits_total', { outcome: 'success' }) ? now : undefined;
    });
    const lastSuccess = sampleSum(audited, 'multicloud_audit_last_success_timestamp_seconds', { vimid: 'CloudOwner_RegionOne' });
    expect(Math.abs(lastSuccess - Date.now() / 1000)).toBeLessThan(5);
    const lag = audited.samples.find((s) => s.name === 'multicloud_audit_lag_seconds' && s.labels.vimid === 'CloudOwner_RegionOne');
    expect(lag?.value).toBeGreaterThanOrEqual(0);
    expect(lag?.value).toBeLessThan(1);
  });

  it('counts a capacity_check', async () => {
    const before = await scrape();
    await request(service.http).post(`${PREFIX}/v1/CloudOwner/RegionOne/capacity_check`).send({ vCPU: 1, Memory: 1, Storage: 1 }).expect(200);
    const after = await scrape();
    expect(delta(before, after, 'multicloud_http_requests_total', { route: '/api/multicloud-starlingx/v1/:owner/:region/capacity_check', method: 'POST', status: '200' })).toBe(1);
  });

  it('counts failing calls: the 404 of a region A&AI lacks, a 500 from A&AI, and the failed job', async () => {
    const registry = `${PREFIX}/v1/CloudOwner/Missing/registry`;
    const before = await scrape();
    doubles.aai.failNext('GET', new RegExp(`${REGIONS}/CloudOwner/Missing$`), { status: 500, body: { error: 'injected' } });
    await request(service.http).post(registry).expect(202);
    expect((await waitForJob(service.http, registry)).code).toBe(10);
    await request(service.http).get(`${PREFIX}/v1/Nobody/Nowhere/registry`).expect(404);
    const after = await scrape();
    expect(delta(before, after, 'multicloud_remote_calls_total', { system: 'aai', status: '500' })).toBe(1);
    expect(delta(before, after, 'multicloud_remote_calls_total', { system: 'aai', status: '404' })).toBeGreaterThanOrEqual(1);
    expect(delta(before, after, 'multicloud_jobs_total', { kind: 'register', outcome: 'failed' })).toBe(1);
    expect(delta(before, after, 'multicloud_jobs_total', { kind: 'register', outcome: 'succeeded' })).toBe(0);
    expect(delta(before, after, 'multicloud_http_requests_total', { route: REGISTRY_ROUTE, method: 'GET', status: '404' })).toBe(1);
  });

  it('shows a running job and the request queued behind it', async () => {
    doubles.aai.slowDown(/\/flavors\/flavor\//, 400);
    try {
      // A de-registration runs; a registration asked meanwhile waits for it.
      await request(service.http).delete(REGISTRY).expect(204);
      await request(service.http).post(REGISTRY).expect(202);
      const during = await scrape();
      expect(sampleSum(during, 'multicloud_jobs_running')).toBe(1);
      expect(sampleSum(during, 'multicloud_jobs_queued')).toBe(1);
    } finally {
      doubles.aai.clearFaults();
    }
    await eventually(async () => sampleSum(await scrape(), 'multicloud_jobs_running') === 0, 20_000);
    expect(sampleSum(await scrape(), 'multicloud_jobs_queued')).toBe(0);
  });
});

describe('GET /metrics with A&AI bulk writes (v16)', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started), { aai: { version: 'v16' } });

  it('counts each bulk transaction A&AI accepted as one write of mode bulk', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'RegionOne' });
    const before = parseExposition((await request(service.http).get('/metrics').expect(200)).text);
    await request(service.http).post(REGISTRY).expect(202);
    expect((await waitForJob(service.http, REGISTRY)).state).toBe('succeeded');
    const after = parseExposition((await request(service.http).get('/metrics').expect(200)).text);
    const transactions = doubles.aai.count('POST', /\/bulk\/single-transaction$/);
    expect(transactions).toBeGreaterThan(0);
    expect(
      sampleSum(after, 'multicloud_aai_writes_total', { action: 'post', mode: 'bulk' }) - sampleSum(before, 'multicloud_aai_writes_total', { action: 'post', mode: 'bulk' }),
    ).toBe(transactions);
  });
});
