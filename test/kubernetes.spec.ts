import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadAll } from 'js-yaml';
import request from 'supertest';

import { loadAppConfig } from '../src/config/app.config';
import { parseExposition } from './support/exposition';
import { Doubles, TestApp, startApp, startDoubles, stopDoubles } from './support/start-app';

type Json = Record<string, any>;

const ROOT = join(__dirname, '..');
const KUSTOMIZE_DIR = join(ROOT, 'deploy', 'kubernetes');
const SITE_DIR = join(KUSTOMIZE_DIR, 'overlays', 'example-site');
const DASHBOARD = join(KUSTOMIZE_DIR, 'base', 'grafana-dashboard.json');
const CA_MOUNT = '/etc/multicloud-starlingx/ca';

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

/** `kubectl kustomize dir`: the objects, and the service's environment from the ConfigMap and the A&AI Secret. */
function render(dir: string) {
  const rendered = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  const objects = (rendered.status === 0 ? loadAll(rendered.stdout) : []) as Json[];
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name.replace(/-[a-z0-9]{10}$/, '') === name);
  const deployment = find('Deployment', 'multicloud-starlingx')!;
  const pod = deployment?.spec.template.spec;
  const container = pod?.containers[0];
  const configMap = find('ConfigMap', 'multicloud-starlingx-config')!;
  const secret = find('Secret', 'multicloud-starlingx-aai')!;
  const decode = (data: Json | undefined) => Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [k, Buffer.from(String(v), 'base64').toString()]));
  const env: Record<string, string> = { ...configMap?.data, ...decode(secret?.data) };
  return { rendered, objects, find, deployment, pod, container, configMap, secret, env, decode };
}

/** The environment as the pod sees it: the CA files at the paths the Secret is mounted on (here, a temporary copy). */
function podEnv(env: Record<string, string>, caPem: string): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'ca-'));
  writeFileSync(join(dir, 'ca.crt'), caPem);
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.startsWith(`${CA_MOUNT}/`) ? join(dir, v.slice(CA_MOUNT.length + 1)) : v]));
}

describeWithKubectl('deploy/kubernetes rendered by `kubectl kustomize` (skipped where kubectl is absent)', () => {
  const app = withApp();
  const { rendered, objects, find, deployment, pod, container, configMap, secret, env } = render(KUSTOMIZE_DIR);

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
    const config = loadAppConfig(podEnv(env, 'any CA'));
    expect(config.log.format).toBe('json');
    expect(config.redisUrl).toBeDefined();
  });

  it('refuses to start as is in the image (NODE_ENV=production): the default A&AI login, in one message', () => {
    expect(() => loadAppConfig({ ...podEnv(env, 'any CA'), NODE_ENV: 'production' })).toThrow(
      new Error('Invalid environment: NODE_ENV=production needs AAI_USERNAME and AAI_PASSWORD (not the default AAI/AAI login)'),
    );
  });

  it('annotates the Service for MSB: v0 and v1 of multicloud-starlingx on port 9009, visualRange 1', () => {
    const service = find('Service', 'multicloud-starlingx')!;
    expect(JSON.parse(service.metadata.annotations['msb.onap.org/service-info'])).toEqual([
      { serviceName: 'multicloud-starlingx', version: 'v0', url: '/api/multicloud-starlingx/v0', protocol: 'REST', enable_ssl: false, port: '9009', visualRange: '1' },
      { serviceName: 'multicloud-starlingx', version: 'v1', url: '/api/multicloud-starlingx/v1', protocol: 'REST', enable_ssl: false, port: '9009', visualRange: '1' },
    ]);
    expect(service.spec.ports[0].port).toBe(9009);
  });

  it('mounts the A&AI CA from a Secret where AAI_CA_FILE (and MSB_CA_FILE) point, and talks https to MSB', () => {
    expect(pod.volumes).toEqual([{ name: 'onap-ca', secret: { secretName: 'multicloud-starlingx-ca', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }]);
    expect(container.volumeMounts).toEqual([{ name: 'onap-ca', mountPath: CA_MOUNT, readOnly: true }]);
    expect(env.AAI_CA_FILE).toBe(`${CA_MOUNT}/ca.crt`);
    expect(env.MSB_CA_FILE).toBe(`${CA_MOUNT}/ca.crt`);
    // The registration hands Kubernetes tokens to multicloud-k8s through MSB: not in clear.
    expect(env).toMatchObject({ MSB_PROTO: 'https', MSB_PORT: '443' });
    expect(loadAppConfig(podEnv(env, 'any CA')).warnings).toEqual([]);
  });

  it('keeps the A&AI password in the Secret only, where the service reads it', () => {
    expect(Object.keys(secret.data)).toEqual(['AAI_PASSWORD']);
    expect(env.AAI_PASSWORD).not.toBe('');
    expect(configMap.data.AAI_PASSWORD).toBeUndefined();
    expect(loadAppConfig(podEnv(env, 'any CA')).aai.password).toBe(env.AAI_PASSWORD);
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

describeWithKubectl('the site overlay example (deploy/kubernetes/overlays/example-site)', () => {
  const base = render(KUSTOMIZE_DIR);
  const site = render(SITE_DIR);
  const caSecret = site.find('Secret', 'multicloud-starlingx-ca')!;
  const caPem = site.decode(caSecret?.data)['ca.crt'];

  it('renders the base in the site namespace, with the CA Secret the base mounts', () => {
    expect(site.rendered.stderr).toBe('');
    const names = (objects: Json[]) => objects.map((o) => `${o.kind}/${o.metadata.name.replace(/-[a-z0-9]{10}$/, '')}`).sort();
    expect(names(site.objects)).toEqual([...names(base.objects), 'Secret/multicloud-starlingx-ca'].sort());
    expect(new Set(site.objects.map((o) => o.metadata.namespace))).toEqual(new Set(['onap']));
    expect(site.pod.volumes[0].secret.secretName).toBe(caSecret.metadata.name);
    expect(Object.keys(caSecret.data)).toEqual(['ca.crt']);
    expect(caPem).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
  });

  it('starts in the image (NODE_ENV=production) with the A&AI, login and CA of the site', () => {
    expect(site.secret.metadata.name).not.toBe(base.secret.metadata.name);
    expect(Object.keys(site.secret.data)).toEqual(['AAI_PASSWORD']);
    const config = loadAppConfig({ ...podEnv(site.env, caPem), NODE_ENV: 'production' });
    expect(config.aai).toMatchObject({
      baseUrl: 'https://aai.onap:8443/aai/v19',
      username: 'multicloud-starlingx',
      password: site.env.AAI_PASSWORD,
      ca: Buffer.from(caPem),
    });
    expect(config.msbCa).toEqual(Buffer.from(caPem));
    expect(config.msbBaseUrl).toBe('https://msb-iag.onap:443');
    expect(config.warnings).toEqual([]);
  });

  it('keeps the probes of the base', () => {
    expect(site.container.livenessProbe).toEqual(base.container.livenessProbe);
    expect(site.container.readinessProbe).toEqual(base.container.readinessProbe);
  });
});

describe('the Grafana dashboard (deploy/kubernetes/base/grafana-dashboard.json)', () => {
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
