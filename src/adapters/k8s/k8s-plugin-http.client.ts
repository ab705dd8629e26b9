import { Inject, Injectable } from '@nestjs/common';
import { dump, load } from 'js-yaml';

import { K8sConnection, K8sConnectivityPort } from '../../application/ports/k8s-connectivity.port';
import { RemoteCallError } from '../../application/ports/remote-call.error';
import { AppConfig, appConfig } from '../../config/app.config';
import { pathSegment } from '../../domain/path-segment';
import { VimId } from '../../domain/vim-id';
import { TlsTrust } from '../outbound/http-transport';
import { OutboundHttp, errorDetail } from '../outbound/outbound-http';

/**
 * multicloud-k8s answers every failure of its connection store with a 500 and the
 * store's text: a record it does not hold reads as `Get Connection: Error finding
 * master table: mongo: no documents in result` (older stores: `Error getting Connection`).
 */
const NOT_HELD = /no documents in result|Error getting Connection|not found/i;

/**
 * The multicloud-k8s plugin behind MSB: `GET /connectivity-info/{region}` reads a record
 * (its kubeconfig base64), a multipart POST of `metadata` (JSON) and `file` (the
 * kubeconfig YAML, built in memory) to /connectivity-info creates one (201; a 500
 * "Connection already exists" for a region it holds), DELETE removes one.
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

  private recordUrl(vimId: VimId): string {
    return `${this.config.k8sPluginUrl}/connectivity-info/${pathSegment(vimId.cloudRegionId)}`;
  }

  async read(vimId: VimId): Promise<K8sConnection | undefined> {
    const url = this.recordUrl(vimId);
    // A 500 is how the plugin says "not held" too: read it here rather than retry it.
    const response = await this.outbound.send<unknown>('cloud', { system: 'multicloud-k8s', method: 'GET', url, tls: this.tls, accept: [200, 404, 500] });
    if (response.status !== 200) {
      const detail = errorDetail(response.data);
      if (response.status === 404 || NOT_HELD.test(detail ?? '')) return undefined;
      throw new RemoteCallError('multicloud-k8s', `GET ${url}`, response.status, detail);
    }
    const body = response.data as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object') throw new RemoteCallError('multicloud-k8s', `GET ${url}`, 200, 'malformed answer: not a JSON object');
    return {
      cloudOwner: String(body['cloud-owner'] ?? ''),
      cloudRegion: String(body['cloud-region'] ?? ''),
      kubeconfig: parseKubeconfig(body.kubeconfig),
    };
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
    const url = this.recordUrl(vimId);
    const response = await this.outbound.send<unknown>('cloud', { system: 'multicloud-k8s', method: 'DELETE', url, tls: this.tls, accept: [200, 204, 404, 500] });
    if (response.status === 500 && !NOT_HELD.test(errorDetail(response.data) ?? '')) {
      throw new RemoteCallError('multicloud-k8s', `DELETE ${url}`, 500, errorDetail(response.data));
    }
  }
}

/** The record's kubeconfig: base64 of the YAML file that was uploaded. */
function parseKubeconfig(encoded: unknown): Record<string, unknown> | undefined {
  if (typeof encoded !== 'string') return undefined;
  try {
    const parsed = load(Buffer.from(encoded, 'base64').toString('utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
