import { LoggerService } from '@nestjs/common';

/** Keeps every log line so tests can read them (e.g. to prove no secret was logged). */
export class CaptureLogger implements LoggerService {
  readonly lines: string[] = [];

  log(message: unknown, ...rest: unknown[]): void {
    this.keep('LOG', message, rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.keep('ERROR', message, rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.keep('WARN', message, rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.keep('DEBUG', message, rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.keep('VERBOSE', message, rest);
  }

  private keep(level: string, message: unknown, rest: unknown[]): void {
    const line = `${level} ${[message, ...rest].map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(' ')}`;
    this.lines.push(line);
    if (process.env.TEST_LOGS) process.stdout.write(`${line}\n`);
  }
}
