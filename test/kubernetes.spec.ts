import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { loadAll } from 'js-yaml';
import request from 'supertest';

import { loadAppConfig } from '../src/config/app.config';
import { parseExposition } from './support/exposition';
import { Doubles, TestApp, startApp, startDoubles, stopDoubles } from './support/start-app';

type Json = Record<string, any>;

const ROOT = join(__dirname, '..');
const KUSTOMIZE_DIR = join(ROOT, 'deploy', 'kubernetes');
const DASHBOARD = join(KUSTOMIZE_DIR, 'grafana-dashboard.json');

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
const HAS_KUBECTL = !kubectl.error && kubectl.status === 0;
const describeWithKubectl = HAS_KUBECTL ? describe : describe.skip;
if (!HAS_KUBECTL) {
  // Shown in the run's output: this suite did not check the manifests.
  console.warn('test/kubernetes.spec.ts: kubectl not found on PATH; the deploy/kubernetes rendering checks are SKIPPED');
}

/** Variables the README's configuration table names (first column). */
function documentedVariables(): Set<string> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## ', readme.indexOf('## Configuration') + 5));
  const names = table
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...line.split('|')[1].matchAll(/`([A-Z0-9_]+)`/g)].map((m) => m[1]));
  return new Set(names);
}

/** The real app on the doubles, for the paths the manifests name. */
function withApp(): () => TestApp {
  let doubles: Doubles;
  let service: TestApp;
  beforeAll(async () => {
    doubles = await startDoubles();
    service = await startApp(doubles);
  });
  afterAll(async () => {
    await service?.close();
    await stopDoubles(doubles);
  });
  return () => service;
}

describeWithKubectl('deploy/kubernetes rendered by `kubectl kustomize` (skipped where kubectl is absent)', () => {
  const app = withApp();
  const rendered = spawnSync('kubectl', ['kustomize', KUSTOMIZE_DIR], { encoding: 'utf8' });
  const objects = (rendered.status === 0 ? loadAll(rendered.stdout) : []) as Json[];
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name.startsWith(name));
  const deployment = find('Deployment', 'multicloud-starlingx')!;
  const pod = deployment?.spec.template.spec;
  const container = pod?.containers[0];
  const configMap = find('ConfigMap', 'multicloud-starlingx-config')!;
  const secret = find('Secret', 'multicloud-starlingx-aai')!;
  const env = { ...configMap?.data, ...Object.fromEntries(Object.entries(secret?.data ?? {}).map(([k, v]) => [k, Buffer.from(String(v), 'base64').toString()])) };

  it('renders', () => {
    expect(rendered.stderr).toBe('');
    expect(objects.map((o) => `${o.kind}/${o.metadata.name.replace(/-[a-z0-9]{10}$/, '')}`).sort()).toEqual([
      'ConfigMap/multicloud-starlingx-config',
      'ConfigMap/multicloud-starlingx-dashboard',
      'Deployment/multicloud-starlingx',
      'PodDisruptionBudget/multicloud-starlingx',
      'Secret/multicloud-starlingx-aai',
      'Service/multicloud-starlingx',
      'Service/multicloud-starlingx-redis',
      'StatefulSet/multicloud-starlingx-redis',
    ]);
  });

  it('runs 2 replicas with resources, its environment from the ConfigMap and the Secret', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(container.resources).toEqual({
      requests: { cpu: expect.any(String), memory: expect.any(String) },
      limits: { cpu: expect.any(String), memory: expect.any(String) },
    });
    expect(container.envFrom).toEqual([{ configMapRef: { name: configMap.metadata.name } }, { secretRef: { name: secret.metadata.name } }]);
    expect(container.env).toBeUndefined();
    // Room for SHUTDOWN_GRACE_MS and the close after it.
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(Number(env.SHUTDOWN_GRACE_MS) + 5_000);
  });

  it('sets only variables of the configuration table, which the service reads and accepts', () => {
    const documented = documentedVariables();
    const configSource = readFileSync(join(ROOT, 'src', 'config', 'app.config.ts'), 'utf8');
    for (const name of Object.keys(env)) {
      expect([name, documented.has(name)]).toEqual([name, true]);
      expect([name, configSource.includes(`'${name}'`)]).toEqual([name, true]);
    }
    expect(env).toMatchObject({ LOG_FORMAT: 'json', PORT: '9009' });
    const config = loadAppConfig(env);
    expect(config.log.format).toBe('json');
    expect(config.redisUrl).toBeDefined();
  });

  it('keeps the A&AI password in the Secret only, where the service reads it', () => {
    expect(Object.keys(secret.data)).toEqual(['AAI_PASSWORD']);
    expect(env.AAI_PASSWORD).not.toBe('');
    expect(configMap.data.AAI_PASSWORD).toBeUndefined();
    expect(loadAppConfig(env).aai.password).toBe(env.AAI_PASSWORD);
  });

  it('probes paths the service answers, on the port it listens on', async () => {
    const port = container.ports.find((p: Json) => p.name === 'http');
    expect(port.containerPort).toBe(Number(env.PORT));
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
    for (const path of [container.livenessProbe.httpGet.path, container.readinessProbe.httpGet.path, deployment.spec.template.metadata.annotations['prometheus.io/path']]) {
      await request(app().http).get(path).expect(200);
    }
  });

  it('serves on 9009 through a Service, covered by a PodDisruptionBudget, with Redis where REDIS_URL points', () => {
    const labels = deployment.spec.template.metadata.labels;
    const matches = (selector: Json) => Object.entries(selector).every(([key, value]) => labels[key] === value);
    const service = find('Service', 'multicloud-starlingx')!;
    expect(service.spec.ports).toEqual([{ name: 'http', port: 9009, targetPort: 'http' }]);
    expect(matches(service.spec.selector)).toBe(true);
    expect(matches(deployment.spec.selector.matchLabels)).toBe(true);
    const pdb = find('PodDisruptionBudget', 'multicloud-starlingx')!;
    expect(matches(pdb.spec.selector.matchLabels)).toBe(true);
    expect(pdb.spec.minAvailable).toBeLessThan(deployment.spec.replicas);
    const redisUrl = new URL(env.REDIS_URL);
    const redisService = find('Service', 'multicloud-starlingx-redis')!;
    expect(redisService.metadata.name).toBe(redisUrl.hostname);
    expect(redisService.spec.ports[0].port).toBe(Number(redisUrl.port));
    const redis = find('StatefulSet', 'multicloud-starlingx-redis')!;
    expect(Object.entries(redisService.spec.selector).every(([k, v]) => redis.spec.template.metadata.labels[k] === v)).toBe(true);
  });

  it('ships the Grafana dashboard in a ConfigMap a Grafana sidecar picks up', () => {
    const dashboard = find('ConfigMap', 'multicloud-starlingx-dashboard')!;
    expect(dashboard.metadata.labels.grafana_dashboard).toBe('1');
    expect(JSON.parse(dashboard.data['grafana-dashboard.json'])).toEqual(JSON.parse(readFileSync(DASHBOARD, 'utf8')));
  });
});

describe('the Grafana dashboard (deploy/kubernetes/grafana-dashboard.json)', () => {
  const app = withApp();
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as Json;
  const queries: string[] = dashboard.panels.flatMap((panel: Json) => panel.targets.map((target: Json) => target.expr));

  it('queries only series the service exports', async () => {
    const exported = parseExposition((await request(app().http).get('/metrics').expect(200)).text).types;
    expect(queries.length).toBeGreaterThan(0);
    for (const query of queries) {
      const names = [...query.matchAll(/\b(multicloud_[a-z0-9_]+)/g)].map((m) => m[1].replace(/_(bucket|count|sum)$/, ''));
      expect([query, names.length > 0]).toEqual([query, true]);
      for (const name of names) expect([query, name, exported.has(name)]).toEqual([query, name, true]);
    }
  });

  it('shows registrations by outcome, job durations, audit lag, remote errors by system and A&AI writes', () => {
    const all = queries.join('\n');
    expect(all).toMatch(/sum by \(outcome\) \(increase\(multicloud_jobs_total\{kind="register"\}/);
    expect(all).toMatch(/multicloud_job_duration_seconds_bucket/);
    expect(all).toMatch(/multicloud_audit_lag_seconds/);
    expect(all).toMatch(/sum by \(system, status\) \(rate\(multicloud_remote_calls_total\{status!~"2\.\."\}/);
    expect(all).toMatch(/sum by \(action, mode\) \(rate\(multicloud_aai_writes_total/);
  });
});
