import { PREFIX, eventually, onboardRegion } from '../support/regions';
import { freePort } from '../support/free-port';
import { ServiceProcess, doublesEnv, jsonLines, killService, startService } from '../support/service-process';
import { Doubles, startDoubles, stopDoubles } from '../support/start-app';

type Json = Record<string, any>;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const CHECK = `${PREFIX}/v1/CloudOwner/RegionOne/capacity_check`;
/** The project the OpenStack double scopes its tokens to. */
const PROJECT = '0c4e939acacf4376bdcd1129f1a054ad';

/**
 * ONAP's logging fields on a real process (src/main.ts, JSON logs): the inbound
 * X-ONAP-RequestID, X-InvocationID and X-ONAP-PartnerName are read and logged; each
 * outbound call sends the request id, a fresh X-InvocationID and
 * X-ONAP-PartnerName: multicloud-starlingx, and has its own line. Whole lines are
 * compared; only times, UUIDs and elapsed milliseconds are normalised.
 */
describe('ONAP log fields and headers', () => {
  let doubles: Doubles;
  let service: ServiceProcess | undefined;
  let base: string;

  beforeAll(async () => {
    doubles = await startDoubles();
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'RegionOne' });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    service = startService({ ...doublesEnv(port, doubles), VIM_INFO_CACHE_MS: '0' });
    await eventually(() => service!.output().includes('listening on'), 30_000);
  });

  afterAll(async () => {
    await killService(service);
    await stopDoubles(doubles);
  });

  /** The lines written from `from` on, with times, UUIDs and ElapsedTime normalised. */
  const linesSince = (from: number): Json[] =>
    jsonLines(service!)
      .slice(from)
      .map((line) => JSON.parse(JSON.stringify({ ...line, time: '<time>' }).replace(UUID, '<uuid>')) as Json)
      .map((line) => (typeof line.ElapsedTime === 'number' ? { ...line, ElapsedTime: '<ms>' } : line));

  const post = (headers: Record<string, string>) =>
    fetch(`${base}${CHECK}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify({ vCPU: 1, Memory: 1, Storage: 1 }) });

  it('logs the request and each outbound call with RequestID, InvocationID, PartnerName, ServiceName, TargetEntity, ResponseCode, ElapsedTime', async () => {
    const from = jsonLines(service!).length;
    const seen = { aai: doubles.aai.requests.length, cloud: doubles.openstack.requests.length };
    const response = await post({ 'X-ONAP-RequestID': 'so-req-0001', 'X-InvocationID': 'so-inv-0001', 'X-ONAP-PartnerName': 'SO' });
    expect(response.status).toBe(200);
    await eventually(() => linesSince(from).some((line) => line.message === `POST ${CHECK} 200`));

    const lines = linesSince(from);
    const call = (target: string, operation: string, status = 200) => ({
      level: 'info',
      time: '<time>',
      RequestID: 'so-req-0001',
      InvocationID: '<uuid>',
      PartnerName: 'SO',
      vimid: 'CloudOwner_RegionOne',
      ServiceName: operation,
      TargetEntity: target,
      ResponseCode: status,
      ElapsedTime: '<ms>',
      message: `${target} ${operation} ${status}`,
    });
    const calls = lines.filter((line) => line.message !== `POST ${CHECK} 200`);
    expect(calls.sort((a, b) => a.message.localeCompare(b.message))).toEqual(
      [
        call('A&AI', 'GET /aai/v13/cloud-infrastructure/cloud-regions/cloud-region/CloudOwner/RegionOne'),
        call('A&AI', 'GET /aai/v13/cloud-infrastructure/cloud-regions/cloud-region/CloudOwner/RegionOne/esr-system-info-list'),
        call('Keystone', 'POST /identity/v3/auth/tokens', 201),
        call('Nova', `GET /RegionOne/compute/v2.1/${PROJECT}/limits`),
        call('Nova', `GET /RegionOne/compute/v2.1/${PROJECT}/os-hypervisors/statistics`),
        call('Cinder', `GET /RegionOne/volume/v3/${PROJECT}/limits`),
      ].sort((a, b) => a.message.localeCompare(b.message)),
    );
    expect(lines.find((line) => line.message === `POST ${CHECK} 200`)).toEqual({
      level: 'info',
      time: '<time>',
      RequestID: 'so-req-0001',
      InvocationID: 'so-inv-0001',
      PartnerName: 'SO',
      ServiceName: 'POST /api/multicloud-starlingx/v1/:owner/:region/capacity_check',
      TargetEntity: 'multicloud-starlingx',
      ResponseCode: 200,
      ElapsedTime: '<ms>',
      vimid: 'CloudOwner_RegionOne',
      method: 'POST',
      url: CHECK,
      message: `POST ${CHECK} 200`,
    });

    // On the wire: the request id, this service's name and a fresh invocation id per call, the one logged.
    const sent = [...doubles.aai.requests.slice(seen.aai), ...doubles.openstack.requests.slice(seen.cloud)];
    expect(sent.length).toBe(calls.length);
    expect(sent.every((r) => r.headers['x-onap-requestid'] === 'so-req-0001' && r.headers['x-onap-partnername'] === 'multicloud-starlingx')).toBe(true);
    const invocations = sent.map((r) => String(r.headers['x-invocationid']));
    expect(new Set(invocations).size).toBe(sent.length);
    const logged = jsonLines(service!)
      .slice(from)
      .map((line) => line.InvocationID);
    for (const id of invocations) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(logged).toContain(id);
    }
  });

  it('takes X-RequestID, then X-TransactionID; without X-InvocationID or X-ONAP-PartnerName makes an id and says UNKNOWN', async () => {
    let from = jsonLines(service!).length;
    expect((await post({ 'X-RequestID': 'req-by-x-requestid', 'X-TransactionID': 'ignored' })).headers.get('x-onap-requestid')).toBe('req-by-x-requestid');
    await eventually(() => linesSince(from).some((line) => line.message === `POST ${CHECK} 200`));
    const first = jsonLines(service!)
      .slice(from)
      .find((line) => line.message === `POST ${CHECK} 200`)!;
    expect(first).toMatchObject({ RequestID: 'req-by-x-requestid', PartnerName: 'UNKNOWN' });
    expect(first.InvocationID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

    from = jsonLines(service!).length;
    expect((await post({ 'X-TransactionID': 'tx-0002' })).headers.get('x-onap-requestid')).toBe('tx-0002');
    await eventually(() => linesSince(from).some((line) => line.message === `POST ${CHECK} 200`));
    expect(linesSince(from).every((line) => line.RequestID === 'tx-0002')).toBe(true);
  });
});
