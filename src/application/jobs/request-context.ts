import { currentScope, runInScope } from './call-scope';

/**
 * Who a piece of work is for: the request id (the inbound X-ONAP-RequestID, X-RequestID or
 * X-TransactionID, or a new UUID), the inbound invocation and partner (X-InvocationID,
 * X-ONAP-PartnerName), and the region and job run once known. Log lines carry these
 * fields and every outbound call sends the request id on, so one id follows a request
 * from the POST through its job to A&AI.
 */
export interface RequestContext {
  requestId: string;
  invocationId?: string;
  partnerName?: string;
  vimId?: string;
  runId?: string;
}

/** Kept in call-scope's AsyncLocalStorage: one store for signal, warnings and context. */
export function runInContext<T>(context: RequestContext, work: () => T): T {
  return runInScope({ context }, work);
}

export function currentContext(): RequestContext | undefined {
  return currentScope()?.context;
}

/** Names the region the current request concerns, once its path has been decoded. */
export function noteVimId(vimId: string): void {
  const context = currentContext();
  if (context) context.vimId = vimId;
}
