import { Server } from 'node:http';

import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';

import { HTTP_APP_OPTIONS, configureHttpApp } from '../../src/adapters/http/http-app';
import { AppModule } from '../../src/app.module';
import { AaiDouble, AaiDoubleOptions } from '../servers/aai.server';
import { K8sPluginDouble } from '../servers/k8s-plugin.server';
import { OpenStackDouble } from '../servers/openstack.server';
import { CaptureLogger } from './capture-logger';
import { resetStore, testRedisUrl } from './redis';

export interface Doubles {
  aai: AaiDouble;
  openstack: OpenStackDouble;
  k8s: K8sPluginDouble;
}

export async function startDoubles(aai: AaiDoubleOptions = {}, cloudTls?: { key: Buffer; cert: Buffer }): Promise<Doubles> {
  const doubles = { aai: new AaiDouble(aai), openstack: new OpenStackDouble(cloudTls), k8s: new K8sPluginDouble() };
  await Promise.all([doubles.aai.start(), doubles.openstack.start(), doubles.k8s.start()]);
  return doubles;
}

export async function stopDoubles(doubles: Doubles | undefined): Promise<void> {
  if (!doubles) return;
  await Promise.all([doubles.aai.close(), doubles.openstack.close(), doubles.k8s.close()]);
}

export interface TestApp {
  app: INestApplication;
  http: Server;
  logs: CaptureLogger;
  close(): Promise<void>;
}

/**
 * The real AppModule, configured only through its environment to talk to the doubles
 * (A&AI, and MSB = the k8s plugin double), with short waits so tests run fast. The
 * store is Redis when the run has REDIS_URL, else in-process memory.
 */
export async function startApp(doubles: Doubles, env: Record<string, string> = {}): Promise<TestApp> {
  const settings: Record<string, string | undefined> = {
    AAI_SERVICE_URL: doubles.aai.serviceUrl,
    AAI_SCHEMA_VERSION: doubles.aai.version,
    AAI_USERNAME: 'AAI',
    AAI_PASSWORD: 'AAI',
    MSB_PROTO: 'http',
    MSB_ADDR: '127.0.0.1',
    MSB_PORT: String(doubles.k8s.port),
    REDIS_URL: testRedisUrl(),
    HTTP_TIMEOUT_MS: '5000',
    HTTP_RETRY_BASE_MS: '5',
    AAI_CONFIRM_INTERVAL_MS: '10',
    AZCAP_AUDIT_INTERVAL_MS: '600000',
    VIM_INFO_CACHE_MS: '0',
    // The pino request lines; the app's own lines go to the CaptureLogger.
    LOG_LEVEL: process.env.TEST_LOGS ? 'info' : 'silent',
    ...env,
  };
  const saved = { ...process.env };
  for (const [key, value] of Object.entries(settings)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  const logs = new CaptureLogger();
  try {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .setLogger(logs)
      .compile();
    const app = configureHttpApp(moduleRef.createNestApplication({ ...HTTP_APP_OPTIONS, logger: logs }));
    await app.init();
    let closed: Promise<void> | undefined;
    return {
      app,
      http: app.getHttpServer() as Server,
      logs,
      // Closing twice (a test, then its suite) closes once.
      close: () => (closed ??= app.close()),
    };
  } finally {
    process.env = saved;
  }
}

/** Nest's logger is process-wide: the lines of replicas in one process land in whichever started last. */
export function logLines(...replicas: TestApp[]): string[] {
  return replicas.flatMap((replica) => replica.logs.lines);
}

export interface SuiteOptions {
  aai?: AaiDoubleOptions;
  env?: Record<string, string>;
}

/**
 * The usual suite: before it, an empty store, fresh doubles and the app; after it,
 * both closed. `assign` hands them to the suite's own variables.
 */
export function serveSuite(assign: (started: { doubles: Doubles; service: TestApp }) => void, options: SuiteOptions = {}): void {
  let started: { doubles: Doubles; service: TestApp } | undefined;
  beforeAll(async () => {
    await resetStore();
    const doubles = await startDoubles(options.aai);
    started = { doubles, service: await startApp(doubles, options.env) };
    assign(started);
  });
  afterAll(async () => {
    await started?.service.close();
    await stopDoubles(started?.doubles);
  });
}

/**
 * A suite of several app instances (replicas, restarts) on fresh doubles and an empty
 * store. The returned function starts one more; all are closed after each test.
 */
export function serveReplicas(assign: (doubles: Doubles) => void, baseEnv: Record<string, string> = {}) {
  let doubles: Doubles;
  const apps: TestApp[] = [];
  beforeAll(async () => {
    await resetStore();
    doubles = await startDoubles();
    assign(doubles);
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  afterAll(() => stopDoubles(doubles));
  return async (env: Record<string, string> = {}): Promise<TestApp> => {
    const app = await startApp(doubles, { ...baseEnv, ...env });
    apps.push(app);
    return app;
  };
}
