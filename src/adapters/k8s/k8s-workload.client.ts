import { Inject, Injectable } from '@nestjs/common';

import { K8sWorkloadCall, K8sWorkloadPort } from '../../application/ports/k8s-workload.port';
import { AppConfig, appConfig } from '../../config/app.config';
import { pathSegment } from '../../domain/path-segment';
import { VimId } from '../../domain/vim-id';
import { OutboundHttp } from '../outbound/outbound-http';

/** Whatever the plugin answers goes back to the caller unchanged. */
const ANY_STATUS = Array.from({ length: 400 }, (_, i) => 200 + i);

/** The multicloud-k8s plugin's infra_workload behind MSB, for regions without Heat (SPEC 13). */
@Injectable()
export class K8sWorkloadHttpClient extends K8sWorkloadPort {
  constructor(
    private readonly outbound: OutboundHttp,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
  ) {
    super();
  }

  async forward(vimId: VimId, call: K8sWorkloadCall): Promise<{ status: number; body: unknown; contentType?: string }> {
    const path = `/api/multicloud-k8s/v1/${pathSegment(vimId.cloudOwner)}/${pathSegment(vimId.cloudRegionId)}/infra_workload${call.suffix}`;
    const answer = await this.outbound.send<unknown>('cloud', {
      system: 'multicloud-k8s',
      method: call.method,
      url: `${this.config.msbBaseUrl}${path}${call.query ? `?${call.query}` : ''}`,
      tls: { ca: this.config.msbCa },
      data: call.body,
      accept: ANY_STATUS,
      headers: { Accept: 'application/json', ...(call.project ? { Project: call.project } : {}) },
    });
    return { status: answer.status, body: answer.data, contentType: answer.headers['content-type'] };
  }
}
