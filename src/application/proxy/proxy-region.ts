import { Readable } from 'node:stream';

import { Injectable } from '@nestjs/common';

import { ApiVersion } from '../../domain/cloud-region';
import { UpstreamUnreachableError } from '../../domain/errors';
import { VimId } from '../../domain/vim-id';
import { CloudRegionReader } from '../registration/cloud-region-reader';
import { CloudTls } from '../ports/cloud-proxy.port';
import { Settings } from '../ports/settings.port';
import { withoutTrailingSlashes } from '../../domain/path-segment';

/** What the proxy needs to know of an A&AI region (never its stored credentials). */
export interface ProxyRegion {
  vimId: VimId;
  /** The cloud's Keystone: `…/v3`, or the v2.0 service-url as esr holds it. */
  keystoneUrl: string;
  keystoneVersion: 'v3' | 'v2.0';
  /** esr cloud-domain: where v2.0 user and tenant names are looked up. */
  domain: string;
  /** The openstack region the catalog calls this A&AI region. */
  openstackRegion: string;
  tls: CloudTls;
  /** `{MSB}/api/multicloud-starlingx/v1/{owner}/{region}` (v0: `…/v0/{vimid}`). */
  proxyBase: string;
}

/** An A&AI region as the proxy sees it; a region A&AI lacks is a 404. */
@Injectable()
export class ProxyRegions {
  constructor(
    private readonly regions: CloudRegionReader,
    private readonly settings: Settings,
  ) {}

  async resolve(vimId: VimId, apiVersion: ApiVersion): Promise<ProxyRegion> {
    const vim = await this.regions.readCached(vimId);
    const serviceUrl = withoutTrailingSlashes(vim.access.serviceUrl);
    const v2 = serviceUrl.includes('/v2');
    const root = `${withoutTrailingSlashes(this.settings.msbBaseUrl)}/api/multicloud-starlingx`;
    return {
      vimId,
      keystoneUrl: v2 || /\/v3$/.test(serviceUrl) ? serviceUrl : `${serviceUrl}/v3`,
      keystoneVersion: v2 ? 'v2.0' : 'v3',
      domain: vim.access.domain,
      openstackRegion: vim.openstackRegionId,
      tls: { caCert: vim.access.caCert, insecure: vim.access.insecure },
      proxyBase: apiVersion === 'v0' ? `${root}/v0/${vimId}` : `${root}/v1/${vimId.cloudOwner}/${vimId.cloudRegionId}`,
    };
  }
}

/** A whole answer body, refused past `maxBytes` (a proxy never buffers without bound). */
export async function readAll(body: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      body.destroy();
      throw new UpstreamUnreachableError(`the answer is larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A JSON body, or undefined when it is not JSON. */
export function parseJson(raw: Buffer): any {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}
