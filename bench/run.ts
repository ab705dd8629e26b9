/**
 * npm run bench [-- --latency=5 --flavors=2000 --onap=500 --images=1000 --projects=300
 *                  --zones=20 --hosts=500 --audit-regions=200 --audit-hosts=25 --audit-intervals=6
 *                  --audit-placement=1 --stuck-regions=20 --isolation-intervals=4]
 *
 * 1. Registers a generated big region against the doubles (every remote call answering
 *    after --latency ms) and prints wall time, remote calls by kind, the ratio of wall
 *    time to the sequential time (calls x latency), and the service's peak RSS.
 * 2. Registers --audit-regions small regions (with Placement unless --audit-placement=0)
 *    and watches their capacity audits for --audit-intervals intervals: audits per
 *    interval, cloud calls per audit of an unchanged region, lag behind schedule, CPU use.
 * 3. Un-registers the big region.
 * 4. Makes the Nova of --stuck-regions of the audited regions (each on a host of its own)
 *    stop answering, and watches the others: audits on schedule, a healthy capacity_check time.
 * With --sync-subclouds=N (SPEC 12) it runs instead the sync scenario: a distributed
 * cloud of N dcmanager subclouds registered, then synced every --sync-interval seconds
 * (REGISTRY_SYNC_INTERVAL_MS) for --sync-rounds syncs of an unchanged cloud: requests
 * per sync (A&AI writes must be 0), CPU, and the time one subcloud's state change takes
 * to reach A&AI (A&AI schema: --aai, default 16).
 * The service runs as `node dist/main.js`, the doubles in a process of their own.
 */
import { ChildProcess, execSync, spawn } from 'node:child_process';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { createClient } from 'redis';

type Json = Record<string, any>;

const ROOT = join(__dirname, '..');
const PREFIX = '/api/multicloud-starlingx';
const AUDIT_INTERVAL_MS = 5_000;
/** Extra node flags for the service and the doubles (e.g. BENCH_NODE_FLAGS=--trace-gc). */
const NODE_FLAGS = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);

const options = parseOptions({
  latency: 5,
  flavors: 2000,
  onap: 500,
  images: 1000,
  projects: 300,
  zones: 20,
  hosts: 500,
  'audit-regions': 200,
  'audit-hosts': 25,
  'audit-intervals': 6,
  'audit-placement': 1,
  'stuck-regions': 20,
  'isolation-intervals': 4,
  'sync-subclouds': 0,
  'sync-interval': 60,
  'sync-rounds': 2,
  /** A&AI schema version of the doubles and the service: v16 writes in bulk transactions. */
  aai: 16,
  /** Share of the big region's flavors and images changed before the third registration. */
  'change-percent': 1,
});
const SYNC_AAI_VERSION = `v${options.aai}`;

async function main(): Promise<void> {
  if (options['sync-subclouds'] > 0) return mainSync();
  const report: Json = { date: new Date().toISOString(), machine: machine(), options };
  const doubles = await startDoubles();
  const redisUrl = await pickStore();
  report.store = redisUrl ? `redis (${redisUrl})` : 'in-process memory';
  let service: ChildProcess | undefined;
  try {
    await post(`${doubles.control}/setup/big`, {
      shape: { flavors: options.flavors, onapFlavors: options.onap, images: options.images, zones: options.zones, hosts: options.hosts },
      projects: options.projects,
    });
    const port = await freePort();
    service = startService(port, doubles, redisUrl);
    const base = `http://127.0.0.1:${port}`;
    await until(async () => (await fetch(`${base}/samples/`).catch(() => undefined))?.ok === true, 30_000);

    line(`multicloud-starlingx benchmark: latency ${options.latency} ms per remote call, store ${report.store}, A&AI v${options.aai}`);
    if (options.aai >= 14) {
      // The same first registration with single-object writes, for the bulk comparison.
      const singlePort = await freePort();
      const single = startService(singlePort, doubles, redisUrl, { AAI_BULK_OPERATIONS: '0' });
      const singleBase = `http://127.0.0.1:${singlePort}`;
      await until(async () => (await fetch(`${singleBase}/samples/`).catch(() => undefined))?.ok === true, 30_000);
      report.registrationSingleWrites = await measureJob(singleBase, doubles, 'POST', 'big region registration, AAI_BULK_OPERATIONS=0', single.pid!);
      report.unregistrationSingleWrites = await measureJob(singleBase, doubles, 'DELETE', 'big region unregistration, AAI_BULK_OPERATIONS=0', single.pid!);
      single.kill('SIGTERM');
      await post(`${doubles.control}/setup/big`, {
        shape: { flavors: options.flavors, onapFlavors: options.onap, images: options.images, zones: options.zones, hosts: options.hosts },
        projects: options.projects,
      });
    }
    report.registration = await measureJob(base, doubles, 'POST', 'big region registration', service.pid!);
    report.registration.peakRssMb = peakRssMb(service.pid!);
    line(`  service peak RSS so far ${report.registration.peakRssMb} MB`);
    report.reregistrationUnchanged = await measureJob(base, doubles, 'POST', 'big region registered again, nothing changed', service.pid!);
    const changed = await post(`${doubles.control}/change`, { fraction: options['change-percent'] / 100 });
    report.reregistrationChanged = await measureJob(
      base,
      doubles,
      'POST',
      `big region registered again after ${changed.flavors} flavors and ${changed.images} images were renamed`,
      service.pid!,
    );
    report.reregistrationChanged.changedObjects = changed.flavors + changed.images;
    report.audit = await measureAudit(base, doubles, service.pid!);
    report.audit.peakRssMb = peakRssMb(service.pid!);
    line(`  service peak RSS so far ${report.audit.peakRssMb} MB`);
    report.unregistration = await measureJob(base, doubles, 'DELETE', 'big region unregistration', service.pid!);
    report.unregistration.peakRssMb = peakRssMb(service.pid!);
    line(`  service peak RSS so far ${report.unregistration.peakRssMb} MB (before the isolation step)`);
    // Last: it leaves 20 regions' audits failing, which must not colour the figures above.
    report.isolation = await measureIsolation(base, doubles, auditRegions);
    report.peakRssMb = peakRssMb(service.pid!);
    line(`\nservice peak RSS over the whole run: ${report.peakRssMb} MB`);
    writeFileSync(join(ROOT, 'bench', 'results', 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
    line('results written to bench/results/latest.json');
  } finally {
    service?.kill('SIGTERM');
    doubles.process.kill('SIGTERM');
  }
}

/** SPEC 12: a distributed cloud registered, then synced with nothing changed, then one subcloud's state change. */
async function mainSync(): Promise<void> {
  const intervalMs = options['sync-interval'] * 1000;
  const report: Json = { date: new Date().toISOString(), machine: machine(), options, aaiVersion: SYNC_AAI_VERSION };
  const doubles = await startDoubles();
  const redisUrl = await pickStore();
  report.store = redisUrl ? `redis (${redisUrl})` : 'in-process memory';
  let service: ChildProcess | undefined;
  try {
    const { subclouds } = await post(`${doubles.control}/setup/dc`, { subclouds: options['sync-subclouds'] });
    const port = await freePort();
    // Audits are left to their own benchmark: an hour here, so the figures are the sync's alone.
    service = startService(port, doubles, redisUrl, {
      AAI_SCHEMA_VERSION: SYNC_AAI_VERSION,
      REGISTRY_SYNC_INTERVAL_MS: String(intervalMs),
      AZCAP_AUDIT_INTERVAL_MS: '3600000',
    });
    const base = `http://127.0.0.1:${port}`;
    await until(async () => (await fetch(`${base}/samples/`).catch(() => undefined))?.ok === true, 30_000);
    const path = `${base}${PREFIX}/v1/CloudOwner/DC/registry`;
    line(`multicloud-starlingx sync benchmark: ${subclouds.length} subclouds, sync every ${intervalMs / 1000} s, ` +
      `latency ${options.latency} ms per remote call, A&AI ${SYNC_AAI_VERSION}, store ${report.store}`);

    const posted = Date.now();
    await fetch(path, { method: 'POST' });
    const first = await waitForJob(path);
    if (first.code !== 0) throw new Error(`registration failed: ${first.status}`);
    report.registration = { regions: first.regions.length, wallMs: Date.parse(first.finishedAt) - Date.parse(first.startedAt), counts: first.counts };
    line(`\nregistration: ${first.regions.length} regions in ${(report.registration.wallMs / 1000).toFixed(1)} s`);
    await post(`${doubles.control}/forget`, {});

    report.syncs = [];
    let last = first.startedAt;
    for (let round = 1; round <= options['sync-rounds']; round += 1) {
      const cpuBefore = cpuSeconds(service.pid!);
      const windowStart = Date.now();
      const status = await waitForNextJob(path, last, posted + (round + 2) * intervalMs);
      last = status.startedAt;
      const since = Date.parse(status.startedAt);
      const calls = await get(`${doubles.control}/stats?since=${since}`);
      await post(`${doubles.control}/forget`, {});
      const cpuMs = (cpuSeconds(service.pid!) - cpuBefore) * 1000;
      const aaiWrites = calls.aaiPut + calls.aaiDelete + calls.aaiPost + calls.aaiPatch;
      const cloudCalls = sum(calls, ['keystoneTokens', 'keystoneOther', 'nova', 'glance', 'cinder', 'sysinv', 'placement', 'dcmanager', 'other']);
      const sync = {
        trigger: status.trigger,
        code: status.code,
        wallMs: Date.parse(status.finishedAt) - since,
        aaiReads: calls.aaiGet,
        aaiWrites,
        cloudCalls,
        callsByKind: calls,
        cpuSecondsOverInterval: cpuMs / 1000,
        cpuPercentOfOneCore: (100 * cpuMs) / (Date.now() - windowStart),
      };
      report.syncs.push(sync);
      line(`\nsync ${round} (${status.trigger}, code ${status.code}): ${(sync.wallMs / 1000).toFixed(1)} s; ` +
        `A&AI ${calls.aaiGet} GET, ${aaiWrites} writes; cloud ${cloudCalls} requests ` +
        `(Keystone ${calls.keystoneTokens + calls.keystoneOther}, Nova ${calls.nova}, Glance ${calls.glance}, sysinv ${calls.sysinv}, ` +
        `Placement ${calls.placement}, dcmanager ${calls.dcmanager}); service CPU ${sync.cpuSecondsOverInterval.toFixed(1)} s ` +
        `= ${sync.cpuPercentOfOneCore.toFixed(1)}% of one core over the interval`);
    }

    const region = subclouds[subclouds.length - 1];
    const changedAt = Date.now();
    await post(`${doubles.control}/subcloud-state`, { region, state: { 'management-state': 'unmanaged' } });
    const id = `CloudOwner/DC_${region}`;
    await untilValue(async () => {
      const held = await get(`${doubles.control}/region?id=${id}`);
      return String(held['cloud-extra-info'] ?? '').includes('"management-state":"unmanaged"') ? held : undefined;
    }, 3 * intervalMs + 600_000);
    report.stateChangeToAaiMs = Date.now() - changedAt;
    line(`\none subcloud unmanaged: in A&AI after ${(report.stateChangeToAaiMs / 1000).toFixed(1)} s (interval ${intervalMs / 1000} s)`);
    report.peakRssMb = peakRssMb(service.pid!);
    line(`service peak RSS ${report.peakRssMb} MB`);
    writeFileSync(join(ROOT, 'bench', 'results', 'sync-latest.json'), `${JSON.stringify(report, null, 2)}\n`);
    line('results written to bench/results/sync-latest.json');
  } finally {
    service?.kill('SIGTERM');
    doubles.process.kill('SIGTERM');
  }
}

/** The registry's next ended job after the one that started at `after`. */
async function waitForNextJob(path: string, after: string, deadline: number): Promise<Json> {
  for (;;) {
    const status = (await fetch(path).then((r) => r.json()).catch(() => ({}))) as Json;
    if (status.startedAt && status.startedAt !== after && status.state && status.state !== 'in-progress') return status;
    if (Date.now() > deadline) throw new Error(`no sync ended by ${new Date(deadline).toISOString()}: ${JSON.stringify(status).slice(0, 300)}`);
    await sleep(200);
  }
}

async function untilValue<T>(check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(100);
  }
}

/** One job on the big region: wall time (from the job's own status), calls by kind, ratio. */
async function measureJob(base: string, doubles: Doubles, method: 'POST' | 'DELETE', label: string, pid: number): Promise<Json> {
  const path = `${base}${PREFIX}/v1/CloudOwner/BigRegion/registry`;
  const since = Date.now();
  const cpu = [cpuSeconds(pid), cpuSeconds(doubles.process.pid!)];
  const writesBefore = await get(`${doubles.control}/aai-writes`);
  const answer = await fetch(path, { method });
  if (answer.status !== (method === 'POST' ? 202 : 204)) throw new Error(`${method} registry answered ${answer.status}`);
  const status = await waitForJob(path);
  const calls = await get(`${doubles.control}/stats?since=${since}`);
  const writesAfter = await get(`${doubles.control}/aai-writes`);
  const bulkOperations = Object.fromEntries(['put', 'patch', 'delete'].map((action) => [action, writesAfter.bulk[action] - writesBefore.bulk[action]]));
  const aaiRequests = calls.aaiGet + calls.aaiPut + calls.aaiDelete + calls.aaiPost;
  if (process.env.BENCH_TIMELINE) writeFileSync(join(ROOT, 'bench', 'results', `timeline-${method}.json`), JSON.stringify(await get(`${doubles.control}/timeline?since=${since}`)));
  const wallMs = Date.parse(status.finishedAt) - Date.parse(status.startedAt);
  const cpuSecondsUsed = { service: cpuSeconds(pid) - cpu[0], doubles: cpuSeconds(doubles.process.pid!) - cpu[1] };
  const remote = sum(calls, ['aaiGet', 'aaiPut', 'aaiDelete', 'aaiPost', 'keystoneTokens', 'keystoneOther', 'nova', 'glance', 'cinder', 'sysinv', 'k8s']);
  const sequentialMs = remote * options.latency;
  const result = {
    status: status.status,
    code: status.code,
    counts: status.counts,
    wallMs,
    remoteCalls: remote,
    aaiRequests,
    aaiBulkOperations: bulkOperations,
    changes: status.changes,
    callsByKind: calls,
    sequentialMs,
    ratio: wallMs / sequentialMs,
    cpuSeconds: cpuSecondsUsed,
  };
  line(`\n${label}: ${status.code === 0 ? 'ok' : `FAILED (${status.status})`}`);
  if (status.counts) line(`  wrote ${Object.entries(status.counts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
  line(`  wall time            ${(wallMs / 1000).toFixed(2)} s`);
  line(`  A&AI requests        ${aaiRequests}: GET ${calls.aaiGet}, single PUT ${calls.aaiPut}, single DELETE ${calls.aaiDelete}, ` +
    `bulk transactions ${calls.aaiPost} (operations: put ${bulkOperations.put}, delete ${bulkOperations.delete})`);
  line(`  remote calls         ${remote}: A&AI GET ${calls.aaiGet}, PUT ${calls.aaiPut}, DELETE ${calls.aaiDelete}, bulk POST ${calls.aaiPost}; ` +
    `Keystone tokens ${calls.keystoneTokens}, other ${calls.keystoneOther}; Nova ${calls.nova}; Glance ${calls.glance}; ` +
    `Cinder ${calls.cinder}; sysinv ${calls.sysinv}; k8s plugin ${calls.k8s}`);
  line(`  re-reads of objects the job wrote: ${calls.rereadsOfWrittenObjects}`);
  line(`  sequential time      ${(sequentialMs / 1000).toFixed(2)} s (calls x ${options.latency} ms)`);
  line(`  wall / sequential    1/${(1 / result.ratio).toFixed(1)}`);
  line(`  CPU                  service ${cpuSecondsUsed.service.toFixed(2)} s, doubles ${cpuSecondsUsed.doubles.toFixed(2)} s`);
  return result;
}

/** Registers the audit regions, then watches their audits for a number of intervals. */
let auditRegions: string[] = [];

async function measureAudit(base: string, doubles: Doubles, pid: number): Promise<Json> {
  const placement = options['audit-placement'] !== 0;
  // The first --stuck-regions reach their Nova on hosts of their own (healthy for now).
  const { regions } = await post(`${doubles.control}/setup/audit`, {
    regions: options['audit-regions'],
    hosts: options['audit-hosts'],
    placement,
    relayed: options['stuck-regions'],
  });
  auditRegions = regions;
  const started = Date.now();
  await Promise.all(
    (regions as string[]).map(async (region) => {
      const path = `${base}${PREFIX}/v1/CloudOwner/${region}/registry`;
      await fetch(path, { method: 'POST' });
      const status = await waitForJob(path);
      if (status.code !== 0) throw new Error(`${region}: ${status.status}`);
    }),
  );
  const registeredIn = Date.now() - started;
  await post(`${doubles.control}/forget`, {});
  await sleep(AUDIT_INTERVAL_MS);
  const since = Date.now();
  const cpuBefore = cpuSeconds(pid);
  const windowMs = options['audit-intervals'] * AUDIT_INTERVAL_MS;
  await sleep(windowMs);
  const cpuMs = (cpuSeconds(pid) - cpuBefore) * 1000;
  const starts: Record<string, number[]> = await get(`${doubles.control}/audits?since=${since}`);
  const calls = await get(`${doubles.control}/audit-calls?since=${since}`);
  const lags: number[] = [];
  let audits = 0;
  for (const region of regions as string[]) {
    const times = (starts[region] ?? []).sort((a, b) => a - b);
    audits += times.length;
    for (let i = 1; i < times.length; i += 1) lags.push(Math.max(0, times[i] - times[i - 1] - AUDIT_INTERVAL_MS));
  }
  const missing = (regions as string[]).filter((region) => !(starts[region]?.length));
  // Cloud calls of each region over its audits in the window (the regions do not change). An
  // audit's three calls may straddle the window's ends when the cloud limiter queues them,
  // so the exact proof is the count of inventories/usages reads and token requests: 0.
  const perAudit = (regions as string[])
    .filter((region) => starts[region]?.length)
    .map((region) => Object.values(calls.regions[region] ?? {}).reduce((a: number, b) => a + (b as number), 0) / starts[region].length)
    .sort((a, b) => a - b);
  const byService: Json = {};
  for (const counts of Object.values(calls.regions) as Json[]) {
    for (const [service, n] of Object.entries(counts)) byService[service] = (byService[service] ?? 0) + (n as number);
  }
  lags.sort((a, b) => a - b);
  const result = {
    regions: regions.length,
    hostsPerRegion: options['audit-hosts'],
    placement,
    registeredInMs: registeredIn,
    windowMs,
    auditsPerInterval: audits / options['audit-intervals'],
    regionsNeverAudited: missing.length,
    cloudCallsPerAudit: { mean: perAudit.reduce((a, b) => a + b, 0) / (perAudit.length || 1), max: perAudit[perAudit.length - 1] ?? 0 },
    cloudCallsByService: byService,
    keystoneTokens: calls.tokens,
    lagMs: { p50: percentile(lags, 0.5), p95: percentile(lags, 0.95), max: lags[lags.length - 1] ?? 0 },
    cpuPercentOfOneCore: (100 * cpuMs) / windowMs,
  };
  line(`\naudit: ${regions.length} regions of ${options['audit-hosts']} hosts${placement ? ' with Placement' : ' without Placement'} (registered in ${(registeredIn / 1000).toFixed(1)} s), ` +
    `watched for ${options['audit-intervals']} intervals of ${AUDIT_INTERVAL_MS / 1000} s`);
  line(`  audits per interval  ${result.auditsPerInterval.toFixed(1)} (of ${regions.length} due; ${missing.length} never audited)`);
  line(`  cloud calls / audit  mean ${result.cloudCallsPerAudit.mean.toFixed(2)}, max ${result.cloudCallsPerAudit.max.toFixed(2)} ` +
    `(${Object.entries(byService).map(([k, v]) => `${k} ${v}`).join(', ')}; Keystone tokens ${calls.tokens})`);
  line(`  lag behind schedule  p50 ${result.lagMs.p50} ms, p95 ${result.lagMs.p95} ms, max ${result.lagMs.max} ms`);
  line(`  service CPU          ${result.cpuPercentOfOneCore.toFixed(1)}% of one core`);
  return result;
}

/**
 * Isolation (SPEC 11): the Nova of --stuck-regions regions, each on a host of its
 * own, stops answering; the other regions must still be audited on schedule and a
 * healthy region's capacity_check must answer in under 1 s.
 */
async function measureIsolation(base: string, doubles: Doubles, regions: string[]): Promise<Json> {
  const stuck = regions.slice(0, options['stuck-regions']);
  const healthy = regions.slice(options['stuck-regions']);
  await post(`${doubles.control}/stuck`, { stuck: true });
  await post(`${doubles.control}/forget`, {});
  await sleep(AUDIT_INTERVAL_MS);
  const since = Date.now();
  const windowMs = options['isolation-intervals'] * AUDIT_INTERVAL_MS;
  const checks: number[] = [];
  const failedChecks: string[] = [];
  const check = `${base}${PREFIX}/v1/CloudOwner/${healthy[0]}/capacity_check`;
  while (Date.now() - since < windowMs) {
    const started = Date.now();
    const answer = await fetch(check, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"vCPU":1,"Memory":1,"Storage":1}' });
    checks.push(Date.now() - started);
    if (answer.status !== 200) failedChecks.push(`${answer.status} ${await answer.text()}`);
    await sleep(500);
  }
  const starts: Record<string, number[]> = await get(`${doubles.control}/audits?since=${since}`);
  await post(`${doubles.control}/stuck`, { stuck: false });
  const lags: number[] = [];
  let audits = 0;
  for (const region of healthy) {
    const times = (starts[region] ?? []).sort((a, b) => a - b);
    audits += times.length;
    for (let i = 1; i < times.length; i += 1) lags.push(Math.max(0, times[i] - times[i - 1] - AUDIT_INTERVAL_MS));
  }
  lags.sort((a, b) => a - b);
  checks.sort((a, b) => a - b);
  const result = {
    stuckRegions: stuck.length,
    healthyRegions: healthy.length,
    windowMs,
    healthyAuditsPerInterval: audits / options['isolation-intervals'],
    healthyNeverAudited: healthy.filter((region) => !(starts[region]?.length)).length,
    lagMs: { p50: percentile(lags, 0.5), p95: percentile(lags, 0.95), max: lags[lags.length - 1] ?? 0 },
    capacityCheckMs: { count: checks.length, p50: percentile(checks, 0.5), max: checks[checks.length - 1] ?? 0, failed: failedChecks.slice(0, 3) },
  };
  line(`
isolation: Nova of ${stuck.length} regions (each on its own host) never answers, ${healthy.length} healthy, ` +
    `watched for ${options['isolation-intervals']} intervals`);
  line(`  healthy audits per interval  ${result.healthyAuditsPerInterval.toFixed(1)} (of ${healthy.length} due; ${result.healthyNeverAudited} never audited)`);
  line(`  healthy lag behind schedule  p50 ${result.lagMs.p50} ms, p95 ${result.lagMs.p95} ms, max ${result.lagMs.max} ms`);
  line(`  healthy capacity_check       p50 ${result.capacityCheckMs.p50} ms, max ${result.capacityCheckMs.max} ms over ${checks.length}` +
    (failedChecks.length ? `; ${failedChecks.length} failed: ${failedChecks[0]}` : ''));
  return result;
}

interface Doubles {
  process: ChildProcess;
  aai: string;
  keystone: string;
  k8sPort: number;
  control: string;
}

async function startDoubles(): Promise<Doubles> {
  const child = spawn(process.execPath, [...NODE_FLAGS, '-r', 'ts-node/register/transpile-only', join(ROOT, 'bench', 'doubles-process.ts')], {
    cwd: ROOT,
    env: { ...process.env, LATENCY_MS: String(options.latency), AAI_VERSION: `v${options.aai}` },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (text) => (text.startsWith('{') ? resolve(text) : process.stderr.write(`doubles: ${text}\n`)));
    child.once('exit', (code) => reject(new Error(`the doubles exited (${code})`)));
  });
  return { process: child, ...JSON.parse(first) };
}

function startService(port: number, doubles: Doubles, redisUrl: string | undefined, extraEnv: NodeJS.ProcessEnv = {}): ChildProcess {
  const log = createWriteStream(join(ROOT, 'bench', 'results', 'service.log'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    AAI_SERVICE_URL: doubles.aai,
    AAI_SCHEMA_VERSION: `v${options.aai}`,
    MSB_ADDR: '127.0.0.1',
    MSB_PORT: String(doubles.k8sPort),
    AZCAP_AUDIT_INTERVAL_MS: '',
    ...extraEnv,
  };
  if (redisUrl) env.REDIS_URL = redisUrl;
  else delete env.REDIS_URL;
  // BENCH_PROFILE=1 writes a V8 CPU profile of the service to bench/results/.
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${join(ROOT, 'bench', 'results')}`] : [];
  const child = spawn(process.execPath, [...NODE_FLAGS, ...profile, join(ROOT, 'dist', 'main.js')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  return child;
}

/** Redis on a database of the benchmark's own (emptied), or the in-process store. */
async function pickStore(): Promise<string | undefined> {
  const url = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/14';
  if (url === 'none') return undefined;
  const client = createClient({ url, socket: { reconnectStrategy: false, connectTimeout: 1000 } });
  try {
    await client.connect();
    await client.flushDb();
    await client.quit();
    return url;
  } catch {
    return undefined;
  }
}

async function waitForJob(path: string): Promise<Json> {
  for (let failures = 0; ; ) {
    // A thousand regions polled at once on a busy machine: a refused poll is tried again.
    const status = (await fetch(path).then((r) => r.json()).catch((error: Error) => {
      if ((failures += 1) > 20) throw error;
      return {};
    })) as Json;
    if (status.state && status.state !== 'in-progress') return status;
    // Wall time comes from the job's own timestamps: polling only needs to notice the end.
    await sleep(50);
  }
}

function peakRssMb(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
}

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(execSync('getconf CLK_TCK').toString().trim()) || 100;
  return (Number(fields[11]) + Number(fields[12])) / ticks;
}

function machine(): Json {
  const cpus = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m)?.[1];
  return { node: process.version, cores: os.cpus().length, cpu: cpus };
}

async function post(url: string, body: unknown): Promise<Json> {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return (await response.json()) as Json;
}

async function get(url: string): Promise<Json> {
  return (await (await fetch(url)).json()) as Json;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the service did not start');
    await sleep(100);
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : 0;
}

function sum(values: Json, keys: string[]): number {
  return keys.reduce((total, key) => total + (values[key] ?? 0), 0);
}

function parseOptions<T extends Record<string, number>>(defaults: T): T {
  const result: Record<string, number> = { ...defaults };
  for (const arg of process.argv.slice(2)) {
    const match = /^--([a-z-]+)=(\d+(?:\.\d+)?)$/.exec(arg);
    if (!match || !(match[1] in defaults)) throw new Error(`unknown option ${arg}; known: ${Object.keys(defaults).join(', ')}`);
    result[match[1]] = Number(match[2]);
  }
  return result as T;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function line(text: string): void {
  process.stdout.write(`${text}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
