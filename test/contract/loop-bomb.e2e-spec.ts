import request from 'supertest';

import { HPA_ALL_ID } from '../servers/openstack-data';
import { PREFIX, onboardRegion, waitForJob } from '../support/regions';
import { Doubles, TestApp, serveSuite } from '../support/start-app';

const V1 = `${PREFIX}/v1/CloudOwner/RegionOne/registry`;

/** SPEC 11: an extra-spec value never sizes work unboundedly; the service keeps answering. */
describe('a flavor claiming 10^12 NUMA nodes', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started));

  it('registers with a warning while /samples/ keeps answering within 100 ms', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'RegionOne' });
    // A first registration warms the code up, so the probes below time only what the spec costs.
    await request(service.http).post(V1).expect(202);
    await waitForJob(service.http, V1);
    Object.assign(doubles.openstack.region('RegionOne').extraSpecs[HPA_ALL_ID], {
      'hw:numa_nodes': '1000000000000',
      'hw:numa_cpus.0': '0,1',
      'hw:numa_mem.0': '2048',
    });
    const server = service.http.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const samples = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}/samples/`;
    await request(service.http).post(V1).expect(202);
    const probes: number[] = [];
    let status: Record<string, any> | undefined;
    const job = waitForJob(service.http, V1).then((body) => (status = body));
    while (!status) {
      const started = Date.now();
      const answer = await fetch(samples);
      expect(await answer.json()).toEqual({ status: 'active' });
      probes.push(Date.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await job;
    server.close();
    expect(Math.max(...probes)).toBeLessThan(100);
    expect(status).toMatchObject({ code: 0, state: 'succeeded', warnings: [`flavor ${HPA_ALL_ID}: hw:numa_nodes 1000000000000 capped to 64`] });
    const flavor = doubles.aai.region('CloudOwner', 'RegionOne')!.flavors.flavor.find((f: any) => f['flavor-id'] === HPA_ALL_ID);
    const numa = flavor['hpa-capabilities']['hpa-capability'].find((c: any) => c['hpa-feature'] === 'numa');
    expect(numa['hpa-feature-attributes'].map((a: any) => [a['hpa-attribute-key'], a['hpa-attribute-value']])).toEqual([
      ['numaNodes', '{"value":"64"}'],
      ['numaCpu-0', '{"value":"0,1"}'],
      ['numaMem-0', '{"value":"2048","unit":"MB"}'],
    ]);
  });
});
