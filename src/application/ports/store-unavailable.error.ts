/** The service's own store (Redis) cannot be reached: job states and capacity cannot be read or kept. */
export class StoreUnavailableError extends Error {
  constructor(detail: string) {
    super(`the service's store is unreachable (${detail})`);
    this.name = 'StoreUnavailableError';
  }
}
