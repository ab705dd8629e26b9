import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';

import { RemoteCallError } from '../../application/ports/remote-call.error';
import { Redactor } from '../../application/jobs/redactor';
import { StoreUnavailableError } from '../../application/ports/store-unavailable.error';
import {
  CloudRegionNotFoundError,
  DeadlineExceededError,
  DomainError,
  InvalidRequestError,
  InvalidVimIdError,
  NotAuthenticatedError,
  RegistrationNotFoundError,
  ServiceNotInCatalogError,
  UpstreamUnreachableError,
  VimInfoIncompleteError,
} from '../../domain/errors';

/**
 * The one place errors become HTTP: `{"error": "…"}` with 400, 401, 404, 500,
 * 502, 503 (the store) or 504 (and
 * `"result": false` on capacity_check), whatever threw it, Nest's own 400s included.
 */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiErrorFilter');

  constructor(private readonly redactor: Redactor) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const [status, raw] = this.translate(error);
    const message = this.redactor.line(raw);
    if (status >= 500) {
      this.logger.error(this.redactor.line(`${request.method} ${request.path}: ${message}`));
    }
    const body: Record<string, unknown> = request.path.includes('/capacity_check') ? { result: false, error: message } : { error: message };
    response.status(status).json(body);
  }

  private translate(error: unknown): [number, string] {
    if (error instanceof InvalidVimIdError || error instanceof InvalidRequestError) {
      return [HttpStatus.BAD_REQUEST, error.message];
    }
    if (error instanceof NotAuthenticatedError) {
      return [HttpStatus.UNAUTHORIZED, error.message];
    }
    if (error instanceof UpstreamUnreachableError) {
      return [HttpStatus.BAD_GATEWAY, error.message];
    }
    // A region without its esr-system-info (never onboarded in full, or de-registered) has nothing to serve: not found.
    if (
      error instanceof RegistrationNotFoundError ||
      error instanceof CloudRegionNotFoundError ||
      error instanceof ServiceNotInCatalogError ||
      error instanceof VimInfoIncompleteError
    ) {
      return [HttpStatus.NOT_FOUND, error.message];
    }
    if (error instanceof DeadlineExceededError) {
      return [HttpStatus.GATEWAY_TIMEOUT, error.message];
    }
    if (error instanceof StoreUnavailableError) {
      return [HttpStatus.SERVICE_UNAVAILABLE, error.message];
    }
    if (error instanceof DomainError || error instanceof RemoteCallError) {
      return [HttpStatus.INTERNAL_SERVER_ERROR, error.message];
    }
    if (error instanceof HttpException) {
      return [error.getStatus(), httpMessage(error)];
    }
    this.logger.error(this.redactor.text(error instanceof Error ? (error.stack ?? error.message) : String(error)));
    return [HttpStatus.INTERNAL_SERVER_ERROR, error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'Internal error'];
  }
}

function httpMessage(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : error.message;
}
