/** Base of the errors the domain and the use cases throw; never an HTTP type. */
export abstract class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidVimIdError extends DomainError {}

export class InvalidRequestError extends DomainError {}

export class RegistrationNotFoundError extends DomainError {
  constructor(vimId: string) {
    super(`Registration process for Cloud Region not found: ${vimId}`);
  }
}

export class CloudRegionNotFoundError extends DomainError {
  constructor(vimId: string) {
    super(`Cloud Region not found in AAI: ${vimId}`);
  }
}

export class VimInfoIncompleteError extends DomainError {}

/** No token, or one the cloud's Keystone refuses (SPEC 8): a 401. */
export class NotAuthenticatedError extends DomainError {}

/** The region's catalog has no endpoint for a service type (SPEC 8): a 404. */
export class ServiceNotInCatalogError extends DomainError {}

/** The cloud's Keystone or service could not be reached through the proxy (SPEC 8): a 502. */
export class UpstreamUnreachableError extends DomainError {}

/** A request did not finish within its deadline (capacity_check's overall bound): a 504. */
export class DeadlineExceededError extends DomainError {}
