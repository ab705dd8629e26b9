/**
 * The benchmark's remote systems, in a process of their own so that the service's CPU
 * and memory are measured alone: the A&AI, StarlingX (Keystone, Nova, Placement, Glance,
 * Cinder, sysinv) and k8s-plugin doubles, each answering after LATENCY_MS, and a small control
 * API for the driver (bench/run.ts). Prints its addresses as one JSON line on stdout.
 */
import { IncomingMessage, ServerResponse, createServer, request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';

import { AaiDouble } from '../test/servers/aai.server';
import { SeenRequest, segmentsOf } from '../test/servers/http-double';
import { K8sPluginDouble } from '../test/servers/k8s-plugin.server';
import { OpenStackDouble } from '../test/servers/openstack.server';
import { dcmanagerSubclouds, defaultRegion, placementOf } from '../test/servers/openstack-data';
import { REGIONS, onboardRegion } from '../test/support/regions';
import { RegionShape, generatedProjects, generatedRegion } from './generate';

const latency = Number(process.env.LATENCY_MS ?? 5);
const aai = new AaiDouble({ version: (process.env.AAI_VERSION ?? 'v16') as 'v13' | 'v16' });
const cloud = new OpenStackDouble();
const k8s = new K8sPluginDouble();

type Json = Record<string, any>;

function stats(since: number): Json {
  const inWindow = (requests: SeenRequest[]) => requests.filter((r) => r.at >= since);
  const a = inWindow(aai.requests);
  const o = inWindow(cloud.requests);
  const kind = (r: SeenRequest) => {
    const [first, second] = segmentsOf(r.path);
    if (first === 'identity') return r.method === 'POST' ? 'keystoneTokens' : 'keystoneOther';
    return ({ compute: 'nova', image: 'glance', volume: 'cinder', platform: 'sysinv', placement: 'placement', dcmanager: 'dcmanager' } as Json)[second] ?? 'other';
  };
  const counts: Json = {
    aaiGet: 0,
    aaiPut: 0,
    aaiDelete: 0,
    aaiPost: 0,
    aaiPatch: 0,
    keystoneTokens: 0,
    keystoneOther: 0,
    nova: 0,
    glance: 0,
    cinder: 0,
    sysinv: 0,
    placement: 0,
    dcmanager: 0,
    other: 0,
    k8s: 0,
  };
  for (const r of a) counts[`aai${r.method[0]}${r.method.slice(1).toLowerCase()}`] += 1;
  for (const r of o) counts[kind(r)] += 1;
  counts.k8s = inWindow(k8s.requests).length;
  // A GET of an object this window already PUT: what the job read back.
  const written = new Set<string>();
  let rereads = 0;
  for (const r of a) {
    if (r.method === 'PUT') written.add(r.path);
    else if (r.method === 'GET' && written.has(r.path)) rereads += 1;
  }
  counts.rereadsOfWrittenObjects = rereads;
  return counts;
}

/**
 * Start times of each region's audits since `since`: its Placement provider listings (one
 * per audit, and nothing else reads them), or without Placement its hypervisor listings.
 * Not the compute services: a registration or sync reads them too.
 */
function auditStarts(since: number): Record<string, number[]> {
  const starts: Record<string, number[]> = {};
  for (const r of cloud.requests) {
    if (r.at < since) continue;
    const region = segmentsOf(r.path)[0];
    const marker = cloud.cloud.regions[region]?.placement ? '/placement/resource_providers' : '/os-hypervisors/detail';
    if (!r.path.endsWith(marker)) continue;
    (starts[region] ??= []).push(r.at);
  }
  return starts;
}

/** Cloud calls (all but Keystone) per region since `since`, by service; and Keystone token requests. */
function auditCalls(since: number): Json {
  const regions: Record<string, Record<string, number>> = {};
  let tokens = 0;
  for (const r of cloud.requests) {
    if (r.at < since) continue;
    const [first, second] = segmentsOf(r.path);
    if (first === 'identity') {
      if (r.method === 'POST') tokens += 1;
      continue;
    }
    const counts = (regions[first] ??= {});
    const kind = /\/resource_providers\/[^/]+\/(inventories|usages|aggregates|traits)$/.test(r.path) ? 'placementProviderReads' : second;
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return { regions, tokens };
}

function setupBig(shape: RegionShape, projects: number): void {
  cloud.cloud.projects = generatedProjects(projects);
  cloud.cloud.regionIds = ['RegionOne'];
  cloud.cloud.regions = { RegionOne: generatedRegion(shape) };
  onboardRegion(aai, cloud, { owner: 'CloudOwner', region: 'BigRegion', extraInfo: { 'openstack-region-id': 'RegionOne' } });
}

/** Renames a fraction of the big region's flavors and images (what a re-registration must then write). */
function changeBig(fraction: number): Json {
  const region = cloud.region('RegionOne');
  const flavors = Math.ceil(region.flavors.length * fraction);
  const images = Math.ceil(region.images.length * fraction);
  region.flavors.slice(0, flavors).forEach((flavor) => (flavor.name = `${flavor.name}-renamed`));
  region.images.slice(0, images).forEach((image) => (image.name = `${image.name}-renamed`));
  return { flavors, images };
}

/**
 * Nova of a "subcloud" on a host of its own: a relay to the cloud double that, once
 * `stuck`, accepts requests and never answers (as a Nova whose API hangs).
 */
const relays: Array<{ origin: string; stuck: boolean }> = [];

async function startRelay(): Promise<string> {
  const relay = { origin: '', stuck: false };
  const server = createServer((req, res) => {
    if (relay.stuck) return;
    const forward = httpRequest({ host: '127.0.0.1', port: cloud.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  relay.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  relays.push(relay);
  return relay.origin;
}

function setupAudit(regions: number, hosts: number, placement: boolean, relayed: string[], nodeNames: 'host' | 'fqdn'): string[] {
  // Each small cloud has a handful of projects (the big region's 300 are registered already).
  cloud.cloud.projects = generatedProjects(3);
  const names: string[] = [];
  for (let i = 0; i < regions; i += 1) {
    const name = `Audit${String(i).padStart(3, '0')}`;
    const region = generatedRegion({ flavors: 2, onapFlavors: 1, images: 1, zones: 5, hosts, nodeNames });
    region.isystem = defaultRegion().isystem;
    // A relayed region is audited through its Nova (the relay), so a stuck Nova stalls its audit.
    if (placement && !relayed[i]) region.placement = placementOf(region);
    cloud.cloud.regionIds.push(name);
    cloud.cloud.regions[name] = region;
    if (relayed[i]) (cloud.cloud.computeOriginOf ??= {})[name] = relayed[i];
    cloud.cloud.users.push({ name: `user-${i}`, password: `pw-${i}`, domain: 'Default' });
    // As 200 separate clouds would: each user's token lists its own region only.
    (cloud.cloud.catalogRegionsOf ??= {})[`user-${i}`] = [name];
    onboardRegion(aai, cloud, {
      owner: 'CloudOwner',
      region: name,
      userName: `user-${i}`,
      password: `pw-${i}`,
      extraInfo: { 'openstack-region-id': name },
    });
    names.push(name);
  }
  return names;
}

/**
 * SPEC 12's distributed cloud: SystemController with dcmanager and `subclouds` small
 * subcloud regions (32-hex ids), onboarded as `CloudOwner/DC` with multi-region-discovery.
 */
function setupDistributedCloud(subclouds: number): string[] {
  const ids = Array.from({ length: subclouds }, (_, i) => (i + 1).toString(16).padStart(32, '0'));
  cloud.cloud.projects = generatedProjects(3);
  cloud.cloud.regionIds = ['RegionOne', 'SystemController', ...ids];
  cloud.cloud.regions = { RegionOne: defaultRegion(), SystemController: defaultRegion() };
  for (const id of ids) {
    const region = generatedRegion({ flavors: 2, onapFlavors: 1, images: 1, zones: 2, hosts: 2 });
    region.isystem = defaultRegion().isystem;
    cloud.cloud.regions[id] = region;
  }
  cloud.cloud.dcmanager = dcmanagerSubclouds(ids);
  onboardRegion(aai, cloud, { owner: 'CloudOwner', region: 'DC', extraInfo: { 'multi-region-discovery': true, 'openstack-region-id': ids[0] } });
  return ids;
}

async function control(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body: Json = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : {};
  const url = new URL(req.url ?? '/', 'http://control');
  const since = Number(url.searchParams.get('since') ?? 0);
  let answer: unknown;
  switch (`${req.method} ${url.pathname}`) {
    case 'POST /setup/big':
      setupBig(body.shape, body.projects);
      answer = { ok: true };
      break;
    case 'POST /setup/audit': {
      // The first `relayed` regions reach their Nova through relays (their own hosts).
      const origins = await Promise.all(Array.from({ length: body.relayed ?? 0 }, () => startRelay()));
      answer = { regions: setupAudit(body.regions, body.hosts, body.placement !== false, origins, body.nodeNames === 'fqdn' ? 'fqdn' : 'host') };
      break;
    }
    case 'POST /stuck':
      for (const relay of relays) relay.stuck = Boolean(body.stuck);
      answer = { relays: relays.length };
      break;
    case 'POST /setup/dc':
      answer = { subclouds: setupDistributedCloud(body.subclouds) };
      break;
    case 'POST /subcloud-state':
      Object.assign(cloud.subcloud(body.region), body.state);
      answer = { ok: true };
      break;
    case 'GET /region':
      answer = aai.get(`${REGIONS}/${url.searchParams.get('id')}`, 0) ?? {};
      break;
    case 'GET /stats':
      answer = stats(since);
      break;
    case 'GET /audits':
      answer = auditStarts(since);
      break;
    case 'GET /audit-calls':
      answer = auditCalls(since);
      break;
    case 'GET /aai-writes':
      answer = aai.writes();
      break;
    case 'POST /change':
      answer = changeBig(body.fraction);
      break;
    case 'GET /timeline':
      answer = {
        aai: aai.requests.filter((r) => r.at >= since).map((r) => [r.at, r.endAt ?? r.at, r.method]),
        cloud: cloud.requests.filter((r) => r.at >= since).map((r) => [r.at, r.endAt ?? r.at, r.path.split('/').slice(0, 3).join('/')]),
      };
      break;
    case 'GET /aai':
      answer = { regions: aai.regionIds().length, pservers: aai.pserverNames().length, bigRegion: Boolean(aai.get(`${REGIONS}/CloudOwner/BigRegion`, 0)) };
      break;
    case 'POST /forget':
      // Keeps the doubles' request logs from growing without end during long runs.
      for (const double of [aai, cloud, k8s]) double.requests.splice(0, double.requests.length);
      answer = { ok: true };
      break;
    default:
      res.writeHead(404).end();
      return;
  }
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer));
}

async function main(): Promise<void> {
  await Promise.all([aai.start(), cloud.start(), k8s.start()]);
  for (const double of [aai, cloud, k8s]) double.latencyMs = latency;
  const server = createServer((req, res) => void control(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.stdout.write(
    `${JSON.stringify({
      aai: aai.serviceUrl,
      keystone: cloud.keystoneV3,
      k8sPort: k8s.port,
      control: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    })}\n`,
  );
}

// A clean exit on SIGTERM lets --cpu-prof and the like write their files.
process.on('SIGTERM', () => process.exit(0));
void main();
