import { mergeForUpdate } from './aai-object';

describe('mergeForUpdate', () => {
  it('creates without any resource-version, nested children included', () => {
    const body = mergeForUpdate(undefined, {
      'flavor-id': '1',
      'resource-version': 'stray',
      'hpa-capabilities': {
        'hpa-capability': [{ 'hpa-capability-id': 'c1', 'resource-version': 'x', 'hpa-feature-attributes': [{ 'hpa-attribute-key': 'k', 'resource-version': 'y' }] }],
      },
    });
    expect(JSON.stringify(body)).not.toContain('resource-version');
  });

  it('overlays what we want on what A&AI holds, keeping its versions and other properties', () => {
    const held = {
      'flavor-id': '1',
      'flavor-name': 'old',
      'flavor-disk': 10,
      'resource-version': '100',
      'relationship-list': { relationship: [{ 'related-to': 'x' }] },
      'hpa-capabilities': {
        'hpa-capability': [
          {
            'hpa-capability-id': 'c1',
            'hpa-feature': 'numa',
            'resource-version': '101',
            'hpa-feature-attributes': [{ 'hpa-attribute-key': 'numaNodes', 'hpa-attribute-value': '{"value":"1"}', 'resource-version': '102' }],
          },
          { 'hpa-capability-id': 'stale', 'resource-version': '103' },
        ],
      },
    };
    const wanted = {
      'flavor-id': '1',
      'flavor-name': 'new',
      'hpa-capabilities': {
        'hpa-capability': [
          {
            'hpa-capability-id': 'c1',
            'hpa-feature': 'numa',
            'hpa-feature-attributes': [
              { 'hpa-attribute-key': 'numaNodes', 'hpa-attribute-value': '{"value":"2"}' },
              { 'hpa-attribute-key': 'numaCpu-0', 'hpa-attribute-value': '{"value":"0"}' },
            ],
          },
          { 'hpa-capability-id': 'c2', 'hpa-feature': 'ovsDpdk' },
        ],
      },
    };
    const [heldNuma] = held['hpa-capabilities']['hpa-capability'];
    expect(mergeForUpdate(held, wanted)).toEqual({
      ...held,
      'flavor-name': 'new',
      'hpa-capabilities': {
        'hpa-capability': [
          {
            ...heldNuma,
            'hpa-feature-attributes': [
              { 'hpa-attribute-key': 'numaNodes', 'hpa-attribute-value': '{"value":"2"}', 'resource-version': '102' },
              { 'hpa-attribute-key': 'numaCpu-0', 'hpa-attribute-value': '{"value":"0"}' },
            ],
          },
          { 'hpa-capability-id': 'c2', 'hpa-feature': 'ovsDpdk' },
        ],
      },
    });
  });

  it('adds relationships to the ones held, never dropping one', () => {
    const complex = { 'related-to': 'complex', 'related-link': '/aai/v13/cloud-infrastructure/complexes/complex/clli1' };
    const zone = { 'related-to': 'availability-zone', 'related-link': '/aai/v13/cloud-infrastructure/cloud-regions/cloud-region/o/r/availability-zones/availability-zone/nova' };
    const region = { 'related-to': 'cloud-region', 'related-link': '/aai/v13/cloud-infrastructure/cloud-regions/cloud-region/o/r' };
    const held = {
      hostname: 'h',
      'resource-version': '5',
      'relationship-list': { relationship: [complex, { ...region, 'related-link': `https://aai:8443${region['related-link']}` }] },
    };
    const merged = mergeForUpdate(held, { hostname: 'h', 'relationship-list': { relationship: [zone, region] } });
    expect(merged['relationship-list']).toEqual({ relationship: [complex, { ...region, 'related-link': `https://aai:8443${region['related-link']}` }, zone] });
    expect(mergeForUpdate(undefined, { hostname: 'h', 'relationship-list': { relationship: [zone] } })['relationship-list']).toEqual({ relationship: [zone] });
  });

  it('keeps the existing esr-system-info and its version, overlaying its fields', () => {
    const held = {
      'cloud-owner': 'o',
      'resource-version': '1',
      'esr-system-info-list': { 'esr-system-info': [{ 'esr-system-info-id': 'e1', password: 'p', 'system-status': 'active', 'resource-version': '2' }] },
    };
    const merged = mergeForUpdate(held, {
      'cloud-owner': 'o',
      'esr-system-info-list': { 'esr-system-info': [{ 'esr-system-info-id': 'e1', password: 'p', 'service-url': 'u' }] },
    });
    expect(merged['esr-system-info-list']).toEqual({
      'esr-system-info': [{ 'esr-system-info-id': 'e1', password: 'p', 'system-status': 'active', 'service-url': 'u', 'resource-version': '2' }],
    });
  });
});
