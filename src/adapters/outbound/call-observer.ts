import { randomUUID } from 'node:crypto';

import { currentContext } from '../../application/jobs/request-context';
import { RemoteSystem } from '../../application/ports/remote-call.error';
import { rootLogger } from '../observability/logging';
import { metrics } from '../observability/metrics';
import { outboundHeaders } from '../observability/onap-headers';

/** Metric label of each remote system (SPEC section 10). */
const SYSTEM_LABEL: Record<RemoteSystem | 'proxy', string> = {
  'A&AI': 'aai',
  Keystone: 'keystone',
  Nova: 'nova',
  Placement: 'placement',
  Glance: 'glance',
  Cinder: 'cinder',
  sysinv: 'sysinv',
  dcmanager: 'dcmanager',
  'multicloud-k8s': 'k8s-plugin',
  Heat: 'heat',
  Neutron: 'neutron',
  proxy: 'proxy',
};

/**
 * The one seam every remote call attempt goes through (OutboundHttp and the cloud proxy
 * call it around the wire): it adds the request id of the request or job the call is made for as
 * `X-ONAP-RequestID`, a fresh `X-InvocationID` and `X-ONAP-PartnerName: multicloud-starlingx`
 * (A&AI's `X-TransactionId` stays fresh per call, set by its client); it counts and times
 * the attempt by system and status, and logs it (ONAP's fields, `logCall`).
 */
export async function observeCall<R extends { status: number }>(
  system: RemoteSystem | 'proxy',
  method: string,
  path: string,
  send: (extraHeaders: Record<string, string>) => Promise<R>,
): Promise<R> {
  const invocationId = randomUUID();
  const label = SYSTEM_LABEL[system] ?? system;
  const started = performance.now();
  let status = 'error';
  try {
    const response = await send(outboundHeaders(currentContext()?.requestId, invocationId));
    status = String(response.status);
    if (system === 'A&AI' && method !== 'GET' && response.status >= 200 && response.status < 300) {
      metrics.aaiWrites.inc({ action: method.toLowerCase(), mode: path.split('?')[0].includes('/bulk') ? 'bulk' : 'single' });
    }
    return response;
  } finally {
    const elapsedMs = performance.now() - started;
    metrics.remoteCalls.inc({ system: label, status });
    metrics.remoteDuration.observe({ system: label }, elapsedMs / 1000);
    logCall(system, method, path, invocationId, status, elapsedMs);
  }
}

/**
 * One line per attempt: the context's RequestID and PartnerName (the log mixin), this
 * call's InvocationID, the operation (method and path, no query) as ServiceName, the
 * system as TargetEntity, ResponseCode (`error` when no answer came) and ElapsedTime (ms).
 */
function logCall(system: RemoteSystem | 'proxy', method: string, path: string, invocationId: string, status: string, elapsedMs: number): void {
  const level = status === 'error' ? 'warn' : 'info';
  const logger = rootLogger();
  if (!logger?.isLevelEnabled(level)) return;
  const operation = `${method} ${path.split('?')[0]}`;
  const target = system === 'proxy' ? 'cloud (proxied)' : system;
  logger[level](
    { InvocationID: invocationId, ServiceName: operation, TargetEntity: target, ResponseCode: /^\d+$/.test(status) ? Number(status) : status, ElapsedTime: Math.round(elapsedMs) },
    `${target} ${operation} ${status}`,
  );
}
