import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface ServiceProcess {
  child: ChildProcess;
  /** Everything it wrote so far, stdout and stderr. */
  output: () => string;
  /** The exit code, or the signal that ended the process. */
  exited: Promise<number | string | null>;
}

/** `src/main.ts` as its own process, with only the environment given (no REDIS_URL, A&AI, MSB, … of the test run). */
export function startService(env: Record<string, string>): ServiceProcess {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(REDIS_URL|AAI_|MSB_|SSL_|PORT$|AZCAP_|LOG_|SHUTDOWN_|PROXY_)/.test(key)));
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src', 'main.ts')], {
    cwd: ROOT,
    env: { ...clean, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (chunk) => (text += chunk));
  child.stderr!.on('data', (chunk) => (text += chunk));
  const exited = new Promise<number | string | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  return { child, output: () => text, exited };
}

/** The environment that points a service process at the test doubles (Redis on the Redis pass), JSON logs, audits an interval apart. */
export function doublesEnv(port: number, doubles: { aai: { serviceUrl: string; version: string }; k8s: { port: number } }, redisUrl?: string): Record<string, string> {
  return {
    PORT: String(port),
    AAI_SERVICE_URL: doubles.aai.serviceUrl,
    AAI_SCHEMA_VERSION: doubles.aai.version,
    MSB_PROTO: 'http',
    MSB_ADDR: '127.0.0.1',
    MSB_PORT: String(doubles.k8s.port),
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    AZCAP_AUDIT_INTERVAL_MS: '600000',
    LOG_FORMAT: 'json',
  };
}

/** Every line the process wrote, each parsed as a JSON object (a crash's stack trace is not one: it throws). */
export function jsonLines(service: ServiceProcess): Array<Record<string, any>> {
  return service
    .output()
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, any>);
}

/** Ends a service process a test left running (SIGKILL), and waits for it. */
export async function killService(service: ServiceProcess | undefined): Promise<void> {
  if (service?.child.exitCode !== null || !service) return;
  service.child.kill('SIGKILL');
  await service.exited;
}

/** `src/main.ts` as its own process, once it says it listens (bounded); its start output in the error otherwise. */
export async function startListeningService(env: Record<string, string>, timeoutMs = 30_000): Promise<ServiceProcess> {
  const service = startService(env);
  const deadline = Date.now() + timeoutMs;
  while (!service.output().includes('listening on')) {
    if (Date.now() > deadline || service.child.exitCode !== null) throw new Error(`the service did not start: ${service.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return service;
}

/** Stops a service process with SIGTERM, as Kubernetes does, and waits for it. */
export async function stopService(service: ServiceProcess | undefined): Promise<void> {
  if (!service || service.child.exitCode !== null) return;
  service.child.kill('SIGTERM');
  await service.exited;
}
