import { randomUUID } from 'node:crypto';

import request from 'supertest';

import { AaiDouble } from '../servers/aai.server';
import { OpenStackDouble } from '../servers/openstack.server';

export const PREFIX = '/api/multicloud-starlingx';
export const REGIONS = '/cloud-infrastructure/cloud-regions/cloud-region';

export interface Onboarding {
  owner: string;
  region: string;
  serviceUrl?: string;
  extraInfo?: Record<string, unknown>;
  userName?: string;
  password?: string;
  defaultTenant?: string;
  sslInsecure?: boolean;
  sslCacert?: string;
}

/**
 * Puts a cloud region into the A&AI double as ESR does before registration (the
 * onboarding payload of the MultiCloud tutorial, aai-v13-cloud-region-onboard-*.put.json).
 */
export function onboardRegion(aai: AaiDouble, openstack: OpenStackDouble, o: Onboarding): void {
  aai.seed(`${REGIONS}/${o.owner}/${o.region}`, {
    'cloud-owner': o.owner,
    'cloud-region-id': o.region,
    'cloud-type': 'openstack',
    'owner-defined-type': 't1',
    'cloud-region-version': 'titanium_cloud',
    'complex-name': 'clli1',
    'cloud-zone': 'CloudZone',
    'identity-url': 'WillBeUpdatedByMultiCloud',
    'cloud-extra-info': JSON.stringify(o.extraInfo ?? { 'openstack-region-id': 'RegionOne' }),
    'esr-system-info-list': {
      'esr-system-info': [
        {
          'esr-system-info-id': randomUUID(),
          'service-url': o.serviceUrl ?? openstack.keystoneV3,
          'user-name': o.userName ?? 'admin',
          password: o.password ?? 'os-secret-password',
          'system-type': 'VIM',
          'ssl-insecure': o.sslInsecure ?? true,
          ...(o.sslCacert ? { 'ssl-cacert': o.sslCacert } : {}),
          'cloud-domain': 'Default',
          'default-tenant': o.defaultTenant ?? 'admin',
          'system-status': 'active',
        },
      ],
    },
  });
}

/** Polls GET …/registry until the job is no longer running (bounded). */
export async function waitForJob(http: import('node:http').Server, path: string, timeoutMs = 20_000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  let last: Record<string, any> = {};
  while (Date.now() < deadline) {
    const response = await request(http).get(path);
    last = response.body;
    if (response.status === 200 && response.body.state !== 'in-progress') return response.body;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`job at ${path} still running after ${timeoutMs} ms: ${JSON.stringify(last)}`);
}

/** Polls until `check` returns a value (bounded); for effects of background work. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw lastError instanceof Error ? lastError : new Error(`condition not met within ${timeoutMs} ms`);
}

/** What registering the sample cloud of test/servers/openstack-data writes, by kind. */
export const SAMPLE_COUNTS = { tenants: 8, flavors: 8, hpaCapabilities: 14, images: 3, availabilityZones: 2, pservers: 3 };

/** The whole GET registry body of an ended job; its times are any string. */
export function endedJob(kind: 'register' | 'unregister', code: number, status: string, details: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    status,
    code,
    state: code === 0 ? 'succeeded' : 'failed',
    kind,
    trigger: 'request',
    startedAt: expect.any(String),
    finishedAt: expect.any(String),
    ...details,
  };
}

const KIND_OF_COUNT: Record<string, string> = {
  tenants: 'tenant',
  flavors: 'flavor',
  hpaCapabilities: 'hpa-capability',
  images: 'image',
  availabilityZones: 'availability-zone',
  pservers: 'pserver',
};

/** The `changes` of one region's first registration into an A&AI that held only the onboarded region. */
export function firstChanges(counts: Record<string, number> = SAMPLE_COUNTS, region: 'created' | 'updated' = 'updated'): Record<string, unknown> {
  const created: Record<string, number> = {};
  for (const [key, n] of Object.entries(counts)) if (n > 0) created[KIND_OF_COUNT[key]] = n;
  if (region === 'created') created['cloud-region'] = 1;
  return { created, updated: region === 'updated' ? { 'cloud-region': 1 } : {}, deleted: {}, unchanged: {}, kept: [], failed: [] };
}

/** The `changes` of a registration that found A&AI equal to the cloud. */
export function noChanges(counts: Record<string, number> = SAMPLE_COUNTS): Record<string, unknown> {
  const unchanged: Record<string, number> = {};
  for (const [key, n] of Object.entries(counts)) if (n > 0) unchanged[KIND_OF_COUNT[key]] = n;
  unchanged['cloud-region'] = 1;
  return { created: {}, updated: {}, deleted: {}, unchanged, kept: [], failed: [] };
}

/**
 * The whole body of a finished registration; `changes` defaults to a first
 * registration's of the one region (several regions: pass them).
 */
export function registered(
  vimId: string,
  counts: Record<string, number> = SAMPLE_COUNTS,
  regions: string[] = [vimId],
  changes: Record<string, unknown> = regions.length === 1 ? { [vimId]: firstChanges(counts) } : expect.any(Object),
): Record<string, unknown> {
  return endedJob('register', 0, `Registration finished for Cloud Region: ${vimId}`, { regions, counts, changes });
}

/** The whole body of a finished de-registration. */
export function unregistered(vimId: string): Record<string, unknown> {
  return endedJob('unregister', 0, `De-registration finished for Cloud Region: ${vimId}`);
}

/** The whole GET registry body of a running job. */
export function runningJob(kind: 'register' | 'unregister'): Record<string, unknown> {
  const status = kind === 'register' ? 'The registration is on progress' : 'The de-registration is in progress';
  return { status: [1, status], code: 1, state: 'in-progress', kind, trigger: 'request', startedAt: expect.any(String) };
}

/** POSTs the v1 registration of `CloudOwner/{region}` (202) and waits for its job to end. */
export async function registerCloudOwnerRegion(http: import('node:http').Server, region: string, headers: Record<string, string> = {}): Promise<Record<string, any>> {
  const path = `${PREFIX}/v1/CloudOwner/${region}/registry`;
  await request(http).post(path).set(headers).expect(202);
  return waitForJob(http, path);
}
