import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';

import { AaiPort, RegionChildKind } from '../../application/ports/aai.port';
import { RemoteCallError } from '../../application/ports/remote-call.error';
import { AppConfig, appConfig } from '../../config/app.config';
import { AaiObject, itemsOf } from '../../domain/aai-object';
import { pathSegment } from '../../domain/path-segment';
import { VimId } from '../../domain/vim-id';
import { TlsTrust } from '../outbound/http-transport';
import { OutboundHttp, OutboundRequest } from '../outbound/outbound-http';

const FROM_APP_ID = 'MultiCloud-Starlingx';
const CLOUD_REGIONS = '/cloud-infrastructure/cloud-regions/cloud-region';
const PSERVERS = '/cloud-infrastructure/pservers/pserver';

/**
 * A&AI over REST: basic auth, X-FromAppId and a fresh X-TransactionId on every
 * request, TLS verified (unless AAI_TLS_INSECURE), 404 read as "none".
 */
@Injectable()
export class AaiHttpClient extends AaiPort {
  private readonly authorization: string;
  private readonly tls: TlsTrust;

  constructor(
    private readonly outbound: OutboundHttp,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
  ) {
    super();
    const { username, password, tlsInsecure, ca } = config.aai;
    this.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    this.tls = { insecure: tlsInsecure, ca };
  }

  async getCloudRegion(vimId: VimId, depth: '0' | 'all'): Promise<AaiObject | undefined> {
    return this.get(`${region(vimId)}?depth=${depth}`);
  }

  async getEsrSystemInfoList(vimId: VimId): Promise<AaiObject[]> {
    return itemsOf(await this.get(`${region(vimId)}/esr-system-info-list`), 'esr-system-info');
  }

  putCloudRegion(vimId: VimId, body: AaiObject): Promise<void> {
    return this.put(region(vimId), body);
  }

  deleteCloudRegion(vimId: VimId, resourceVersion: string): Promise<void> {
    return this.delete(region(vimId), resourceVersion);
  }

  async listRegionChildren(vimId: VimId, kind: RegionChildKind): Promise<AaiObject[]> {
    return itemsOf(await this.get(`${region(vimId)}/${kind}s?depth=all`), kind);
  }

  getRegionChild(vimId: VimId, kind: RegionChildKind, id: string): Promise<AaiObject | undefined> {
    return this.get(`${child(vimId, kind, id)}?depth=all`);
  }

  putRegionChild(vimId: VimId, kind: RegionChildKind, id: string, body: AaiObject): Promise<void> {
    return this.put(child(vimId, kind, id), body);
  }

  deleteRegionChild(vimId: VimId, kind: RegionChildKind, id: string, resourceVersion: string): Promise<void> {
    return this.delete(child(vimId, kind, id), resourceVersion);
  }

  deleteFlavorHpaCapability(vimId: VimId, flavorId: string, capabilityId: string, resourceVersion: string) {
    return this.delete(
      `${child(vimId, 'flavor', flavorId)}/hpa-capabilities/hpa-capability/${seg(capabilityId)}`,
      resourceVersion,
    );
  }

  deleteVserver(vimId: VimId, tenantId: string, vserverId: string, resourceVersion: string) {
    return this.delete(`${child(vimId, 'tenant', tenantId)}/vservers/vserver/${seg(vserverId)}`, resourceVersion);
  }

  deleteLInterface(vimId: VimId, tenantId: string, vserverId: string, name: string, resourceVersion: string) {
    return this.delete(
      `${child(vimId, 'tenant', tenantId)}/vservers/vserver/${seg(vserverId)}/l-interfaces/l-interface/${seg(name)}`,
      resourceVersion,
    );
  }

  async deleteAvailabilityZoneRelationship(vimId: VimId, zone: string, relationship: AaiObject): Promise<void> {
    await this.send({
      method: 'DELETE',
      url: this.url(`${child(vimId, 'availability-zone', zone)}/relationship-list/relationship`),
      data: relationship,
      accept: [200, 204, 404],
    });
  }

  getPserver(hostname: string): Promise<AaiObject | undefined> {
    return this.get(`${PSERVERS}/${seg(hostname)}`);
  }

  putPserver(hostname: string, body: AaiObject): Promise<void> {
    return this.put(`${PSERVERS}/${seg(hostname)}`, body);
  }

  deletePserver(hostname: string, resourceVersion: string): Promise<void> {
    return this.delete(`${PSERVERS}/${seg(hostname)}`, resourceVersion);
  }

  /** A 200 that is not a JSON object (an HTML page, a list) is an error naming the call, never data. */
  private async get(path: string): Promise<AaiObject | undefined> {
    const url = this.url(path);
    const response = await this.send<AaiObject>({ method: 'GET', url, accept: [200, 404] });
    if (response.status === 404) return undefined;
    const body: unknown = response.data;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      const what = typeof body === 'string' ? 'not JSON' : 'not a JSON object';
      throw new RemoteCallError('A&AI', `GET ${url.split('?')[0]}`, undefined, `unexpected answer: ${what}`);
    }
    return body as AaiObject;
  }

  private async put(path: string, body: AaiObject): Promise<void> {
    await this.send({ method: 'PUT', url: this.url(path), data: body });
  }

  private async delete(path: string, resourceVersion: string): Promise<void> {
    await this.send({
      method: 'DELETE',
      url: this.url(`${path}?resource-version=${encodeURIComponent(resourceVersion)}`),
      accept: [200, 204, 404],
    });
  }

  private send<T>(request: Omit<OutboundRequest, 'system' | 'headers' | 'tls'>) {
    return this.outbound.send<T>('aai', {
      ...request,
      system: 'A&AI',
      tls: this.tls,
      headers: () => ({
        Authorization: this.authorization,
        'X-FromAppId': FROM_APP_ID,
        'X-TransactionId': randomUUID(),
        Accept: 'application/json',
        'Content-Type': 'application/json',
        'Real-Time': 'true',
      }),
    });
  }

  private url(path: string): string {
    return `${this.config.aai.baseUrl}${path}`;
  }
}

const seg = pathSegment;

function region(vimId: VimId): string {
  return `${CLOUD_REGIONS}/${seg(vimId.cloudOwner)}/${seg(vimId.cloudRegionId)}`;
}

function child(vimId: VimId, kind: RegionChildKind, id: string): string {
  return `${region(vimId)}/${kind}s/${kind}/${seg(id)}`;
}
