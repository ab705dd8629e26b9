import { AaiObject } from './aai-object';
import { AaiSchemaVersion } from './aai-schema-version';
import { CloudExtraInfo, parseCloudExtraInfo, textOf } from './cloud-extra-info';
import { VimInfoIncompleteError } from './errors';
import { VimId } from './vim-id';
import { withoutTrailingSlashes } from './path-segment';

export type ApiVersion = 'v0' | 'v1';

/** What A&AI holds of a cloud region: the region (depth 0) and its esr-system-info list. */
export interface AaiCloudRegion {
  region: AaiObject;
  esrList: AaiObject[];
}

/** How to reach a cloud's Keystone, from the first esr-system-info. */
export interface CloudAccess {
  serviceUrl: string;
  userName: string;
  password: string;
  domain: string;
  defaultTenant: string;
  caCert?: string;
  insecure: boolean;
}

/** A cloud region as the registration sees it, read from A&AI. */
export interface VimInfo {
  vimId: VimId;
  cloudType?: string;
  cloudRegionVersion?: string;
  complexName?: string;
  extraInfo: CloudExtraInfo;
  /** The region the cloud's catalog calls this A&AI region. */
  openstackRegionId: string;
  access: CloudAccess;
  /** The first esr-system-info as A&AI holds it (with its id and resource-version). */
  esr: AaiObject;
  /** The region's `in-maint` (SPEC 12: a subcloud unmanaged or offline). */
  inMaint?: boolean;
}

export function toVimInfo(vimId: VimId, region: AaiObject, esrList: AaiObject[]): VimInfo {
  const esr = esrList[0];
  if (!esr) {
    throw new VimInfoIncompleteError(`Cloud Region ${vimId} has no esr-system-info in AAI`);
  }
  const serviceUrl = textOf(esr['service-url']);
  const userName = textOf(esr['user-name']);
  if (!serviceUrl || !userName) {
    throw new VimInfoIncompleteError(`The esr-system-info of Cloud Region ${vimId} lacks ${serviceUrl ? 'user-name' : 'service-url'}`);
  }
  return {
    vimId,
    cloudType: textOf(region['cloud-type']),
    cloudRegionVersion: textOf(region['cloud-region-version']),
    complexName: textOf(region['complex-name']),
    extraInfo: parseCloudExtraInfo(region['cloud-extra-info']),
    openstackRegionId: textOf(esr['openstack-region-id']) ?? textOf(region['cloud-epa-caps']) ?? vimId.cloudRegionId,
    access: {
      serviceUrl,
      userName,
      password: typeof esr['password'] === 'string' ? esr['password'] : '',
      domain: textOf(esr['cloud-domain']) ?? 'Default',
      defaultTenant: textOf(esr['default-tenant']) ?? '',
      caCert: textOf(esr['ssl-cacert']),
      insecure: esr['ssl-insecure'] === true || esr['ssl-insecure'] === 'true',
    },
    esr,
    inMaint: region['in-maint'] === true || region['in-maint'] === 'true',
  };
}

/** The identity-url MultiCloud advertises for a region (its own proxy, as the plugin did). */
export function proxyIdentityUrl(msbBaseUrl: string, vimId: VimId, apiVersion: ApiVersion): string {
  const base = `${withoutTrailingSlashes(msbBaseUrl)}/api/multicloud-starlingx`;
  return apiVersion === 'v0' ? `${base}/v0/${vimId}/identity/v2.0` : `${base}/v1/${vimId.cloudOwner}/${vimId.cloudRegionId}/identity/v2.0`;
}

export interface CloudRegionUpdate {
  vim: VimInfo;
  target: VimId;
  openstackRegionId: string;
  identityUrl: string;
  extraInfo: CloudExtraInfo;
  schema: AaiSchemaVersion;
  /** The esr-system-info-id to write: the existing one, or a new id for a new region. */
  esrSystemInfoId: string;
  /** SPEC 12: a dcmanager subcloud's maintenance flag; written only where the schema defines `in-maint`. */
  inMaint?: boolean;
}

/**
 * What the registration wants an A&AI cloud region to hold (SPEC 3.5), in the
 * properties the configured schema version defines.
 */
export function cloudRegionBody(update: CloudRegionUpdate): AaiObject {
  const { vim, target, schema } = update;
  const body: AaiObject = {
    'cloud-owner': target.cloudOwner,
    'cloud-region-id': target.cloudRegionId,
    'identity-url': update.identityUrl,
    'cloud-extra-info': JSON.stringify(update.extraInfo),
  };
  setIfDefined(body, 'cloud-type', vim.cloudType);
  setIfDefined(body, 'cloud-region-version', vim.cloudRegionVersion);
  setIfDefined(body, 'complex-name', vim.complexName);
  if (schema.hasCloudEpaCaps) {
    body['cloud-epa-caps'] = update.openstackRegionId;
  }
  if (update.inMaint !== undefined && schema.hasCloudRegionInMaint) {
    body['in-maint'] = update.inMaint;
  }
  body['esr-system-info-list'] = { 'esr-system-info': [esrBody(update)] };
  return body;
}

/** Never copied from the onboarded region's esr-system-info to another object. */
const ESR_OWN = ['esr-system-info-id', 'resource-version', 'openstack-region-id', 'relationship-list'];

/** The onboarded region's esr-system-info (all of it: a subcloud gets the same), with the access fields. */
function esrBody(update: CloudRegionUpdate): AaiObject {
  const { access, esr } = update.vim;
  const copied = Object.fromEntries(Object.entries(esr).filter(([key]) => !ESR_OWN.includes(key)));
  const body: AaiObject = {
    ...copied,
    'esr-system-info-id': update.esrSystemInfoId,
    'service-url': access.serviceUrl,
    'user-name': access.userName,
    password: access.password,
    'system-type': textOf(esr['system-type']) ?? 'VIM',
    'ssl-insecure': access.insecure,
    'cloud-domain': access.domain,
    'default-tenant': access.defaultTenant,
  };
  setIfDefined(body, 'ssl-cacert', access.caCert);
  if (update.schema.hasEsrOpenstackRegionId) {
    body['openstack-region-id'] = update.openstackRegionId;
  }
  return body;
}

/** A cloud region as one body (depth 0 does not carry its esr-system-info list), as the registration writes it. */
export function regionWithEsrList(aaiRegion: AaiCloudRegion): AaiObject;
export function regionWithEsrList(aaiRegion: AaiCloudRegion | undefined): AaiObject | undefined;
export function regionWithEsrList(aaiRegion: AaiCloudRegion | undefined): AaiObject | undefined {
  if (!aaiRegion) return undefined;
  return { ...aaiRegion.region, 'esr-system-info-list': { 'esr-system-info': aaiRegion.esrList } };
}

export function firstEsrSystemInfoId(aaiRegion: AaiCloudRegion | undefined): string | undefined {
  return textOf(aaiRegion?.esrList[0]?.['esr-system-info-id']);
}

function setIfDefined(body: AaiObject, key: string, value: unknown): void {
  if (value !== undefined && value !== null) {
    body[key] = value;
  }
}
