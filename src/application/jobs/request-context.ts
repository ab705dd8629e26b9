import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who a piece of work is for: the request id (the inbound X-ONAP-RequestID or
 * X-TransactionId, or a new UUID), and the region and job run once known. Log lines
 * carry these fields and every outbound call sends the request id on, so one id
 * follows a request from the POST through its job to A&AI.
 */
export interface RequestContext {
  requestId: string;
  vimId?: string;
  runId?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runInContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Names the region the current request concerns, once its path has been decoded. */
export function noteVimId(vimId: string): void {
  const context = storage.getStore();
  if (context) context.vimId = vimId;
}
