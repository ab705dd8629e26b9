import { Inject, Injectable } from '@nestjs/common';
import { dump } from 'js-yaml';

import { K8sConnectivityPort } from '../../application/ports/k8s-connectivity.port';
import { AppConfig, appConfig } from '../../config/app.config';
import { pathSegment } from '../../domain/path-segment';
import { VimId } from '../../domain/vim-id';
import { TlsTrust } from '../outbound/http-transport';
import { OutboundHttp } from '../outbound/outbound-http';

/**
 * The multicloud-k8s plugin behind MSB: a multipart POST of `metadata` (JSON) and
 * `file` (the kubeconfig YAML, built in memory) to /connectivity-info, which answers 201.
 */
@Injectable()
export class K8sPluginHttpClient extends K8sConnectivityPort {
  constructor(
    private readonly outbound: OutboundHttp,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
  ) {
    super();
  }

  /** MSB over HTTPS is verified, against MSB_CA_FILE when given (the kubeconfig carries a token). */
  private get tls(): TlsTrust {
    return { ca: this.config.msbCa };
  }

  async register(vimId: VimId, kubeconfig: Record<string, unknown>): Promise<void> {
    const form = new FormData();
    form.append(
      'metadata',
      JSON.stringify({
        'cloud-owner': vimId.cloudOwner,
        'cloud-region': vimId.cloudRegionId,
        'other-connectivity-list': {},
      }),
    );
    form.append('file', new Blob([dump(kubeconfig)], { type: 'application/x-yaml' }), `kubeconfig_${vimId}`);
    await this.outbound.send('cloud', {
      system: 'multicloud-k8s',
      method: 'POST',
      url: `${this.config.k8sPluginUrl}/connectivity-info`,
      tls: this.tls,
      data: form,
      accept: [201],
    });
  }

  async remove(vimId: VimId): Promise<void> {
    await this.outbound.send('cloud', {
      system: 'multicloud-k8s',
      method: 'DELETE',
      url: `${this.config.k8sPluginUrl}/connectivity-info/${pathSegment(vimId.cloudRegionId)}`,
      tls: this.tls,
      accept: [200, 204, 404],
    });
  }
}
