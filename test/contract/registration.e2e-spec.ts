import request from 'supertest';

import { fixture } from '../servers/openstack-data';
import { Json, items } from '../support/aai-json';
import {
  PREFIX,
  SAMPLE_COUNTS,
  endedJob,
  firstChanges,
  noChanges,
  onboardRegion,
  registerCloudOwnerRegion,
  registered,
  runningJob,
  unregistered,
  waitForJob,
} from '../support/regions';
import { Doubles, TestApp, serveSuite } from '../support/start-app';

const OWNER = 'CloudOwner';
const REGION = 'RegionOne';
const V1 = `${PREFIX}/v1/${OWNER}/${REGION}/registry`;
const PASSWORD = 'os-secret-password';

/** What a relationship looks like in A&AI, reduced to what a test compares. */
function related(object: Json | undefined): string[] {
  return (object?.['relationship-list']?.relationship ?? []).map((r: Json) => `${r['related-to']} ${r['related-link']}`).sort();
}

/** hpa-capabilities of a flavor as {feature: {architecture, version, attributes}}. */
function capabilitiesOf(flavor: Json): Record<string, { architecture: string; version: string; attributes: Record<string, Json> }> {
  return Object.fromEntries(
    items(flavor, 'hpa-capabilities', 'hpa-capability').map((c) => [
      c['hpa-feature'],
      {
        architecture: c.architecture,
        version: c['hpa-version'],
        attributes: Object.fromEntries((c['hpa-feature-attributes'] ?? []).map((a: Json) => [a['hpa-attribute-key'], JSON.parse(a['hpa-attribute-value'])])),
      },
    ]),
  );
}

describe('POST /v1/{owner}/{region}/registry', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started), { aai: { version: 'v13' } });

  describe('a region registered on v1', () => {
    let region: Json;
    let status: Json;

    beforeAll(async () => {
      onboardRegion(doubles.aai, doubles.openstack, { owner: OWNER, region: REGION });
      await request(service.http).post(V1).expect(202);
      const running = await request(service.http).get(V1).expect(200);
      expect([runningJob('register'), registered('CloudOwner_RegionOne')]).toContainEqual(running.body);
      status = await waitForJob(service.http, V1);
      region = doubles.aai.region(OWNER, REGION)!;
    });

    it('ends with the plugin-compatible status and per-step counts', () => {
      expect(status).toEqual(
        endedJob('register', 0, 'Registration finished for Cloud Region: CloudOwner_RegionOne', {
          regions: ['CloudOwner_RegionOne'],
          counts: { tenants: 8, flavors: 8, hpaCapabilities: 14, images: 3, availabilityZones: 2, pservers: 3 },
          changes: { CloudOwner_RegionOne: firstChanges() },
        }),
      );
      expect(Date.parse(status.finishedAt)).toBeGreaterThanOrEqual(Date.parse(status.startedAt));
    });

    it('points identity-url at its own proxy and keeps what ESR wrote', () => {
      expect(region['identity-url']).toBe(`http://127.0.0.1:${doubles.k8s.port}/api/multicloud-starlingx/v1/CloudOwner/RegionOne/identity/v2.0`);
      expect(region).toMatchObject({
        'cloud-type': 'openstack',
        'cloud-region-version': 'titanium_cloud',
        'complex-name': 'clli1',
        'cloud-zone': 'CloudZone',
        'owner-defined-type': 't1',
        'cloud-epa-caps': 'RegionOne',
      });
      const [esr] = items(region, 'esr-system-info-list', 'esr-system-info');
      expect(esr).toMatchObject({ 'user-name': 'admin', password: PASSWORD, 'default-tenant': 'admin', 'system-type': 'VIM' });
      expect(esr['openstack-region-id']).toBeUndefined();
    });

    it('writes every Keystone project as a tenant', () => {
      const expected = fixture('keystone-v3-projects-list.json').projects.map((p: Json) => ({
        'tenant-id': p.id,
        'tenant-name': p.name,
      }));
      const tenants = items(region, 'tenants', 'tenant').map((t) => ({ 'tenant-id': t['tenant-id'], 'tenant-name': t['tenant-name'] }));
      expect(tenants.sort(byKey('tenant-id'))).toEqual(expected.sort(byKey('tenant-id')));
    });

    it('writes every Nova flavor with its Nova 2.1 fields', () => {
      const flavors = items(region, 'flavors', 'flavor');
      const nova = doubles.openstack.region('RegionOne').flavors;
      expect(flavors).toHaveLength(nova.length);
      for (const source of nova) {
        const flavor = flavors.find((f) => f['flavor-id'] === source.id)!;
        expect(flavor).toMatchObject({
          'flavor-name': source.name,
          'flavor-vcpus': source.vcpus,
          'flavor-ram': source.ram,
          'flavor-disk': source.disk,
          'flavor-ephemeral': source['OS-FLV-EXT-DATA:ephemeral'],
          'flavor-swap': String(source.swap),
          'flavor-is-public': source['os-flavor-access:is_public'],
          'flavor-disabled': source['OS-FLV-DISABLED:disabled'],
          'flavor-selflink': source.links[0]?.href ?? 'http://0.0.0.0',
        });
        if (!source.name.startsWith('onap.')) expect(flavor['hpa-capabilities']).toBeUndefined();
      }
    });

    it('derives every HPA feature of onap.hpa.medium (the tutorial flavor)', () => {
      const flavor = items(region, 'flavors', 'flavor').find((f) => f['flavor-id'] === '110')!;
      expect(capabilitiesOf(flavor)).toEqual({
        basicCapabilities: {
          architecture: 'generic',
          version: 'v1',
          attributes: { numVirtualCpu: { value: '6' }, virtualMemSize: { value: '4096', unit: 'MB' } },
        },
        cpuPinning: {
          architecture: 'generic',
          version: 'v1',
          attributes: { logicalCpuThreadPinningPolicy: { value: 'prefer' }, logicalCpuPinningPolicy: { value: 'dedicated' } },
        },
        cpuTopology: {
          architecture: 'generic',
          version: 'v1',
          attributes: { numCpuSockets: { value: '2' }, numCpuCores: { value: '4' }, numCpuThreads: { value: '8' } },
        },
        hugePages: { architecture: 'generic', version: 'v1', attributes: { memoryPageSize: { value: '2', unit: 'MB' } } },
        numa: {
          architecture: 'generic',
          version: 'v1',
          attributes: {
            numaNodes: { value: '2' },
            'numaCpu-0': { value: '0,1' },
            'numaMem-0': { value: '2048', unit: 'MB' },
            'numaCpu-1': { value: '2,3,4,5' },
            'numaMem-1': { value: '2048', unit: 'MB' },
          },
        },
        localStorage: {
          architecture: 'generic',
          version: 'v1',
          attributes: {
            diskSize: { value: '0', unit: 'GB' },
            swapMemSize: { value: '0', unit: 'MB' },
            ephemeralDiskSize: { value: '0', unit: 'GB' },
          },
        },
        ovsDpdk: { architecture: 'Intel64', version: 'v1', attributes: { dataProcessingAccelerationLibrary: { value: 'v17.02' } } },
      });
      const attribute = flavor['hpa-capabilities']['hpa-capability'][0]['hpa-feature-attributes'][0]['hpa-attribute-value'];
      expect(attribute).toBe('{"value":"6"}');
    });

    it('derives the other HPA features from onap.hpa.all', () => {
      const flavor = items(region, 'flavors', 'flavor').find((f) => f['flavor-id'] === '111')!;
      expect(capabilitiesOf(flavor)).toEqual({
        basicCapabilities: {
          architecture: 'generic',
          version: 'v1',
          attributes: { numVirtualCpu: { value: '8' }, virtualMemSize: { value: '8192', unit: 'MB' } },
        },
        hugePages: { architecture: 'generic', version: 'v1', attributes: { memoryPageSize: { value: '1048576', unit: 'KB' } } },
        localStorage: {
          architecture: 'generic',
          version: 'v1',
          attributes: {
            diskSize: { value: '40', unit: 'GB' },
            swapMemSize: { value: '1024', unit: 'MB' },
            ephemeralDiskSize: { value: '10', unit: 'GB' },
          },
        },
        instructionSetExtensions: {
          architecture: 'Intel64',
          version: 'v1',
          attributes: { instructionSetExtensions: { value: 'avx,avx2,sse4.2' } },
        },
        pciePassthrough: {
          architecture: 'Intel64',
          version: 'v1',
          attributes: { pciCount: { value: '2' }, pciVendorId: { value: '8086' }, pciDeviceId: { value: '0443' } },
        },
        sriovNICNetwork: {
          architecture: 'Intel64',
          version: 'v1',
          attributes: {
            pciCount: { value: '4' },
            pciVendorId: { value: '8086' },
            pciDeviceId: { value: '154C' },
            physicalNetwork: { value: 'phys-net-1' },
          },
        },
        ovsDpdk: { architecture: 'Intel64', version: 'v1', attributes: { dataProcessingAccelerationLibrary: { value: 'v17.02' } } },
      });
      expect(flavor['flavor-selflink']).toBe('http://0.0.0.0');
    });

    it('writes every Glance image, "Unknown" standing in for a missing OS', () => {
      const images = items(region, 'images', 'image');
      expect(images.map((i) => i['image-id']).sort()).toEqual(
        doubles.openstack
          .region('RegionOne')
          .images.map((i) => i.id)
          .sort(),
      );
      expect(images.find((i) => i['image-id'] === '1bea47ed-f6a9-463b-b423-14b9cca9ad27')).toMatchObject({
        'image-name': 'cirros-0.3.2-x86_64-disk',
        'image-selflink': '/v2/images/1bea47ed-f6a9-463b-b423-14b9cca9ad27',
        'image-os-distro': 'Unknown',
        'image-os-version': 'Unknown',
      });
      expect(images.find((i) => i['image-name'] === 'ubuntu-18.04-vnf')).toMatchObject({
        'image-os-distro': 'ubuntu',
        'image-os-version': '18.04',
        application: 'vFW',
        'application-vendor': 'ONAP',
        'application-version': '1.0',
        'image-architecture': 'x86_64',
      });
    });

    it('writes the availability zones but internal, with string operational-status', () => {
      const zones = items(region, 'availability-zones', 'availability-zone');
      expect(zones.map((z) => [z['availability-zone-name'], z['operational-status'], z['hypervisor-type']]).sort()).toEqual([
        ['az2', 'true', 'QEMU'],
        ['nova', 'true', 'QEMU'],
      ]);
    });

    it('writes a pserver per zone host, related to its zone and to the region (both ends)', () => {
      const link = `/aai/v13/cloud-infrastructure/cloud-regions/cloud-region/${OWNER}/${REGION}`;
      const hosts: Array<[string, string]> = [
        ['compute', 'nova'],
        ['compute-1', 'az2'],
        ['compute-2', 'az2'],
      ];
      for (const [host, zone] of hosts) {
        const pserver = doubles.aai.pserver(`CloudOwner_RegionOne_${host}`)!;
        expect(pserver).toMatchObject({ hostname: `CloudOwner_RegionOne_${host}`, 'pserver-id': host, 'in-maint': false });
        expect(pserver['server-selflink']).toBeUndefined();
        expect(related(pserver)).toEqual([`availability-zone ${link}/availability-zones/availability-zone/${zone}`, `cloud-region ${link}`].sort());
      }
      expect(related(region)).toEqual(hosts.map(([host]) => `pserver /aai/v13/cloud-infrastructure/pservers/pserver/CloudOwner_RegionOne_${host}`).sort());
      const az2 = items(region, 'availability-zones', 'availability-zone').find((z) => z['availability-zone-name'] === 'az2');
      expect(related(az2)).toEqual([
        'pserver /aai/v13/cloud-infrastructure/pservers/pserver/CloudOwner_RegionOne_compute-1',
        'pserver /aai/v13/cloud-infrastructure/pservers/pserver/CloudOwner_RegionOne_compute-2',
      ]);
    });

    it('sends every A&AI request with basic auth, X-FromAppId and its own X-TransactionId', () => {
      const calls = doubles.aai.requests.filter((r) => r.headers['x-fromappid'] !== undefined);
      expect(calls.length).toBeGreaterThan(20);
      for (const call of calls) {
        expect(call.headers.authorization).toBe(`Basic ${Buffer.from('AAI:AAI').toString('base64')}`);
        expect(call.headers['x-fromappid']).toBe('MultiCloud-Starlingx');
        expect(call.headers.accept).toBe('application/json');
      }
      const ids = calls.map((c) => c.headers['x-transactionid']);
      expect(new Set(ids).size).toBe(ids.length);
      ids.forEach((id) => expect(id).toMatch(/^[0-9a-f-]{36}$/));
    });

    it('asks Nova for microversion 2.1 on every compute call but the flavor list, at 2.61 where the version document allows it', () => {
      const nova = doubles.openstack.callsTo('nova');
      expect(nova.length).toBeGreaterThan(3);
      const versionOf = (call: (typeof nova)[number]) => call.headers['x-openstack-nova-api-version'];
      const [flavors, versionDocument, others] = [
        nova.filter((call) => call.path.endsWith('/flavors/detail')),
        nova.filter((call) => call.path.endsWith('/compute/v2.1/')),
        nova.filter((call) => !call.path.endsWith('/flavors/detail') && !call.path.endsWith('/compute/v2.1/')),
      ];
      expect(flavors.map(versionOf)).toEqual(['2.61']);
      expect(versionDocument).toHaveLength(1);
      expect(others.length).toBeGreaterThan(2);
      others.forEach((call) => expect(versionOf(call)).toBe('2.1'));
      // The extra specs came embedded: no per-flavor extra-spec call.
      expect(nova.filter((call) => call.path.endsWith('/os-extra_specs'))).toEqual([]);
    });

    it("falls back to 2.1 and each onap flavor's extra specs where Nova stops below 2.61, with the same result", async () => {
      doubles.openstack.behaviour.novaMaxMicroversion = '2.60';
      const oldNova = `${PREFIX}/v1/CloudOwner/OldNova/registry`;
      try {
        onboardRegion(doubles.aai, doubles.openstack, { owner: OWNER, region: 'OldNova' });
        const flavorCalls = async () => {
          const before = doubles.openstack.requests.length;
          expect(await registerCloudOwnerRegion(service.http, 'OldNova')).toMatchObject({ code: 0, counts: status.counts });
          const calls = doubles.openstack.requests.slice(before);
          return {
            extraSpecs: calls.filter((call) => call.path.endsWith('/os-extra_specs')).length,
            lists: calls.filter((call) => call.path.endsWith('/flavors/detail')).map((call) => call.headers['x-openstack-nova-api-version']),
          };
        };
        // The version document read for RegionOne said 2.96: Nova's 406 to 2.61 turns it to 2.1 at once.
        expect(await flavorCalls()).toEqual({ extraSpecs: 2, lists: ['2.61', '2.1'] });
        // Read again, the version document says 2.60: 2.1 from the start.
        expect(await flavorCalls()).toEqual({ extraSpecs: 2, lists: ['2.1'] });
        const capabilities = (region: string) =>
          items(doubles.aai.region(OWNER, region)!, 'flavors', 'flavor')
            .map((f) => [f['flavor-id'], capabilitiesOf(f)])
            .sort();
        expect(capabilities('OldNova')).toEqual(capabilities(REGION));
      } finally {
        doubles.openstack.behaviour.novaMaxMicroversion = '2.96';
        await request(service.http).delete(oldNova).expect(204);
        await waitForJob(service.http, oldNova);
      }
    });

    it('signs in to Keystone once for the whole job', () => {
      expect(doubles.openstack.tokenRequests()).toBe(1);
    });

    it('registering twice changes nothing: no duplicate, and no A&AI write at all', async () => {
      const before = doubles.aai.region(OWNER, REGION)!;
      const firstRequest = doubles.aai.requests.length;
      await request(service.http).post(V1).expect(202);
      const again = await waitForJob(service.http, V1);
      expect(again).toEqual(registered('CloudOwner_RegionOne', status.counts, undefined, { CloudOwner_RegionOne: noChanges(status.counts) }));
      const after = doubles.aai.region(OWNER, REGION)!;
      const ids = (r: Json) =>
        items(r, 'flavors', 'flavor')
          .flatMap((f) => items(f, 'hpa-capabilities', 'hpa-capability').map((c) => `${f['flavor-id']}/${c['hpa-capability-id']}`))
          .sort();
      expect(ids(after)).toEqual(ids(before));
      expect(ids(after)).toHaveLength(14);
      for (const [wrapper, item] of [
        ['tenants', 'tenant'],
        ['flavors', 'flavor'],
        ['images', 'image'],
        ['availability-zones', 'availability-zone'],
      ]) {
        expect(items(after, wrapper, item)).toHaveLength(items(before, wrapper, item).length);
      }
      expect(doubles.aai.pserverNames().sort()).toEqual(['CloudOwner_RegionOne_compute', 'CloudOwner_RegionOne_compute-1', 'CloudOwner_RegionOne_compute-2']);
      // A&AI already held everything: the second run only read (SPEC 7).
      expect(doubles.aai.requests.slice(firstRequest).filter((r) => r.method !== 'GET')).toEqual([]);
      expect(after).toEqual(before);
    });

    it('un-registers: A&AI is left empty and the status says so', async () => {
      await request(service.http).delete(V1).expect(204);
      const running = await request(service.http).get(V1).expect(200);
      expect([runningJob('unregister'), unregistered('CloudOwner_RegionOne')]).toContainEqual(running.body);
      const done = await waitForJob(service.http, V1);
      expect(done).toEqual(unregistered('CloudOwner_RegionOne'));
      expect(doubles.aai.isEmpty()).toBe(true);
      const deletes = doubles.aai.requests.filter((r) => r.method === 'DELETE' && !r.path.endsWith('/relationship'));
      expect(deletes.length).toBeGreaterThan(30);
      deletes.forEach((call) => expect(call.query.get('resource-version')).toMatch(/^\d+$/));
    });
  });

  describe('the same on v0', () => {
    const V0 = `${PREFIX}/v0/CloudOwner_RegionOne/registry`;

    it('registers with a v0 identity-url, then un-registers to empty', async () => {
      onboardRegion(doubles.aai, doubles.openstack, { owner: OWNER, region: REGION });
      await request(service.http).post(V0).expect(202);
      expect(await waitForJob(service.http, V0)).toEqual(registered('CloudOwner_RegionOne'));
      const region = doubles.aai.region(OWNER, REGION)!;
      expect(region['identity-url']).toBe(`http://127.0.0.1:${doubles.k8s.port}/api/multicloud-starlingx/v0/CloudOwner_RegionOne/identity/v2.0`);
      expect(items(region, 'flavors', 'flavor')).toHaveLength(8);
      expect(doubles.aai.pserverNames()).toHaveLength(3);
      await request(service.http).delete(V0).expect(204);
      expect(await waitForJob(service.http, V0)).toEqual(unregistered('CloudOwner_RegionOne'));
      expect(doubles.aai.isEmpty()).toBe(true);
    });
  });

  describe('a region A&AI does not have', () => {
    it('ends with code 10', async () => {
      const path = `${PREFIX}/v1/CloudOwner/Missing/registry`;
      await request(service.http).post(path).expect(202);
      expect(await waitForJob(service.http, path)).toEqual(endedJob('register', 10, 'Cloud Region not found in AAI: CloudOwner_Missing'));
      await request(service.http).delete(path).expect(204);
      expect(await waitForJob(service.http, path)).toEqual(endedJob('unregister', 10, 'Cloud Region not found in AAI: CloudOwner_Missing'));
    });
  });

  describe('a wrong Keystone password', () => {
    it('fails clearly, never shows the password, and the service keeps serving', async () => {
      onboardRegion(doubles.aai, doubles.openstack, { owner: OWNER, region: 'WrongPass', password: 'not-the-password' });
      const path = `${PREFIX}/v1/CloudOwner/WrongPass/registry`;
      await request(service.http).post(path).expect(202);
      const status = await waitForJob(service.http, path);
      expect(status).toEqual(
        endedJob(
          'register',
          401,
          `Registration failed for Cloud Region: CloudOwner_WrongPass: Keystone sign-in failed: Keystone POST ${doubles.openstack.keystoneV3}/auth/tokens answered 401: The request you have made requires authentication.`,
        ),
      );
      expect(JSON.stringify(status)).not.toContain('not-the-password');
      expect(service.logs.lines.join('\n')).not.toContain('not-the-password');
      expect(service.logs.lines.join('\n')).not.toContain(PASSWORD);

      await request(service.http).get('/samples/').expect(200);
      onboardRegion(doubles.aai, doubles.openstack, { owner: OWNER, region: 'GoodPass' });
      const good = `${PREFIX}/v1/CloudOwner/GoodPass/registry`;
      await request(service.http).post(good).expect(202);
      expect(await waitForJob(service.http, good)).toEqual(registered('CloudOwner_GoodPass'));
      await request(service.http).delete(good).expect(204);
      expect(await waitForJob(service.http, good)).toEqual(unregistered('CloudOwner_GoodPass'));
      await request(service.http).delete(path).expect(204);
      expect(await waitForJob(service.http, path)).toEqual(unregistered('CloudOwner_WrongPass'));
    });
  });
});

describe('Keystone scoping and versions', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started), { aai: { version: 'v13' } });

  function scopes(): Json[] {
    return doubles.openstack.requests
      .filter((r) => r.method === 'POST' && r.path.endsWith('/tokens'))
      .map((r) => (r.body as Json).auth.scope?.project ?? { tenantId: (r.body as Json).auth.tenantId, tenantName: (r.body as Json).auth.tenantName });
  }

  function register(region: string, headers: Record<string, string> = {}): Promise<Json> {
    return registerCloudOwnerRegion(service.http, region, headers);
  }

  it('scopes to the Project header as a project id', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'ById' });
    const demo = doubles.openstack.cloud.projects.find((p) => p.name === 'demo')!;
    expect(await register('ById', { Project: demo.id })).toEqual(registered('CloudOwner_ById'));
    expect(scopes().at(-1)).toEqual({ id: demo.id });
  });

  it('falls back to the Project header as a project name', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'ByName' });
    const before = scopes().length;
    expect(await register('ByName', { Project: 'demo' })).toEqual(registered('CloudOwner_ByName'));
    expect(scopes().slice(before)).toEqual([{ id: 'demo' }, { name: 'demo', domain: { name: 'Default' } }]);
  });

  it('falls back to the default tenant when the header names no project', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'ByDefault' });
    const before = scopes().length;
    expect(await register('ByDefault', { Project: 'no-such-project' })).toEqual(registered('CloudOwner_ByDefault'));
    expect(scopes().slice(before)).toEqual([{ id: 'no-such-project' }, { name: 'no-such-project', domain: { name: 'Default' } }, { name: 'admin', domain: { name: 'Default' } }]);
  });

  it('scopes to a defaultTenant in the body when no Project header is given (id, else name, else the default tenant)', async () => {
    const [admin, demo] = ['admin', 'demo'].map((name) => doubles.openstack.cloud.projects.find((p) => p.name === name)!);
    // Only the token's own project can be listed, so the one tenant in A&AI is the scope.
    doubles.openstack.behaviour.forbidProjects = true;
    const tenantsAfter = async (region: string, body: string, headers: Record<string, string> = {}) => {
      onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region });
      const path = `${PREFIX}/v1/CloudOwner/${region}/registry`;
      await request(service.http)
        .post(path)
        .set({ 'Content-Type': 'application/json', ...headers })
        .send(body)
        .expect(202);
      expect(await waitForJob(service.http, path)).toEqual(registered(`CloudOwner_${region}`, { ...SAMPLE_COUNTS, tenants: 1 }));
      return items(doubles.aai.region('CloudOwner', region), 'tenants', 'tenant').map((t) => [t['tenant-id'], t['tenant-name']]);
    };
    try {
      expect(await tenantsAfter('BodyId', JSON.stringify({ defaultTenant: demo.id }))).toEqual([[demo.id, 'demo']]);
      expect(await tenantsAfter('BodyName', 'defaultTenant=demo')).toEqual([[demo.id, 'demo']]);
      expect(await tenantsAfter('BodyUnknown', '{"defaultTenant": "nope"}')).toEqual([[admin.id, 'admin']]);
      expect(await tenantsAfter('BodyAndHeader', `defaultTenant=${demo.id}`, { Project: 'admin' })).toEqual([[admin.id, 'admin']]);
    } finally {
      doubles.openstack.behaviour.forbidProjects = false;
    }
  });

  it('signs in to a Keystone v2.0 service-url', async () => {
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'KeystoneV2', serviceUrl: doubles.openstack.keystoneV2 });
    const status = await register('KeystoneV2');
    expect(status).toEqual(registered('CloudOwner_KeystoneV2', { tenants: 8, flavors: 8, hpaCapabilities: 14, images: 3, availabilityZones: 2, pservers: 3 }));
    expect(doubles.openstack.requests.some((r) => r.path === '/identity/v2.0/tokens')).toBe(true);
    expect(doubles.openstack.requests.some((r) => r.path === '/identity/v2.0/tenants')).toBe(true);
  });

  it("writes the token's own project as the only tenant when listing projects is forbidden", async () => {
    doubles.openstack.behaviour.forbidProjects = true;
    try {
      onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'NoAdmin' });
      expect(await register('NoAdmin')).toEqual(registered('CloudOwner_NoAdmin', { ...SAMPLE_COUNTS, tenants: 1 }));
      const admin = doubles.openstack.cloud.projects.find((p) => p.name === 'admin')!;
      expect(items(doubles.aai.region('CloudOwner', 'NoAdmin'), 'tenants', 'tenant').map((t) => [t['tenant-id'], t['tenant-name']])).toEqual([[admin.id, 'admin']]);
    } finally {
      doubles.openstack.behaviour.forbidProjects = false;
    }
  });
});

function byKey(key: string) {
  return (a: Json, b: Json) => String(a[key]).localeCompare(String(b[key]));
}
