import { randomUUID } from 'node:crypto';
import { Agent as HttpsAgent } from 'node:https';

import { Inject, Injectable } from '@nestjs/common';

import { AaiPort, RegionChildKind } from '../../application/ports/aai.port';
import { RemoteCallError } from '../../application/ports/remote-call.error';
import { AppConfig, appConfig } from '../../config/app.config';
import { AaiObject, itemsOf, mergeForUpdate, resourceVersionOf } from '../../domain/aai-object';
import { AaiCloudRegion } from '../../domain/cloud-region';
import { PSERVER_CREATE_DEFAULTS } from '../../domain/pserver';
import { VimId } from '../../domain/vim-id';
import { OutboundHttp, OutboundRequest } from '../outbound/outbound-http';

const FROM_APP_ID = 'MultiCloud-Starlingx';
const CLOUD_REGIONS = '/cloud-infrastructure/cloud-regions/cloud-region';
const PSERVERS = '/cloud-infrastructure/pservers/pserver';
/** A write is tried this many times when A&AI answers 412 (the version went stale). */
const WRITE_ATTEMPTS = 3;

/**
 * A&AI over REST: basic auth, X-FromAppId and a fresh X-TransactionId on every
 * request, TLS verified (unless AAI_TLS_INSECURE), 404 read as "none"; writes with
 * resource-versions and a bounded re-read on 412 (see AaiPort).
 */
@Injectable()
export class AaiHttpClient extends AaiPort {
  private readonly authorization: string;
  private readonly httpsAgent: HttpsAgent;

  constructor(
    private readonly outbound: OutboundHttp,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
  ) {
    super();
    const { username, password, tlsInsecure, ca } = config.aai;
    this.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    this.httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 256, rejectUnauthorized: !tlsInsecure, ca });
  }

  async getCloudRegion(vimId: VimId, depth: '0' | 'all'): Promise<AaiObject | undefined> {
    return this.get(`${region(vimId)}?depth=${depth}`);
  }

  async readCloudRegion(vimId: VimId): Promise<AaiCloudRegion | undefined> {
    const held = await this.getCloudRegion(vimId, '0');
    if (!held) return undefined;
    const esrList = itemsOf(await this.get(`${region(vimId)}/esr-system-info-list`), 'esr-system-info');
    return { region: held, esrList };
  }

  saveCloudRegion(vimId: VimId, wanted: AaiObject, held: AaiCloudRegion | undefined): Promise<void> {
    return this.save(region(vimId), wanted, withEsrList(held), async () => withEsrList(await this.readCloudRegion(vimId)));
  }

  deleteCloudRegion(vimId: VimId): Promise<void> {
    return this.deleteHeld(region(vimId), undefined, () => this.getCloudRegion(vimId, '0'));
  }

  async listRegionChildren(vimId: VimId, kind: RegionChildKind): Promise<AaiObject[]> {
    return itemsOf(await this.get(`${region(vimId)}/${kind}s?depth=all`), kind);
  }

  getRegionChild(vimId: VimId, kind: RegionChildKind, id: string): Promise<AaiObject | undefined> {
    return this.get(`${child(vimId, kind, id)}?depth=all`);
  }

  saveRegionChild(vimId: VimId, kind: RegionChildKind, id: string, wanted: AaiObject, held: AaiObject | undefined) {
    return this.save(child(vimId, kind, id), wanted, held, () => this.getRegionChild(vimId, kind, id));
  }

  deleteRegionChild(vimId: VimId, kind: RegionChildKind, id: string, held: AaiObject | undefined): Promise<void> {
    return this.deleteHeld(child(vimId, kind, id), held, () => this.getRegionChild(vimId, kind, id));
  }

  deleteFlavorHpaCapability(vimId: VimId, flavorId: string, held: AaiObject): Promise<void> {
    const path = `${child(vimId, 'flavor', flavorId)}/hpa-capabilities/hpa-capability/${seg(held['hpa-capability-id'])}`;
    return this.deleteHeld(path, held);
  }

  deleteVserver(vimId: VimId, tenantId: string, held: AaiObject): Promise<void> {
    return this.deleteHeld(vserver(vimId, tenantId, held['vserver-id']), held);
  }

  deleteLInterface(vimId: VimId, tenantId: string, vserverId: string, held: AaiObject): Promise<void> {
    const path = `${vserver(vimId, tenantId, vserverId)}/l-interfaces/l-interface/${seg(held['interface-name'])}`;
    return this.deleteHeld(path, held);
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

  savePserver(hostname: string, wanted: AaiObject, held: AaiObject | undefined): Promise<void> {
    return this.save(`${PSERVERS}/${seg(hostname)}`, wanted, held, () => this.getPserver(hostname), PSERVER_CREATE_DEFAULTS);
  }

  deletePserver(hostname: string): Promise<void> {
    return this.deleteHeld(`${PSERVERS}/${seg(hostname)}`, undefined, () => this.getPserver(hostname));
  }

  /**
   * PUT `wanted` merged over what A&AI `held` (with its resource-version); when A&AI
   * says the version went stale (412), read the object again and retry, bounded. A
   * create (nothing held) gets `createDefaults` under what is wanted.
   */
  private async save(
    path: string,
    wanted: AaiObject,
    held: AaiObject | undefined,
    reread: () => Promise<AaiObject | undefined>,
    createDefaults: AaiObject = {},
  ): Promise<void> {
    let current = held;
    for (let attempt = 1; ; attempt += 1) {
      const body = current ? mergeForUpdate(current, wanted) : { ...createDefaults, ...mergeForUpdate(undefined, wanted) };
      try {
        await this.put(path, body);
        return;
      } catch (error) {
        if (!RemoteCallError.is(error, 412) || attempt >= WRITE_ATTEMPTS) throw error;
        current = await reread();
      }
    }
  }

  /**
   * DELETE with the version `held` carries (without one, the version `reread` finds);
   * on 412, once more with the version A&AI holds now. Without `reread` a 412 is
   * reported. A missing object counts as deleted.
   */
  private async deleteHeld(
    path: string,
    held: AaiObject | undefined,
    reread?: () => Promise<AaiObject | undefined>,
  ): Promise<void> {
    let version = resourceVersionOf(held);
    for (let attempt = 1; ; attempt += 1) {
      if (version === undefined) {
        const current = reread ? await reread() : undefined;
        if (!current) return;
        version = String(current['resource-version'] ?? '');
      }
      try {
        await this.delete(path, version);
        return;
      } catch (error) {
        if (!reread || !RemoteCallError.is(error, 412) || attempt >= WRITE_ATTEMPTS) throw error;
        version = undefined;
      }
    }
  }

  private async get(path: string): Promise<AaiObject | undefined> {
    const response = await this.send<AaiObject>({ method: 'GET', url: this.url(path), accept: [200, 404] });
    return response.status === 404 ? undefined : response.data;
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

  private send<T>(request: Omit<OutboundRequest, 'system' | 'headers' | 'httpsAgent'>) {
    return this.outbound.send<T>('aai', {
      ...request,
      system: 'A&AI',
      httpsAgent: this.httpsAgent,
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

function seg(value: unknown): string {
  return encodeURIComponent(String(value));
}

function region(vimId: VimId): string {
  return `${CLOUD_REGIONS}/${seg(vimId.cloudOwner)}/${seg(vimId.cloudRegionId)}`;
}

function child(vimId: VimId, kind: RegionChildKind, id: string): string {
  return `${region(vimId)}/${kind}s/${kind}/${seg(id)}`;
}

function vserver(vimId: VimId, tenantId: string, vserverId: unknown): string {
  return `${child(vimId, 'tenant', tenantId)}/vservers/vserver/${seg(vserverId)}`;
}

/** A cloud region as one body: depth 0 does not carry its esr-system-info list. */
function withEsrList(aaiRegion: AaiCloudRegion | undefined): AaiObject | undefined {
  if (!aaiRegion) return undefined;
  return { ...aaiRegion.region, 'esr-system-info-list': { 'esr-system-info': aaiRegion.esrList } };
}
