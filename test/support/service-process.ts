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
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(REDIS_URL|AAI_|MSB_|SSL_|PORT$|AZCAP_|LOG_|SHUTDOWN_)/.test(key)),
  );
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
