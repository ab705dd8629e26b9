import request from 'supertest';

import { PREFIX, onboardRegion, waitForJob } from '../support/regions';
import { Doubles, TestApp, serveSuite } from '../support/start-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * SPEC section 10: the inbound X-ONAP-RequestID (else X-TransactionId, else a new UUID)
 * is answered back and carried as X-ONAP-RequestID by every outbound call made for the
 * request or its job; A&AI's X-TransactionId stays fresh per call.
 */
describe('request ids', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started));

  beforeAll(() => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'RegionOne', extraInfo: K8S_REGION });
    // A StarlingX release with Kubernetes: the job also calls the k8s plugin.
    const region = doubles.openstack.region('RegionOne');
    region.isystem = { ...region.isystem, software_version: '21.12', system_mode: 'duplex', system_type: 'Standard' };
  });

  /** Every request the doubles saw from index `from` on. */
  const seenSince = (from: { aai: number; cloud: number; k8s: number }) => ({
    aai: doubles.aai.requests.slice(from.aai),
    cloud: doubles.openstack.requests.slice(from.cloud),
    k8s: doubles.k8s.requests.slice(from.k8s),
  });
  const mark = () => ({ aai: doubles.aai.requests.length, cloud: doubles.openstack.requests.length, k8s: doubles.k8s.requests.length });

  it('follows the POST X-ONAP-RequestID through the job to A&AI, the cloud and the k8s plugin', async () => {
    const registry = `${PREFIX}/v1/CloudOwner/RegionOne/registry`;
    const from = mark();
    const response = await request(service.http).post(registry).set('X-ONAP-RequestID', 'onap-req-0001').expect(202);
    expect(response.headers['x-onap-requestid']).toBe('onap-req-0001');
    expect((await waitForJob(service.http, registry)).state).toBe('succeeded');

    const seen = seenSince(from);
    expect(seen.aai.length).toBeGreaterThan(10);
    expect(seen.cloud.length).toBeGreaterThan(5);
    expect(seen.k8s.length).toBeGreaterThan(0);
    // No scheduled audit runs in this suite (10 min interval): every call here is the job's.
    const all = [...seen.aai, ...seen.cloud, ...seen.k8s];
    expect(new Set(all.map((r) => r.headers['x-onap-requestid']))).toEqual(new Set(['onap-req-0001']));
    const transactions = seen.aai.map((r) => r.headers['x-transactionid']);
    expect(new Set(transactions).size).toBe(seen.aai.length);
    expect(transactions.every((id) => UUID.test(String(id)))).toBe(true);
  });

  it('takes X-TransactionId when X-ONAP-RequestID is absent, and makes a UUID when both are', async () => {
    const check = `${PREFIX}/v1/CloudOwner/RegionOne/capacity_check`;
    const demand = { vCPU: 1, Memory: 1, Storage: 1 };
    let from = mark();
    const byTransaction = await request(service.http).post(check).set('X-TransactionId', 'tx-from-so-42').send(demand).expect(200);
    expect(byTransaction.headers['x-onap-requestid']).toBe('tx-from-so-42');
    let seen = seenSince(from);
    expect(seen.aai.length + seen.cloud.length).toBeGreaterThan(0);
    expect([...seen.aai, ...seen.cloud].every((r) => r.headers['x-onap-requestid'] === 'tx-from-so-42')).toBe(true);
    // A&AI gets a fresh X-TransactionId, not the caller's.
    expect(seen.aai.every((r) => UUID.test(String(r.headers['x-transactionid'])))).toBe(true);

    from = mark();
    const fresh = await request(service.http).post(check).send(demand).expect(200);
    const generated = fresh.headers['x-onap-requestid'];
    expect(generated).toMatch(UUID);
    seen = seenSince(from);
    expect([...seen.aai, ...seen.cloud].every((r) => r.headers['x-onap-requestid'] === generated)).toBe(true);
  });

  it('does not take an id that is not a plain token (it goes into every log line)', async () => {
    const response = await request(service.http).get('/samples/').set('X-ONAP-RequestID', 'bad id\twith "quotes"').expect(200);
    expect(response.headers['x-onap-requestid']).toMatch(UUID);
  });
});

const K8S_REGION = {
  'openstack-region-id': 'RegionOne',
  'k8s-apiserver': 'https://10.10.10.10:6443',
  'k8s-apitoken': 'k8s-token-for-request-id-test',
};
