import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import Ajv, { ValidateFunction } from 'ajv';

export type AaiVersion = 'v13' | 'v16';

type Definition = { type?: string; properties?: Record<string, any>; required?: string[]; items?: any; $ref?: string };

const REFERENCE = join(__dirname, '..', 'fixtures', 'aai-schema');

/**
 * The reference subset leaves vservers out; this is `Vserver` of aai_oxm_v13.xml and
 * aai_oxm_v16.xml (onap/aai-schema-service; the same in both), for the vservers SO and
 * APPC put under tenants. Volumes are not expanded; l-interfaces are (below).
 */
const VSERVER: Definition = {
  type: 'object',
  properties: {
    'vserver-id': { type: 'string' },
    'vserver-name': { type: 'string' },
    'vserver-name2': { type: 'string' },
    'prov-status': { type: 'string' },
    'vserver-selflink': { type: 'string' },
    'in-maint': { type: 'boolean', default: false },
    'is-closed-loop-disabled': { type: 'boolean', default: false },
    'resource-version': { type: 'string' },
    volumes: { type: 'object' },
    'relationship-list': { $ref: '#/definitions/relationship-list' },
    'l-interfaces': { type: 'object' },
  },
  required: ['vserver-id', 'vserver-name', 'vserver-selflink', 'in-maint', 'is-closed-loop-disabled'],
};

const text = { type: 'string' };
const long = { type: 'integer' };
const flag = { type: 'boolean', default: false };
const relationships = { $ref: '#/definitions/relationship-list' };

/** `L3InterfaceIpv4AddressList` / `…Ipv6…` of aai_oxm_v13.xml and v16 (the same in both). */
function addressList(family: 'ipv4' | 'ipv6'): Definition {
  return {
    type: 'object',
    properties: {
      [`l3-interface-${family}-address`]: text,
      [`l3-interface-${family}-prefix-length`]: long,
      'vlan-id-inner': long,
      'vlan-id-outer': long,
      'is-floating': { type: 'boolean' },
      'resource-version': text,
      'neutron-network-id': text,
      'neutron-subnet-id': text,
      'relationship-list': relationships,
    },
    required: [`l3-interface-${family}-address`],
  };
}

/**
 * `LInterface` of aai_oxm_v13.xml (v16 adds `priority` and `admin-status`), the
 * heatbridge's ports: its address lists nest as bare arrays, as hpa-feature-attributes do.
 */
function lInterface(version: AaiVersion): Definition {
  return {
    type: 'object',
    properties: {
      'interface-name': text,
      'interface-role': text,
      'v6-wan-link-ip': text,
      selflink: text,
      'interface-id': text,
      macaddr: text,
      'network-name': text,
      'management-option': text,
      'interface-description': text,
      'is-port-mirrored': flag,
      'resource-version': text,
      'in-maint': flag,
      'prov-status': text,
      'is-ip-unnumbered': flag,
      'allowed-address-pairs': text,
      ...(version === 'v16' ? { priority: long, 'admin-status': text } : {}),
      vlans: { type: 'object' },
      'sriov-vfs': { type: 'object' },
      'l-interfaces': { type: 'object' },
      'relationship-list': relationships,
      'l3-interface-ipv4-address-list': { type: 'array', items: { $ref: '#/definitions/l3-interface-ipv4-address-list' } },
      'l3-interface-ipv6-address-list': { type: 'array', items: { $ref: '#/definitions/l3-interface-ipv6-address-list' } },
    },
    required: ['interface-name', 'is-port-mirrored', 'in-maint', 'is-ip-unnumbered'],
  };
}

/**
 * The network objects a heatbridge relates vservers to, as tests seed them: `GenericVnf`
 * and `VfModule` of the OXM, reduced to the properties SO writes at instantiation.
 */
const GENERIC_VNF: Definition = {
  type: 'object',
  properties: {
    'vnf-id': text,
    'vnf-name': text,
    'vnf-type': text,
    'service-id': text,
    'prov-status': text,
    'orchestration-status': text,
    'model-invariant-id': text,
    'model-version-id': text,
    'model-customization-id': text,
    'in-maint': flag,
    'is-closed-loop-disabled': flag,
    'resource-version': text,
    'relationship-list': relationships,
    'vf-modules': { type: 'object' },
  },
  required: ['vnf-id', 'vnf-type', 'in-maint', 'is-closed-loop-disabled'],
};

const VF_MODULE: Definition = {
  type: 'object',
  properties: {
    'vf-module-id': text,
    'vf-module-name': text,
    'heat-stack-id': text,
    'orchestration-status': text,
    'is-base-vf-module': flag,
    'automated-assignment': flag,
    'model-invariant-id': text,
    'model-version-id': text,
    'model-customization-id': text,
    'module-index': long,
    'resource-version': text,
    'relationship-list': relationships,
  },
  required: ['vf-module-id', 'is-base-vf-module', 'automated-assignment'],
};

/**
 * Validates A&AI PUT bodies against the wire-format JSON Schema generated from A&AI's
 * OXM (`../shared/reference/aai-schema/*.wire.schema.json`), and, stricter than the
 * schema's open additionalProperties, rejects a property the version does not define
 * (e.g. esr-system-info.openstack-region-id on v13, cloud-epa-caps on v16).
 */
export class AaiSchema {
  readonly definitions: Record<string, Definition>;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly ajv: Ajv;

  constructor(readonly version: AaiVersion) {
    const wire = JSON.parse(readFileSync(join(REFERENCE, `aai-${version}-cloud-infrastructure.wire.schema.json`), 'utf8'));
    wire.definitions.vserver ??= VSERVER;
    wire.definitions['l-interface'] ??= lInterface(version);
    wire.definitions['l3-interface-ipv4-address-list'] ??= addressList('ipv4');
    wire.definitions['l3-interface-ipv6-address-list'] ??= addressList('ipv6');
    wire.definitions['generic-vnf'] ??= GENERIC_VNF;
    wire.definitions['vf-module'] ??= VF_MODULE;
    this.definitions = wire.definitions;
    this.ajv = new Ajv({ strict: false, allErrors: true });
    this.ajv.addSchema(wire, 'wire');
  }

  has(type: string): boolean {
    return this.definitions[type] !== undefined;
  }

  /** Required properties that A&AI fills with their OXM default when missing. */
  defaults(type: string): Record<string, unknown> {
    const definition = this.definitions[type];
    const result: Record<string, unknown> = {};
    for (const name of definition?.required ?? []) {
      const property = definition?.properties?.[name];
      if (property && 'default' in property) result[name] = property.default;
    }
    return result;
  }

  /** Problems with a body of `type`; [] when it is valid. */
  problems(type: string, body: unknown): string[] {
    if (!this.has(type)) return [];
    let validate = this.validators.get(type);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `wire#/definitions/${type}` });
      this.validators.set(type, validate);
    }
    const problems: string[] = [];
    if (!validate(body)) {
      for (const error of validate.errors ?? []) {
        problems.push(`${error.instancePath || type} ${error.message}`);
      }
    }
    this.unknownProperties(this.definitions[type], body, type, problems);
    return problems;
  }

  private unknownProperties(definition: Definition | undefined, body: unknown, at: string, problems: string[]): void {
    if (!definition?.properties || !body || typeof body !== 'object' || Array.isArray(body)) return;
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      const property = definition.properties[key];
      if (!property) {
        problems.push(`${at}: property "${key}" is not defined in A&AI ${this.version}`);
        continue;
      }
      const target = this.resolve(property);
      if (target?.type === 'array' || Array.isArray(value)) {
        const items = this.resolve(target?.items ?? property.items);
        if (Array.isArray(value)) value.forEach((item, i) => this.unknownProperties(items, item, `${at}.${key}[${i}]`, problems));
      } else if (target?.properties) {
        this.unknownProperties(target, value, `${at}.${key}`, problems);
      }
    }
  }

  private resolve(node: any): Definition | undefined {
    if (!node) return undefined;
    if (typeof node.$ref === 'string') return this.definitions[node.$ref.replace('#/definitions/', '')];
    return node;
  }
}
