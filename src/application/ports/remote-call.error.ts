/** Which remote system a call went to; used in every error and status message. */
export type RemoteSystem = 'A&AI' | 'Keystone' | 'Nova' | 'Placement' | 'Glance' | 'Cinder' | 'sysinv' | 'dcmanager' | 'multicloud-k8s' | 'Heat' | 'Neutron';

/**
 * What every driven adapter throws when a remote call fails: which system, which call,
 * and the HTTP status if one came back. Never carries a request body or a header.
 */
export class RemoteCallError extends Error {
  constructor(
    readonly system: RemoteSystem,
    /** e.g. `GET http://nova:8774/v2.1/flavors/detail` (no query, no credentials) */
    readonly call: string,
    readonly status?: number,
    readonly detail?: string,
  ) {
    super(`${system} ${call} ${status !== undefined ? `answered ${status}` : 'failed'}` + (detail ? `: ${detail}` : ''));
    this.name = 'RemoteCallError';
  }

  static is(error: unknown, status?: number): error is RemoteCallError {
    return error instanceof RemoteCallError && (status === undefined || error.status === status);
  }

  /** A 4xx: the remote refused the request itself; trying again will not help. */
  get refused(): boolean {
    return this.status !== undefined && this.status >= 400 && this.status < 500;
  }
}

/** A write A&AI refused or that failed, as a reconcile's writer reported it (its status is the job's code). */
export class WriteFailedError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'WriteFailedError';
  }
}
