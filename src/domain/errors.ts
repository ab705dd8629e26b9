/** Base of the errors the domain and the use cases throw; never an HTTP type. */
export abstract class DomainError extends Error {
  abstract readonly code: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidVimIdError extends DomainError {
  readonly code = 'INVALID_VIM_ID';
}

export class InvalidRequestError extends DomainError {
  readonly code = 'INVALID_REQUEST';
}

export class RegistrationNotFoundError extends DomainError {
  readonly code = 'REGISTRATION_NOT_FOUND';

  constructor(vimId: string) {
    super(`Registration process for Cloud Region not found: ${vimId}`);
  }
}

export class CloudRegionNotFoundError extends DomainError {
  readonly code = 'CLOUD_REGION_NOT_FOUND';

  constructor(vimId: string) {
    super(`Cloud Region not found in AAI: ${vimId}`);
  }
}

export class VimInfoIncompleteError extends DomainError {
  readonly code = 'VIM_INFO_INCOMPLETE';
}

/** No token, or one the cloud's Keystone refuses (SPEC 8): a 401. */
export class NotAuthenticatedError extends DomainError {
  readonly code = 'NOT_AUTHENTICATED';
}

/** The region's catalog has no endpoint for a service type (SPEC 8): a 404. */
export class ServiceNotInCatalogError extends DomainError {
  readonly code = 'SERVICE_NOT_IN_CATALOG';
}

/** The cloud's Keystone or service could not be reached through the proxy (SPEC 8): a 502. */
export class UpstreamUnreachableError extends DomainError {
  readonly code = 'UPSTREAM_UNREACHABLE';
}
