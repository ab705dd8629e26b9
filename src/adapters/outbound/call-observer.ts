import { currentContext } from '../../application/jobs/request-context';
import { RemoteSystem } from '../../application/ports/remote-call.error';
import { metrics } from '../observability/metrics';

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
 * `X-ONAP-RequestID` (A&AI's `X-TransactionId` stays fresh per call, set by its
 * client), and counts and times the attempt by system and status.
 */
export async function observeCall<R extends { status: number }>(
  system: RemoteSystem | 'proxy',
  method: string,
  path: string,
  send: (extraHeaders: Record<string, string>) => Promise<R>,
): Promise<R> {
  const requestId = currentContext()?.requestId;
  const label = SYSTEM_LABEL[system] ?? system;
  const started = performance.now();
  let status = 'error';
  try {
    const response = await send(requestId ? { 'X-ONAP-RequestID': requestId } : {});
    status = String(response.status);
    if (system === 'A&AI' && method !== 'GET' && response.status >= 200 && response.status < 300) {
      metrics.aaiWrites.inc({ action: method.toLowerCase(), mode: path.split('?')[0].includes('/bulk') ? 'bulk' : 'single' });
    }
    return response;
  } finally {
    metrics.remoteCalls.inc({ system: label, status });
    metrics.remoteDuration.observe({ system: label }, (performance.now() - started) / 1000);
  }
}
