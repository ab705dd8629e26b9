import { Injectable, Logger } from '@nestjs/common';

import { LogPort } from '../application/ports/log.port';
import { Redactor } from '../application/jobs/redactor';

@Injectable()
export class NestLog extends LogPort {
  private readonly logger = new Logger('multicloud-starlingx');

  constructor(private readonly redactor: Redactor) {
    super();
  }

  info(message: string): void {
    this.logger.log(this.redactor.line(message));
  }

  warn(message: string): void {
    this.logger.warn(this.redactor.line(message));
  }

  error(message: string): void {
    this.logger.error(this.redactor.line(message));
  }
}
