import { Injectable, Logger } from '@nestjs/common';

import { LogPort } from '../application/ports/log.port';

@Injectable()
export class NestLog extends LogPort {
  private readonly logger = new Logger('multicloud-starlingx');

  info(message: string): void {
    this.logger.log(message);
  }

  warn(message: string): void {
    this.logger.warn(message);
  }

  error(message: string): void {
    this.logger.error(message);
  }
}
