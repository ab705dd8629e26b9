import { CanActivate, ExecutionContext, Injectable, ServiceUnavailableException } from '@nestjs/common';
import type { Request } from 'express';

/** Whether this replica is stopping (SIGTERM seen): readiness turns false, writes are refused. */
@Injectable()
export class Shutdown {
  draining = false;
}

/** While draining, a new POST or DELETE answers 503 `{"error"}`: the client tries another replica. */
@Injectable()
export class DrainingGuard implements CanActivate {
  constructor(private readonly shutdown: Shutdown) {}

  canActivate(context: ExecutionContext): boolean {
    const method = context.switchToHttp().getRequest<Request>().method;
    if (this.shutdown.draining && (method === 'POST' || method === 'DELETE')) {
      throw new ServiceUnavailableException('the service is stopping: send the request to another replica');
    }
    return true;
  }
}
