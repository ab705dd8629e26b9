import { AaiObject } from './aai-object';
import { pserverBody } from './pserver';
import { DesiredObjects, HeldObjects, emptyHeld, planObjects, pserversToRead, summarizePlan } from './reconcile-plan';
import { VimId } from './vim-id';

const VIM = VimId.of('Owner', 'RegionOne');
const REGION = '/cloud-infrastructure/cloud-regions/cloud-region/Owner/RegionOne';

const capability = (id: string, value: string): AaiObject => ({
  'hpa-capability-id': id,
  'hpa-feature': 'basicCapabilities',
  'hpa-version': 'v1',
  architecture: 'generic',
  'hpa-feature-attributes': [{ 'hpa-attribute-key': 'numVirtualCpu', 'hpa-attribute-value': `{"value":"${value}"}` }],
});
const flavor = (id: string, name: string, capabilities?: AaiObject[]): AaiObject => ({
  'flavor-id': id,
  'flavor-name': name,
  'flavor-vcpus': 2,
  'flavor-is-public': true,
  ...(capabilities ? { 'hpa-capabilities': { 'hpa-capability': capabilities } } : {}),
});
const zone = (name: string): AaiObject => ({ 'availability-zone-name': name, 'hypervisor-type': 'QEMU', 'operational-status': 'true' });
const pserverLink = (host: string) => ({ 'related-to': 'pserver', 'related-link': `/aai/v13/cloud-infrastructure/pservers/pserver/Owner_RegionOne_${host}` });
const vserverLink = {
  'related-to': 'vserver',
  'related-link': '/aai/v13/cloud-infrastructure/cloud-regions/cloud-region/Owner/RegionOne/tenants/tenant/t1/vservers/vserver/vm1',
  'relationship-data': [
    { 'relationship-key': 'tenant.tenant-id', 'relationship-value': 't1' },
    { 'relationship-key': 'vserver.vserver-id', 'relationship-value': 'vm1' },
  ],
  'related-to-property': [{ 'property-key': 'vserver.vserver-name', 'property-value': 'vs-1' }],
};

function desired(): DesiredObjects {
  return {
    tenant: [{ 'tenant-id': 't1', 'tenant-name': 'admin' }],
    flavor: [flavor('f1', 'small'), flavor('f2', 'onap.large', [capability('c1', '4')])],
    image: [{ 'image-id': 'i1', 'image-name': 'cirros', 'image-os-distro': 'Unknown' }],
    'availability-zone': [zone('nova')],
    pserver: [pserverBody('v13', VIM, 'compute-0', 'nova')],
  };
}

/** What A&AI holds after registering `desired()`: resource-versions on everything, edges both ways. */
function held(): HeldObjects {
  const rv = (object: AaiObject): AaiObject => ({ ...object, 'resource-version': '1' });
  const wanted = desired();
  return {
    region: { 'cloud-owner': 'Owner', 'relationship-list': { relationship: [pserverLink('compute-0')] } },
    children: {
      tenant: wanted.tenant.map(rv),
      flavor: [rv(flavor('f1', 'small')), rv(flavor('f2', 'onap.large', [rv(capability('c1', '4'))]))],
      image: wanted.image.map(rv),
      'availability-zone': [{ ...rv(zone('nova')), 'relationship-list': { relationship: [pserverLink('compute-0')] } }],
    },
    pservers: new Map(),
  };
}

const brief = (plan: ReturnType<typeof planObjects>) => plan.changes.map((c) => `${c.action} ${c.kind} ${c.id}`);

describe('planObjects', () => {
  it('creates everything into an empty A&AI, parents before children, a new flavor with its capabilities in one write', () => {
    const plan = planObjects(VIM, desired(), emptyHeld());
    expect(brief(plan)).toEqual([
      'create tenant t1',
      'create flavor f1',
      'create flavor f2',
      'create image i1',
      'create availability-zone nova',
      'create pserver Owner_RegionOne_compute-0',
    ]);
    expect(plan.changes.find((c) => c.kind === 'flavor' && c.id === 'f2')).toEqual({
      kind: 'flavor',
      id: 'f2',
      action: 'create',
      uri: `${REGION}/flavors/flavor/f2`,
      desired: flavor('f2', 'onap.large', [capability('c1', '4')]),
      includes: [
        {
          kind: 'hpa-capability',
          id: 'f2/c1',
          action: 'create',
          uri: `${REGION}/flavors/flavor/f2/hpa-capabilities/hpa-capability/c1`,
          desired: capability('c1', '4'),
        },
      ],
    });
    expect(summarizePlan(VIM, 'RegionOne', 'create', plan).create).toEqual({
      tenant: ['t1'],
      flavor: ['f1', 'f2'],
      'hpa-capability': ['f2/c1'],
      image: ['i1'],
      'availability-zone': ['nova'],
      pserver: ['Owner_RegionOne_compute-0'],
    });
    expect(plan.unchanged).toEqual({});
  });

  it('finds nothing to write when A&AI holds what the cloud has, in the schema types, beside properties others wrote', () => {
    const state = held();
    state.children.flavor[0] = { ...state.children.flavor[0], 'flavor-vcpus': '2', 'flavor-is-public': 'true', 'written-by-others': 'x' };
    state.children.tenant[0] = { ...state.children.tenant[0], vservers: { vserver: [{ 'vserver-id': 'vm1' }] } };
    const plan = planObjects(VIM, desired(), state);
    expect(plan.changes).toEqual([]);
    expect(plan.unchanged).toEqual({ tenant: 1, flavor: 2, 'hpa-capability': 1, image: 1, 'availability-zone': 1, pserver: 1 });
    expect(plan.kept).toEqual([]);
  });

  it('updates a renamed flavor with what A&AI holds beside it', () => {
    const cloud = desired();
    cloud.flavor[0] = flavor('f1', 'small-renamed');
    const plan = planObjects(VIM, cloud, held());
    expect(plan.changes).toEqual([
      {
        kind: 'flavor',
        id: 'f1',
        action: 'update',
        uri: `${REGION}/flavors/flavor/f1`,
        desired: flavor('f1', 'small-renamed'),
        held: { ...flavor('f1', 'small'), 'resource-version': '1' },
      },
    ]);
  });

  it('deletes a removed flavor after its capabilities', () => {
    const cloud = desired();
    cloud.flavor = [cloud.flavor[0]];
    expect(brief(planObjects(VIM, cloud, held()))).toEqual(['delete hpa-capability f2/c1', 'delete flavor f2']);
  });

  it('follows a changed extra spec: a capability updated, one added, one removed', () => {
    const cloud = desired();
    cloud.flavor[1] = flavor('f2', 'onap.large', [capability('c1', '8'), capability('c9', '1')]);
    const state = held();
    state.children.flavor[1] = { ...flavor('f2', 'onap.large', [capability('c1', '4'), capability('c2', '4')]), 'resource-version': '1' };
    expect(brief(planObjects(VIM, cloud, state))).toEqual(['update hpa-capability f2/c1', 'create hpa-capability f2/c9', 'delete hpa-capability f2/c2']);
  });

  it('keeps a removed flavor a vserver is related to, with its capabilities', () => {
    const cloud = desired();
    cloud.flavor = [cloud.flavor[0]];
    const state = held();
    state.children.flavor[1] = { ...state.children.flavor[1], 'relationship-list': { relationship: [vserverLink] } };
    const plan = planObjects(VIM, cloud, state);
    expect(plan.changes).toEqual([]);
    expect(plan.kept).toEqual([{ kind: 'flavor', id: 'f2', reason: 'vserver vs-1 (tenant admin)' }]);
  });

  it('deletes a removed tenant, and keeps one holding vservers', () => {
    const state = held();
    state.children.tenant.push({ 'tenant-id': 't2', 'tenant-name': 'gone', 'resource-version': '7' });
    state.children.tenant.push({ 'tenant-id': 't3', 'tenant-name': 'busy', 'resource-version': '8', vservers: { vserver: [{ 'vserver-id': 'a' }, { 'vserver-id': 'b' }] } });
    const plan = planObjects(VIM, desired(), state);
    expect(plan.changes).toEqual([
      { kind: 'tenant', id: 't2', action: 'delete', uri: `${REGION}/tenants/tenant/t2`, held: { 'tenant-id': 't2', 'tenant-name': 'gone', 'resource-version': '7' } },
    ]);
    expect(plan.kept).toEqual([{ kind: 'tenant', id: 't3', reason: '2 vservers: a (tenant busy), b (tenant busy)' }]);
  });

  it('creates an added image, deletes a removed one, keeps one a vserver uses', () => {
    const cloud = desired();
    cloud.image = [{ 'image-id': 'i2', 'image-name': 'ubuntu', 'image-os-distro': 'Unknown' }];
    const state = held();
    state.children.image.push({ 'image-id': 'i3', 'image-name': 'used', 'resource-version': '1', 'relationship-list': { relationship: [vserverLink] } });
    const plan = planObjects(VIM, cloud, state);
    expect(brief(plan)).toEqual(['create image i2', 'delete image i1']);
    expect(plan.kept).toEqual([{ kind: 'image', id: 'i3', reason: 'vserver vs-1 (tenant admin)' }]);
  });

  it('moves a host to another zone: one pserver update, the old zone deleted after it', () => {
    const cloud = desired();
    cloud['availability-zone'] = [zone('az2')];
    cloud.pserver = [pserverBody('v13', VIM, 'compute-0', 'az2')];
    const state = held();
    const nova = { 'related-to': 'availability-zone', 'related-link': `/aai/v13${REGION}/availability-zones/availability-zone/nova` };
    const complex = { 'related-to': 'complex', 'related-link': '/aai/v13/cloud-infrastructure/complexes/complex/clli1' };
    state.pservers.set('Owner_RegionOne_compute-0', {
      hostname: 'Owner_RegionOne_compute-0',
      'resource-version': '5',
      'relationship-list': { relationship: [{ 'related-to': 'cloud-region', 'related-link': `/aai/v13${REGION}` }, nova, complex] },
    });
    const plan = planObjects(VIM, cloud, state);
    expect(brief(plan)).toEqual(['create availability-zone az2', 'update pserver Owner_RegionOne_compute-0', 'delete availability-zone nova']);
    // Its own edges one by one: the new zone's added, the old one's removed; the complex's untouched.
    const pserverUri = '/cloud-infrastructure/pservers/pserver/Owner_RegionOne_compute-0';
    expect(plan.changes[1].edges).toEqual([
      {
        action: 'relate',
        uri: pserverUri,
        relationship: cloud.pserver[0]['relationship-list'] && (cloud.pserver[0]['relationship-list'] as { relationship: AaiObject[] }).relationship[0],
      },
      { action: 'unrelate', uri: pserverUri, relationship: nova },
    ]);
  });

  it('does not write a pserver whose read failed, nor one another system named', () => {
    const cloud = desired();
    cloud.pserver = [pserverBody('v13', VIM, 'compute-0', 'az2')];
    const state = held();
    state.unread = new Set(['Owner_RegionOne_compute-0']);
    state.children['availability-zone'][0]['relationship-list'] = {
      relationship: [pserverLink('compute-0'), { 'related-to': 'pserver', 'related-link': '/aai/v13/cloud-infrastructure/pservers/pserver/rack7-host3' }],
    };
    const plan = planObjects(VIM, cloud, state);
    expect(brief(plan).filter((line) => line.includes('pserver'))).toEqual([]);
    expect(plan.kept).toEqual([{ kind: 'pserver', id: 'Owner_RegionOne_compute-0', reason: 'not read from A&AI: not written' }]);
  });

  it('keeps a removed zone related to something else', () => {
    const cloud = desired();
    cloud['availability-zone'] = [];
    cloud.pserver = [];
    const state = held();
    state.children['availability-zone'][0] = {
      ...state.children['availability-zone'][0],
      'relationship-list': { relationship: [pserverLink('compute-0'), { 'related-to': 'complex', 'related-link': '/aai/v13/cloud-infrastructure/complexes/complex/c1' }] },
    };
    state.pservers.set('Owner_RegionOne_compute-0', { hostname: 'Owner_RegionOne_compute-0', 'resource-version': '3', 'relationship-list': { relationship: [] } });
    const plan = planObjects(VIM, cloud, state);
    expect(brief(plan)).toEqual(['delete pserver Owner_RegionOne_compute-0']);
    expect(plan.kept).toEqual([{ kind: 'availability-zone', id: 'nova', reason: 'relationship to complex c1' }]);
  });

  it('deletes a removed host read from A&AI, keeps one with foreign relationships or not read', () => {
    const cloud = desired();
    cloud.pserver = [];
    const state = held();
    state.region = { 'relationship-list': { relationship: [pserverLink('compute-0'), pserverLink('compute-1'), pserverLink('compute-2')] } };
    const ours = (host: string) => [
      { 'related-to': 'cloud-region', 'related-link': `/aai/v13${REGION}` },
      { 'related-to': 'availability-zone', 'related-link': `/aai/v13${REGION}/availability-zones/availability-zone/nova` },
      ...(host === 'compute-1' ? [vserverLink] : []),
    ];
    for (const host of ['compute-0', 'compute-1']) {
      state.pservers.set(`Owner_RegionOne_${host}`, { hostname: `Owner_RegionOne_${host}`, 'resource-version': '5', 'relationship-list': { relationship: ours(host) } });
    }
    expect(pserversToRead(VIM, cloud, state)).toEqual(['Owner_RegionOne_compute-0', 'Owner_RegionOne_compute-1', 'Owner_RegionOne_compute-2']);
    const plan = planObjects(VIM, cloud, state);
    expect(brief(plan)).toEqual(['delete pserver Owner_RegionOne_compute-0']);
    expect(plan.kept).toEqual([
      { kind: 'pserver', id: 'Owner_RegionOne_compute-1', reason: 'vserver vs-1 on this host' },
      { kind: 'pserver', id: 'Owner_RegionOne_compute-2', reason: 'not read from A&AI' },
    ]);
  });
});

describe('summarizePlan', () => {
  it('lists only kinds with entries, ids sorted, in kind order', () => {
    const cloud = desired();
    cloud.flavor = [flavor('f1', 'renamed')];
    cloud.image.push({ 'image-id': 'i0', 'image-name': 'b' }, { 'image-id': 'i9', 'image-name': 'a' });
    const state = held();
    state.children.tenant.push({ 'tenant-id': 't3', vservers: { vserver: [{ 'vserver-id': 'a' }] } });
    expect(summarizePlan(VIM, 'RegionOne', 'update', planObjects(VIM, cloud, state))).toEqual({
      vimid: 'Owner_RegionOne',
      openstackRegionId: 'RegionOne',
      action: 'update',
      create: { image: ['i0', 'i9'] },
      update: { flavor: ['f1'] },
      delete: { flavor: ['f2'], 'hpa-capability': ['f2/c1'] },
      unchanged: { tenant: 1, image: 1, 'availability-zone': 1, pserver: 1 },
      kept: [{ kind: 'tenant', id: 't3', reason: 'vserver a (tenant t3)' }],
    });
  });
});
