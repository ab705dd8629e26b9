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

/** A request did not finish within its deadline (capacity_check's overall bound). */
export class DeadlineExceededError extends DomainError {
  readonly code = 'DEADLINE_EXCEEDED';
}
