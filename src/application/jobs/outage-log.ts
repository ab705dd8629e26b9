import { describeError } from './job-messages';
import { LogPort } from '../ports/log.port';

/** A recurring round (audits, syncs) that says once when it stops working and once when it works again. */
export class OutageLog {
  private failing = false;

  constructor(
    private readonly log: LogPort,
    private readonly what: string,
  ) {}

  worked(): void {
    if (this.failing) this.log.info(`${this.what} resumed`);
    this.failing = false;
  }

  failed(error: unknown): void {
    if (!this.failing) this.log.error(`${this.what} paused: ${describeError(error)}`);
    this.failing = true;
  }
}
