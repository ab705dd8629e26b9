import request from 'supertest';

import { dcmanagerSubclouds, distributedCloud } from '../servers/openstack-data';
import { Json } from '../support/aai-json';
import { PREFIX, onboardRegion, waitForJob } from '../support/regions';
import { Doubles, TestApp, serveSuite } from '../support/start-app';

// dcmanager names a subcloud's Keystone region with a 32-hex id.
const SC1 = 'bbadb3e8e2ab473792c80ef09c5a12a4';
const SC2 = '4f1c7d6a0e9b4a3c8d2e5f6a7b8c9d0e';
const SC3 = '9e8d7c6b5a4f4e3d2c1b0a9f8e7d6c5b';
const SITE_SERVICES = ['nova', 'glance', 'sysinv', 'placement'] as const;

function subcloudInfo(name: string, management = 'managed', availability = 'online'): Json {
  return { name, 'management-state': management, 'availability-status': availability, 'deploy-status': 'complete', 'software-version': '21.12' };
}

describe.each(['v16', 'v13'] as const)('dcmanager subclouds of a distributed cloud (SPEC 12), A&AI %s', (version) => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started), { aai: { version } });
  const path = `${PREFIX}/v1/CloudOwner/DC/registry`;
  const extraInfoOf = (region: string) => JSON.parse(doubles.aai.region('CloudOwner', region)!['cloud-extra-info']);
  const siteCalls = (region: string) => SITE_SERVICES.reduce((n, kind) => n + doubles.openstack.callsTo(kind, region).length, 0);
  const register = async () => {
    await request(service.http).post(path).expect(202);
    return waitForJob(service.http, path);
  };
  /** in-maint as the schema version allows: written on v16, never sent on v13. */
  const expectInMaint = (region: string, value: boolean) => {
    const held = doubles.aai.region('CloudOwner', region)!;
    if (version === 'v16') expect(held['in-maint']).toBe(value);
    else expect(held).not.toHaveProperty('in-maint');
  };

  beforeAll(async () => {
    doubles.openstack.cloud = distributedCloud([SC1, SC2, SC3]);
    doubles.openstack.cloud.dcmanager = dcmanagerSubclouds([SC1, SC2, SC3]);
    onboardRegion(doubles.aai, doubles.openstack, {
      owner: 'CloudOwner',
      region: 'DC',
      extraInfo: { 'multi-region-discovery': true, 'openstack-region-id': SC1 },
    });
    expect(await register()).toMatchObject({ code: 0, regions: ['CloudOwner_DC', `CloudOwner_DC_${SC2}`, `CloudOwner_DC_${SC3}`] });
  });

  it('records each subcloud in its region, the main one included, all in service', () => {
    expect(extraInfoOf('DC').subcloud).toEqual(subcloudInfo('subcloud1'));
    expect(extraInfoOf(`DC_${SC2}`).subcloud).toEqual(subcloudInfo('subcloud2'));
    expect(extraInfoOf(`DC_${SC3}`).subcloud).toEqual(subcloudInfo('subcloud3'));
    for (const region of ['DC', `DC_${SC2}`, `DC_${SC3}`]) expectInMaint(region, false);
    expect(doubles.openstack.callsTo('dcmanager', 'SystemController')).toHaveLength(1);
  });

  it('an unmanaged subcloud keeps its region in maintenance, its site left alone and its zones stale', async () => {
    doubles.openstack.subcloud(SC2)['management-state'] = 'unmanaged';
    const before = siteCalls(SC2);
    const status = await register();
    expect(status.code).toBe(0);
    expect(status.changes[`CloudOwner_DC_${SC2}`]).toEqual({ created: {}, updated: { 'cloud-region': 1 }, deleted: {}, unchanged: {}, kept: [], failed: [] });
    expect(status.warnings).toContain(`CloudOwner_DC_${SC2}: subcloud subcloud2 is unmanaged: its objects and audit are paused`);
    expect(doubles.aai.region('CloudOwner', `DC_${SC2}`)).toBeDefined();
    expect(extraInfoOf(`DC_${SC2}`).subcloud).toEqual(subcloudInfo('subcloud2', 'unmanaged'));
    expectInMaint(`DC_${SC2}`, true);
    expectInMaint(`DC_${SC3}`, false);
    const plan = (await request(service.http).get(`${path}/plan`).expect(200)).body;
    expect(plan.regions.find((r: Json) => r.vimid === `CloudOwner_DC_${SC2}`)).toEqual({ vimid: `CloudOwner_DC_${SC2}`, openstackRegionId: SC2, action: 'unchanged' });
    expect(siteCalls(SC2)).toBe(before);
    const check = await request(service.http).post(`${PREFIX}/v1/CloudOwner/DC_${SC2}/capacity_check`).send({ vCPU: 1, Memory: 1, Storage: 1 }).expect(200);
    expect(check.body.azCapacity).toBe('stale');
    expect(check.body.AZs.map((az: Json) => az.stale)).toEqual([true, true]);
  });

  it('a managed subcloud again leaves maintenance and is registered and audited again', async () => {
    doubles.openstack.subcloud(SC2)['management-state'] = 'managed';
    const before = siteCalls(SC2);
    const status = await register();
    expect(status).toMatchObject({ code: 0 });
    expect(status.warnings).toBeUndefined();
    expect(extraInfoOf(`DC_${SC2}`).subcloud).toEqual(subcloudInfo('subcloud2'));
    expectInMaint(`DC_${SC2}`, false);
    expect(siteCalls(SC2)).toBeGreaterThan(before);
    const check = await request(service.http).post(`${PREFIX}/v1/CloudOwner/DC_${SC2}/capacity_check`).send({ vCPU: 1, Memory: 1, Storage: 1 }).expect(200);
    expect(check.body.azCapacity).toBe('fresh');
  });

  it('an offline subcloud is in maintenance too', async () => {
    doubles.openstack.subcloud(SC3)['availability-status'] = 'offline';
    const before = siteCalls(SC3);
    expect(await register()).toMatchObject({ code: 0 });
    expect(extraInfoOf(`DC_${SC3}`).subcloud).toEqual(subcloudInfo('subcloud3', 'managed', 'offline'));
    expectInMaint(`DC_${SC3}`, true);
    expect(siteCalls(SC3)).toBe(before);
    doubles.openstack.subcloud(SC3)['availability-status'] = 'online';
    expect(await register()).toMatchObject({ code: 0 });
    expectInMaint(`DC_${SC3}`, false);
  });

  it('the main region that maps to a subcloud gets the same treatment', async () => {
    doubles.openstack.subcloud(SC1)['management-state'] = 'unmanaged';
    const before = siteCalls(SC1);
    expect(await register()).toMatchObject({ code: 0 });
    expect(extraInfoOf('DC').subcloud).toEqual(subcloudInfo('subcloud1', 'unmanaged'));
    expectInMaint('DC', true);
    expect(siteCalls(SC1)).toBe(before);
    doubles.openstack.subcloud(SC1)['management-state'] = 'managed';
    expect(await register()).toMatchObject({ code: 0 });
    expectInMaint('DC', false);
  });

  it('never sends in-maint where the schema version lacks it', () => {
    const regionPuts = doubles.aai.requests.filter((r) => r.method === 'PUT' && /\/cloud-regions\/cloud-region\/[^/]+\/[^/]+$/.test(r.path));
    expect(regionPuts.length).toBeGreaterThan(0);
    const sent = JSON.stringify(regionPuts.map((r) => r.body));
    if (version === 'v13') expect(sent).not.toContain('"in-maint"');
    else expect(sent).toContain('"in-maint":true');
  });

  it('keeps a subcloud dcmanager still lists though Keystone lost it; removes it once gone from both', async () => {
    doubles.openstack.cloud.regionIds = doubles.openstack.cloud.regionIds.filter((id) => id !== SC3);
    expect(await register()).toMatchObject({ code: 0, regions: ['CloudOwner_DC', `CloudOwner_DC_${SC2}`] });
    expect(doubles.aai.region('CloudOwner', `DC_${SC3}`)).toBeDefined();

    doubles.openstack.cloud.dcmanager!.subclouds = doubles.openstack.cloud.dcmanager!.subclouds.filter((s) => s['region-name'] !== SC3);
    const status = await register();
    expect(status).toMatchObject({ code: 0, regions: ['CloudOwner_DC', `CloudOwner_DC_${SC2}`] });
    expect(status.changes[`CloudOwner_DC_${SC3}`].deleted).toMatchObject({ 'cloud-region': 1 });
    expect(doubles.aai.region('CloudOwner', `DC_${SC3}`)).toBeUndefined();
  });
});

describe('dcmanager of an older release: subclouds matched by name', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started), { aai: { version: 'v16' } });

  it('matches Keystone regions named after their subclouds', async () => {
    doubles.openstack.cloud = distributedCloud(['subcloud-a', 'subcloud-b']);
    doubles.openstack.cloud.dcmanager = dcmanagerSubclouds(['subcloud-a', 'subcloud-b'], true);
    doubles.openstack.subcloud('subcloud-b')['availability-status'] = 'offline';
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'Old', extraInfo: { 'multi-region-discovery': true } });
    const path = `${PREFIX}/v1/CloudOwner/Old/registry`;
    await request(service.http).post(path).expect(202);
    expect(await waitForJob(service.http, path)).toMatchObject({ code: 0 });
    expect(JSON.parse(doubles.aai.region('CloudOwner', 'Old_subcloud-b')!['cloud-extra-info']).subcloud).toEqual(subcloudInfo('subcloud-b', 'managed', 'offline'));
    expect(doubles.aai.region('CloudOwner', 'Old_subcloud-b')!['in-maint']).toBe(true);
    expect(doubles.aai.region('CloudOwner', 'Old')!['in-maint']).toBe(false);
  });
});
