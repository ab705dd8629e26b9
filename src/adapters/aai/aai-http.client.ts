import { randomUUID } from 'node:crypto';

import { Inject, Injectable, Logger } from '@nestjs/common';

import { AaiPort, AaiWriter, RegionChildKind } from '../../application/ports/aai.port';
import { AppConfig, appConfig } from '../../config/app.config';
import { AaiObject, itemsOf, mergeForUpdate } from '../../domain/aai-object';
import { AaiCloudRegion, regionWithEsrList } from '../../domain/cloud-region';
import { pathSegment } from '../../domain/path-segment';
import { PSERVER_CREATE_DEFAULTS } from '../../domain/pserver';
import { VimId } from '../../domain/vim-id';
import { TlsTrust } from '../outbound/http-transport';
import { OutboundHttp, OutboundRequest } from '../outbound/outbound-http';
import { AaiWire, BulkOperation, JobAaiWriter, deleteWithRetry, putWithRetry } from './aai-writer';
import { AnswerShape } from '../outbound/answer-shape';
import { keepRead, sharingReads, takeRead } from '../../application/jobs/call-scope';
import { checkBulkAnswer, checkWriteAnswer } from './write-answer';

const FROM_APP_ID = 'MultiCloud-Starlingx';
/** Every status a transaction may answer with: the writer decides what each means. */
const BULK_ANSWERS = [200, 201, 400, 403, 404, 405, 409, 412, 415, 424];
const CLOUD_REGIONS = '/cloud-infrastructure/cloud-regions/cloud-region';
const PSERVERS = '/cloud-infrastructure/pservers/pserver';

/**
 * A&AI over REST: basic auth, X-FromAppId and a fresh X-TransactionId on every
 * request, TLS verified (unless AAI_TLS_INSECURE), 404 read as "none"; writes with
 * resource-versions and a bounded re-read on 412 (see AaiPort).
 */
@Injectable()
export class AaiHttpClient extends AaiPort {
  private readonly authorization: string;
  private readonly logger = new Logger('AaiHttpClient');
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

  async getCloudRegion(vimId: VimId, depth: '0' | '1' | 'all'): Promise<AaiObject | undefined> {
    return this.get(`${region(vimId)}?depth=${depth}`);
  }

  /**
   * Within a job that shares reads (a registration's regions), the region and all it
   * holds come in one GET, and its collections are kept for the job's next
   * listRegionChildren: one A&AI request per region instead of six.
   */
  async readCloudRegion(vimId: VimId): Promise<AaiCloudRegion | undefined> {
    if (sharingReads()) return this.readWholeRegion(vimId);
    const held = await this.getCloudRegion(vimId, '0');
    if (!held) return undefined;
    const esrList = itemsOf(await this.get(`${region(vimId)}/esr-system-info-list`), 'esr-system-info');
    return { region: held, esrList };
  }

  private async readWholeRegion(vimId: VimId): Promise<AaiCloudRegion | undefined> {
    const whole = await this.get(`${region(vimId)}?depth=all`);
    if (!whole) return undefined;
    for (const kind of KEPT_CHILDREN) keepRead(this, `${vimId} ${kind}s`, itemsOf(whole[`${kind}s`], kind));
    return { region: depthZero(whole), esrList: itemsOf(whole['esr-system-info-list'], 'esr-system-info') };
  }

  saveCloudRegion(vimId: VimId, wanted: AaiObject, held: AaiCloudRegion | undefined): Promise<void> {
    return this.save(region(vimId), wanted, regionWithEsrList(held), async () => regionWithEsrList(await this.readCloudRegion(vimId)));
  }

  deleteCloudRegion(vimId: VimId): Promise<void> {
    return this.deleteHeld(region(vimId), undefined, () => this.getCloudRegion(vimId, '0'));
  }

  async listRegionChildren(vimId: VimId, kind: RegionChildKind): Promise<AaiObject[]> {
    const kept = takeRead<AaiObject[]>(this, `${vimId} ${kind}s`);
    if (kept) return kept;
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

  getVserver(vimId: VimId, tenantId: string, vserverId: string): Promise<AaiObject | undefined> {
    return this.get(`${vserver(vimId, tenantId, vserverId)}?depth=all`);
  }

  deleteVserver(vimId: VimId, tenantId: string, held: AaiObject): Promise<void> {
    return this.deleteHeld(vserver(vimId, tenantId, held['vserver-id']), held);
  }

  deleteLInterface(vimId: VimId, tenantId: string, vserverId: string, held: AaiObject): Promise<void> {
    const path = `${vserver(vimId, tenantId, vserverId)}/l-interfaces/l-interface/${seg(held['interface-name'])}`;
    return this.deleteHeld(path, held);
  }

  async deleteAvailabilityZoneRelationship(vimId: VimId, zone: string, relationship: AaiObject): Promise<void> {
    await this.sendWrite({
      method: 'DELETE',
      url: this.url(`${child(vimId, 'availability-zone', zone)}/relationship-list/relationship`),
      data: relationship,
      accept: [200, 204, 404],
    });
  }

  writer(): AaiWriter {
    return new JobAaiWriter(this.wire, this.config.aai.bulkOperations);
  }

  /** The wire as the writer and the retries use it. */
  private readonly wire: AaiWire = {
    get: (path) => this.get(path),
    put: (path, body) => this.put(path, body),
    delete: (path, version) => this.delete(path, version),
    deleteEdge: (path, relationship) => this.sendWrite({ method: 'DELETE', url: this.url(path), data: relationship, accept: [200, 204, 404] }),
    bulk: (operations) => this.bulk(operations),
    log: (message) => this.logger.warn(message),
  };

  async listCloudRegions(cloudOwner: string): Promise<AaiObject[]> {
    return itemsOf(await this.get(`/cloud-infrastructure/cloud-regions?cloud-owner=${seg(cloudOwner)}&depth=0`), 'cloud-region');
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

  /** PUT `wanted` merged over what A&AI `held`; a create (nothing held) gets `createDefaults` under it. */
  private save(path: string, wanted: AaiObject, held: AaiObject | undefined, reread: () => Promise<AaiObject | undefined>, createDefaults: AaiObject = {}): Promise<void> {
    const bodyFor = (current: AaiObject | undefined) => (current ? mergeForUpdate(current, wanted) : { ...createDefaults, ...mergeForUpdate(undefined, wanted) });
    return putWithRetry(this.wire, path, bodyFor, held, reread);
  }

  private deleteHeld(path: string, held: AaiObject | undefined, reread?: () => Promise<AaiObject | undefined>): Promise<void> {
    return deleteWithRetry(this.wire, path, held, reread);
  }

  /** A 200 that is not a JSON object (an HTML page, a list) is an error naming the call, never data. */
  private async get(path: string): Promise<AaiObject | undefined> {
    const url = this.url(path);
    const response = await this.send<AaiObject>({ method: 'GET', url, accept: [200, 404] });
    if (response.status === 404) return undefined;
    return AnswerShape.of('A&AI', url, response.data).whole() as AaiObject;
  }

  private async put(path: string, body: AaiObject): Promise<void> {
    await this.sendWrite({ method: 'PUT', url: this.url(path), data: body });
  }

  private async delete(path: string, resourceVersion: string): Promise<void> {
    await this.sendWrite({
      method: 'DELETE',
      url: this.url(`${path}?resource-version=${encodeURIComponent(resourceVersion)}`),
      accept: [200, 204, 404],
    });
  }

  /**
   * One bulk/single-transaction; A&AI's refusals come back (the writer reads them). A
   * 200/201 not of the documented shape is an error naming the call (write-answer.ts).
   */
  private async bulk(operations: BulkOperation[]): Promise<{ status: number; text: string }> {
    const url = this.url('/bulk/single-transaction');
    const response = await this.send<unknown>({ method: 'POST', url, data: { operations }, accept: BULK_ANSWERS });
    if (response.status === 200 || response.status === 201) {
      checkBulkAnswer(`POST ${url}`, operations.length, { status: response.status, data: response.data, contentType: response.headers['content-type'] });
    }
    const text = typeof response.data === 'string' ? response.data : JSON.stringify(response.data ?? '');
    return { status: response.status, text };
  }

  /** A single PUT/DELETE whose successful answer is checked: no body, or JSON (write-answer.ts). */
  private async sendWrite(request: Omit<OutboundRequest, 'system' | 'headers' | 'tls'>): Promise<void> {
    const response = await this.send<unknown>(request);
    checkWriteAnswer(`${request.method} ${request.url.split('?')[0]}`, { status: response.status, data: response.data, contentType: response.headers['content-type'] });
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

function seg(value: unknown): string {
  return pathSegment(String(value));
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

/** The collections a registration lists after reading its region. */
const KEPT_CHILDREN: RegionChildKind[] = ['tenant', 'flavor', 'image', 'availability-zone'];

/** A region read at depth=all as A&AI answers depth=0: its attributes and relationships, no child collection. */
function depthZero(whole: AaiObject): AaiObject {
  return Object.fromEntries(Object.entries(whole).filter(([key, value]) => key === 'relationship-list' || value === null || typeof value !== 'object'));
}
