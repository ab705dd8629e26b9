import { AaiObject } from './aai-object';
import { ExtraSpecs, deriveHpaCapabilities } from './hpa-capabilities';

/** A flavor as Nova microversion 2.1 reports it in /flavors/detail. */
export interface NovaFlavor {
  id: string;
  name: string;
  vcpus?: number;
  ram?: number;
  disk?: number;
  swap?: number | string;
  'OS-FLV-EXT-DATA:ephemeral'?: number;
  'os-flavor-access:is_public'?: boolean;
  'OS-FLV-DISABLED:disabled'?: boolean;
  links?: Array<{ href?: string; rel?: string }>;
  /** Embedded from Nova microversion 2.61 on. */
  extra_specs?: Record<string, string>;
}

/** Only flavors named `onap.*` carry HPA capabilities. */
export function isOnapFlavor(flavor: NovaFlavor): boolean {
  return typeof flavor.name === 'string' && flavor.name.startsWith('onap.');
}

/** The A&AI flavor; a field the cloud does not report is left out. */
/** `warnings` collects what HPA derivation had to cap. */
export function toAaiFlavor(flavor: NovaFlavor, extraSpecs?: ExtraSpecs, warnings?: string[]): AaiObject {
  const body: AaiObject = {
    'flavor-id': String(flavor.id),
    'flavor-name': String(flavor.name ?? flavor.id),
    'flavor-selflink': flavor.links?.[0]?.href || 'http://0.0.0.0',
  };
  setInteger(body, 'flavor-vcpus', flavor.vcpus);
  setInteger(body, 'flavor-ram', flavor.ram);
  setInteger(body, 'flavor-disk', flavor.disk);
  setInteger(body, 'flavor-ephemeral', flavor['OS-FLV-EXT-DATA:ephemeral']);
  if (flavor.swap !== undefined && flavor.swap !== null) {
    body['flavor-swap'] = String(flavor.swap);
  }
  setBoolean(body, 'flavor-is-public', flavor['os-flavor-access:is_public']);
  setBoolean(body, 'flavor-disabled', flavor['OS-FLV-DISABLED:disabled']);
  if (extraSpecs !== undefined) {
    body['hpa-capabilities'] = {
      'hpa-capability': deriveHpaCapabilities(
        {
          id: String(flavor.id),
          vcpus: flavor.vcpus,
          ram: flavor.ram,
          disk: flavor.disk,
          swap: flavor.swap,
          ephemeral: flavor['OS-FLV-EXT-DATA:ephemeral'],
        },
        extraSpecs,
        warnings,
      ),
    };
  }
  return body;
}

function setInteger(body: AaiObject, key: string, value: unknown): void {
  if (typeof value === 'number' && Number.isFinite(value)) {
    body[key] = Math.trunc(value);
  }
}

function setBoolean(body: AaiObject, key: string, value: unknown): void {
  if (typeof value === 'boolean') {
    body[key] = value;
  }
}
