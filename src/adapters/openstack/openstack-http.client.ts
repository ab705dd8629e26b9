import { Inject, Injectable } from '@nestjs/common';

import { CloudSession, OpenStackPort, ProjectScope, SystemInfo } from '../../application/ports/openstack.port';
import { reportWarning, sharedRead } from '../../application/jobs/call-scope';
import { RemoteCallError, RemoteSystem } from '../../application/ports/remote-call.error';
import { COMPUTE_BINARY, NovaAggregate, NovaComputeService } from '../../domain/compute-service';
import { NovaHypervisor } from '../../domain/az-capacity';
import { AtGeneration, PlacementInventory, PlacementProvider } from '../../domain/host-capacity';
import { ComputeLimits, HypervisorStatistics, VolumeLimits } from '../../domain/capacity-demand';
import { AppConfig, appConfig } from '../../config/app.config';
import { CloudAccess } from '../../domain/cloud-region';
import { NovaFlavor } from '../../domain/flavor';
import { pathSegment } from '../../domain/path-segment';
import { ExtraSpecs } from '../../domain/hpa-capabilities';
import { GlanceImage } from '../../domain/image';
import { Subcloud, parseSubclouds } from '../../domain/subcloud';
import { CloudProject } from '../../domain/tenant';
import { Listing, ListingProof, bothProofs, PROVEN } from '../../domain/listing';
import { Redactor } from '../../application/jobs/redactor';
import { OutboundHttp, OutboundResponse } from '../outbound/outbound-http';
import { KeystoneSessionCache } from './keystone-session-cache';
import { AnswerShape, withoutDuplicates } from '../outbound/answer-shape';
import { KeystoneAuth } from './keystone-auth';
import { findEndpoint } from './keystone-catalog';
import { KeystoneSession } from './keystone-session';

/** Nova microversion 2.1: later ones drop OS-FLV-DISABLED and the hypervisor figures. */
const NOVA_HEADERS = { 'X-OpenStack-Nova-API-Version': '2.1', 'OpenStack-API-Version': 'compute 2.1' };
/** Flavors at 2.61 embed their extra_specs and keep every field 2.1 has (until 2.75 trims swap and 2.102 OS-FLV-DISABLED). */
const NOVA_FLAVORS_WITH_SPECS = { 'X-OpenStack-Nova-API-Version': '2.61', 'OpenStack-API-Version': 'compute 2.61' };
const FLAVORS_WITH_SPECS_MINOR = 61;
/** Placement 1.0 has inventories and usages with their generation, and every Placement serves it. */
const PLACEMENT_HEADERS = { 'OpenStack-API-Version': 'placement 1.0' };
/** 1.14 lists each provider's parent (sharing providers are roots); 1.19 gives aggregates with their generation; traits are from 1.6. */
const PLACEMENT_LIST_HEADERS = { 'OpenStack-API-Version': 'placement 1.14' };
const PLACEMENT_AGGREGATES_HEADERS = { 'OpenStack-API-Version': 'placement 1.19' };
const PLACEMENT_TRAITS_HEADERS = { 'OpenStack-API-Version': 'placement 1.6' };
const VOLUME_TYPES = ['volumev3', 'volumev2', 'block-storage', 'volume'];

/** OpenStack and StarlingX over REST, through the endpoints of the session's catalog. */
@Injectable()
export class OpenStackHttpClient extends OpenStackPort {
  /** Compute endpoint root → highest microversion minor (see novaMaxMinor). */
  private readonly novaVersions = new Map<string, number>();
  /** Placement endpoints that refused 1.14 (before Queens): their provider list is read at 1.0. */
  private readonly placementBefore114 = new Set<string>();
  private readonly keystone: KeystoneAuth;

  constructor(
    private readonly outbound: OutboundHttp,
    redactor: Redactor,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
    sessions: KeystoneSessionCache,
  ) {
    super();
    this.keystone = new KeystoneAuth(outbound, sessions, redactor, config.limits.refusedScopes);
  }

  authenticate(access: CloudAccess, scope: ProjectScope): Promise<CloudSession> {
    return this.keystone.authenticate(access, scope);
  }

  async listRegions(session: CloudSession): Promise<string[]> {
    const s = asKeystone(session);
    if (s.version === 'v2.0') return [];
    const url = `${s.identityUrl}/regions`;
    const listing = await this.paged<{ id: string }>(s, 'Keystone', url, 'regions');
    // A region left out would read as a subcloud gone: a partial list is a failed discovery (which removes nothing).
    if (!listing.proof.complete) throw new RemoteCallError('Keystone', `GET ${url}`, undefined, listing.proof.reason);
    return listing.items.map((listed) => String(listed.id));
  }

  /**
   * Keystone v3 `/projects` (v2.0 `/tenants`, which proves nothing about the tenants the
   * user has no role on). A 403 (a user without the right to list projects) gives the
   * token's own project, a listing that proves nothing about the others. Read once per
   * session under a job's `shareReads`: a distributed cloud's subclouds share one list.
   */
  listProjects(session: CloudSession): Promise<Listing<CloudProject>> {
    const s = asKeystone(session);
    return sharedRead(s, 'projects', async () => {
      let listing: Listing<CloudProject>;
      try {
        listing =
          s.version === 'v3'
            ? await this.paged<CloudProject>(s, 'Keystone', `${s.identityUrl}/projects`, 'projects')
            : {
                items: withoutDuplicates(
                  AnswerShape.of('Keystone', `${s.identityUrl}/tenants`, await this.get(s, 'Keystone', `${s.identityUrl}/tenants`)).list<CloudProject>('tenants'),
                  (p) => p.id,
                ),
                // On Keystone's public endpoint v2.0 lists the tenants the user has a role on, not every one.
                proof: notAuthoritative("Keystone v2.0 /tenants lists the user's own tenants"),
              };
      } catch (error) {
        if (!RemoteCallError.is(error, 403)) throw error;
        listing = { items: [s.project], proof: notAuthoritative(`Keystone ${s.version === 'v3' ? '/projects' : '/tenants'} answered 403, tenants from the token's own project`) };
      }
      return { items: listing.items.map((p: CloudProject) => ({ id: String(p.id), name: String(p.name ?? p.id) })), proof: listing.proof };
    });
  }

  /**
   * Every flavor, private ones included (`is_public=None`: Nova then lists both to an
   * admin; to another token only the public ones and its project's). At 2.61 when the
   * cloud's compute version document allows it: each flavor then carries its extra_specs.
   */
  async listFlavors(session: CloudSession, openstackRegionId: string): Promise<Listing<NovaFlavor>> {
    const s = asKeystone(session);
    const compute = await this.endpoint(s, ['compute'], openstackRegionId);
    const url = `${compute}/flavors/detail?is_public=None`;
    let listing: Listing<NovaFlavor> | undefined;
    if ((await this.novaMaxMinor(s, compute)) >= FLAVORS_WITH_SPECS_MINOR) {
      try {
        listing = await this.paged<NovaFlavor>(s, 'Nova', url, 'flavors', NOVA_FLAVORS_WITH_SPECS);
      } catch (error) {
        // 406: Nova no longer serves 2.61 (a downgrade since its version document was read).
        if (!RemoteCallError.is(error, 406)) throw error;
        this.novaVersions.delete(novaRoot(compute));
      }
    }
    if (!listing) {
      const at21 = await this.paged<NovaFlavor>(s, 'Nova', url, 'flavors', NOVA_HEADERS);
      listing = { items: at21.items.map(({ extra_specs: _ignored, ...flavor }) => flavor), proof: at21.proof };
    }
    return s.isAdmin ? listing : { items: listing.items, proof: bothProofs(listing.proof, notAuthoritative('flavors listed without admin rights')) };
  }

  /**
   * The highest compute microversion of an endpoint (its version document, `GET /v2.1/`),
   * remembered per endpoint; 0 when the document cannot be read (then 2.1 is used).
   */
  private async novaMaxMinor(s: KeystoneSession, compute: string): Promise<number> {
    const root = novaRoot(compute);
    const known = this.novaVersions.get(root);
    if (known !== undefined) return known;
    let minor: number;
    try {
      const body = await this.get<any>(s, 'Nova', root);
      const match = /^2\.(\d+)$/.exec(String(body?.version?.version ?? ''));
      minor = match ? Number(match[1]) : 0;
    } catch {
      minor = 0;
    }
    this.novaVersions.set(root, minor);
    return minor;
  }

  async getFlavorExtraSpecs(session: CloudSession, openstackRegionId: string, flavorId: string): Promise<ExtraSpecs> {
    const s = asKeystone(session);
    const compute = await this.endpoint(s, ['compute'], openstackRegionId);
    const url = `${compute}/flavors/${pathSegment(flavorId)}/os-extra_specs`;
    return AnswerShape.of('Nova', url, await this.get(s, 'Nova', url, NOVA_HEADERS)).object('extra_specs') as ExtraSpecs;
  }

  async listImages(session: CloudSession, openstackRegionId: string): Promise<Listing<GlanceImage>> {
    const s = asKeystone(session);
    const root = (await this.endpoint(s, ['image'], openstackRegionId)).replace(/\/v2(\.\d+)?$/, '');
    const listing = await this.paged<GlanceImage>(s, 'Glance', `${root}/v2/images?limit=1000`, 'images');
    // Glance lists another project's private images to an admin only.
    return s.isAdmin ? listing : { items: listing.items, proof: bothProofs(listing.proof, notAuthoritative('images listed without admin rights')) };
  }

  async listAggregates(session: CloudSession, openstackRegionId: string): Promise<NovaAggregate[]> {
    const s = asKeystone(session);
    const compute = await this.endpoint(s, ['compute'], openstackRegionId);
    const url = `${compute}/os-aggregates`;
    return listIn(await this.get<any>(s, 'Nova', url, NOVA_HEADERS), 'aggregates', 'Nova', url);
  }

  async listHypervisors(session: CloudSession, openstackRegionId: string): Promise<NovaHypervisor[]> {
    const s = asKeystone(session);
    const compute = await this.endpoint(s, ['compute'], openstackRegionId);
    // A page without its list is malformed: the audit must not read it as "no hypervisors".
    return (await this.paged<NovaHypervisor>(s, 'Nova', `${compute}/os-hypervisors/detail`, 'hypervisors', NOVA_HEADERS)).items;
  }

  async listComputeServices(session: CloudSession, openstackRegionId: string): Promise<NovaComputeService[]> {
    const s = asKeystone(session);
    const compute = await this.endpoint(s, ['compute'], openstackRegionId);
    const url = `${compute}/os-services?binary=${COMPUTE_BINARY}`;
    const services = AnswerShape.of('Nova', url, await this.get(s, 'Nova', url, NOVA_HEADERS)).list<Record<string, unknown>>('services');
    return services.flatMap((service) => {
      if (service.binary !== COMPUTE_BINARY || typeof service.host !== 'string') return [];
      if (typeof service.status !== 'string' || typeof service.state !== 'string') throw malformed('Nova', url, 'a service without status or state');
      return [
        {
          id: service.id as string | number | undefined,
          binary: service.binary,
          host: service.host,
          zone: typeof service.zone === 'string' ? service.zone : undefined,
          status: service.status,
          state: service.state,
          disabled_reason: (service.disabled_reason as string | null | undefined) ?? null,
        },
      ];
    });
  }

  async listResourceProviders(session: CloudSession, openstackRegionId: string): Promise<PlacementProvider[] | undefined> {
    const s = asKeystone(session);
    // No sign-in again for a catalog without Placement: the hypervisors serve instead,
    // and the token's next renewal brings a Placement added since.
    const placement = findEndpoint(s.catalog, ['placement'], openstackRegionId);
    if (!placement) return undefined;
    const url = `${placement}/resource_providers`;
    let body: any;
    try {
      body = await this.get<any>(s, 'Placement', url, this.placementBefore114.has(placement) ? PLACEMENT_HEADERS : PLACEMENT_LIST_HEADERS);
    } catch (error) {
      // 406: a Placement older than 1.14. Its list has no parents: every other provider is a root.
      if (!RemoteCallError.is(error, 406) || this.placementBefore114.has(placement)) throw error;
      this.placementBefore114.add(placement);
      body = await this.get<any>(s, 'Placement', url, PLACEMENT_HEADERS);
    }
    return listIn<any>(body, 'resource_providers', 'Placement', url).map((p) => {
      if (typeof p?.uuid !== 'string' || typeof p.generation !== 'number') throw malformed('Placement', url, 'a provider without uuid or generation');
      const parent = typeof p.parent_provider_uuid === 'string' ? p.parent_provider_uuid : null;
      return { uuid: p.uuid, name: String(p.name ?? p.uuid), generation: p.generation, parentProviderUuid: parent };
    });
  }

  getProviderAggregates(session: CloudSession, openstackRegionId: string, uuid: string): Promise<AtGeneration<string[]>> {
    return this.providerList(session, openstackRegionId, uuid, 'aggregates', PLACEMENT_AGGREGATES_HEADERS);
  }

  getProviderTraits(session: CloudSession, openstackRegionId: string, uuid: string): Promise<AtGeneration<string[]>> {
    return this.providerList(session, openstackRegionId, uuid, 'traits', PLACEMENT_TRAITS_HEADERS);
  }

  getProviderInventories(session: CloudSession, openstackRegionId: string, uuid: string): Promise<AtGeneration<Record<string, PlacementInventory>>> {
    return this.providerPart(session, openstackRegionId, uuid, 'inventories');
  }

  getProviderUsages(session: CloudSession, openstackRegionId: string, uuid: string): Promise<AtGeneration<Record<string, number>>> {
    return this.providerPart(session, openstackRegionId, uuid, 'usages');
  }

  async getComputeLimits(session: CloudSession, openstackRegionId: string): Promise<ComputeLimits> {
    const s = asKeystone(session);
    const url = `${await this.endpoint(s, ['compute'], openstackRegionId)}/limits`;
    const shape = AnswerShape.of('Nova', url, await this.get(s, 'Nova', url, NOVA_HEADERS));
    const absolute = shape.object('absolute', shape.object('limits'));
    // A limit that is not there must not read as "unlimited".
    shape.numbers(absolute, ['maxTotalCores', 'totalCoresUsed', 'maxTotalRAMSize', 'totalRAMUsed'], 'limits.absolute');
    return absolute as ComputeLimits;
  }

  async getHypervisorStatistics(session: CloudSession, openstackRegionId: string): Promise<HypervisorStatistics> {
    const s = asKeystone(session);
    const url = `${await this.endpoint(s, ['compute'], openstackRegionId)}/os-hypervisors/statistics`;
    return AnswerShape.of('Nova', url, await this.get(s, 'Nova', url, NOVA_HEADERS)).object('hypervisor_statistics') as HypervisorStatistics;
  }

  async getVolumeLimits(session: CloudSession, openstackRegionId: string): Promise<VolumeLimits | undefined> {
    const s = asKeystone(session);
    const volume = await this.endpoint(s, VOLUME_TYPES, openstackRegionId, false);
    if (!volume) return undefined;
    const url = `${volume}/limits`;
    const shape = AnswerShape.of('Cinder', url, await this.get(s, 'Cinder', url));
    const absolute = shape.object('absolute', shape.object('limits'));
    shape.numbers(absolute, ['maxTotalVolumeGigabytes', 'totalGigabytesUsed'], 'limits.absolute');
    return absolute as VolumeLimits;
  }

  async getSystemInfo(session: CloudSession, openstackRegionId: string): Promise<SystemInfo | undefined> {
    const s = asKeystone(session);
    const platform = await this.endpoint(s, ['platform'], openstackRegionId, false);
    if (!platform) return undefined;
    const root = /\/v1$/.test(platform) ? platform : `${platform}/v1`;
    const url = `${root}/isystems`;
    const system = AnswerShape.of('sysinv', url, await this.get(s, 'sysinv', url)).list<any>('isystems')[0];
    if (!system) return undefined;
    return {
      software_version: system.software_version,
      system_mode: system.system_mode,
      system_type: system.system_type,
    };
  }

  async listSubclouds(session: CloudSession): Promise<Subcloud[] | undefined> {
    const s = asKeystone(session);
    const dcmanager = findEndpoint(s.catalog, ['dcmanager'], 'SystemController');
    if (!dcmanager) return undefined;
    const root = /\/v1\.0$/.test(dcmanager) ? dcmanager : `${dcmanager}/v1.0`;
    const url = `${root}/subclouds`;
    const body = await this.get<any>(s, 'dcmanager', url);
    if (!body || !Array.isArray(body.subclouds)) throw malformed('dcmanager', url, 'no subclouds list');
    return parseSubclouds(body);
  }

  private async providerPart<T>(session: CloudSession, openstackRegionId: string, uuid: string, part: 'inventories' | 'usages'): Promise<AtGeneration<T>> {
    const s = asKeystone(session);
    const placement = await this.endpoint(s, ['placement'], openstackRegionId);
    const url = `${placement}/resource_providers/${encodeURIComponent(uuid)}/${part}`;
    const body = await this.get<any>(s, 'Placement', url, PLACEMENT_HEADERS);
    const value = body?.[part];
    if (!value || typeof value !== 'object' || Array.isArray(value) || typeof body.resource_provider_generation !== 'number') {
      throw malformed('Placement', url, `no ${part} with a resource_provider_generation`);
    }
    return { generation: body.resource_provider_generation, value: value as T };
  }

  private async providerList(
    session: CloudSession,
    openstackRegionId: string,
    uuid: string,
    part: 'aggregates' | 'traits',
    headers: Record<string, string>,
  ): Promise<AtGeneration<string[]>> {
    const s = asKeystone(session);
    const placement = await this.endpoint(s, ['placement'], openstackRegionId);
    const url = `${placement}/resource_providers/${encodeURIComponent(uuid)}/${part}`;
    const body = await this.get<any>(s, 'Placement', url, headers);
    const value = body?.[part];
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string') || typeof body.resource_provider_generation !== 'number') {
      throw malformed('Placement', url, `no ${part} list with a resource_provider_generation`);
    }
    return { generation: body.resource_provider_generation, value };
  }

  /**
   * The public endpoint of `types` in `openstackRegionId` from the session's catalog. A catalog
   * that lacks it may predate the region: sign in again once before deciding it is missing.
   */
  private async endpoint(s: KeystoneSession, types: string[], openstackRegionId: string, required?: true): Promise<string>;
  private async endpoint(s: KeystoneSession, types: string[], openstackRegionId: string, required: false): Promise<string | undefined>;
  private async endpoint(s: KeystoneSession, types: string[], openstackRegionId: string, required = true): Promise<string | undefined> {
    const key = `${types.join('/')}@${openstackRegionId}`;
    let url = findEndpoint(s.catalog, types, openstackRegionId);
    if (!url && !s.missingRegions.has(key)) {
      await s.refresh();
      url = findEndpoint(s.catalog, types, openstackRegionId);
      if (!url) s.missingRegions.add(key);
    }
    if (!url && required) {
      throw new RemoteCallError('Keystone', 'catalog lookup', undefined, `no public ${types.join('/')} endpoint for region ${openstackRegionId} in the token's catalog`);
    }
    return url;
  }

  /**
   * Every page of a list, its shape checked, with what it proves (SPEC 7): `key` holds a
   * page's items; the next page is where Keystone's `links.next`, Nova's `{key}_links`
   * rel=next or Glance's `next` points. Items with an id seen before are dropped. The
   * listing is not complete when paging stops early: `next` pointing at a page already
   * read or bringing no new item, HTTP_MAX_PAGES reached (also a warning in the job's
   * status), or Keystone answering `"truncated": true` (its `list_limit`). A page whose
   * call fails fails the whole listing.
   */
  private async paged<T>(s: KeystoneSession, system: RemoteSystem, first: string, key: string, headers: Record<string, string> = {}): Promise<Listing<T>> {
    const items: T[] = [];
    const seen = new Set<string>();
    const read = new Set<string>();
    const incomplete = (why: string): Listing<T> => ({ items, proof: { complete: false, authoritative: true, reason: `listing incomplete: ${why}` } });
    let bytes = 0;
    for (let url: string | undefined = first; url;) {
      if (read.has(url)) return incomplete(`${system} next did not advance`);
      if (read.size >= this.config.http.maxPages) {
        reportWarning(`${system} GET ${first.split('?')[0]}: list cut after ${read.size} pages (HTTP_MAX_PAGES)`);
        return incomplete(`${system} list cut after ${read.size} pages (HTTP_MAX_PAGES)`);
      }
      if (bytes >= this.config.limits.maxListBytes) {
        reportWarning(`${system} GET ${first.split('?')[0]}: list cut after ${read.size} pages, ${bytes} bytes (HTTP_MAX_LIST_BYTES)`);
        return incomplete(`${system} list cut after ${read.size} pages, ${bytes} bytes (HTTP_MAX_LIST_BYTES)`);
      }
      read.add(url);
      const answer = await this.getAnswer<any>(s, system, url, headers);
      bytes += answer.bytes;
      const body = answer.data;
      const page = AnswerShape.of(system, url, body).list<T>(key);
      const fresh = page.filter((item: any) => {
        const id = String(item.id);
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
      });
      items.push(...fresh);
      if (body.truncated === true) return incomplete(`${system} list truncated`);
      url = nextPage(body, key, first);
      if (url && read.size > 1 && fresh.length === 0) return incomplete(`${system} next did not advance`);
    }
    return { items, proof: PROVEN };
  }

  /** A GET with the session's token; a token Keystone stopped accepting (401) is renewed once. */
  private async get<T>(s: KeystoneSession, system: RemoteSystem, url: string, headers: Record<string, string> = {}): Promise<T> {
    return (await this.getAnswer<T>(s, system, url, headers)).data;
  }

  /** The same, with the answer's size. */
  private async getAnswer<T>(s: KeystoneSession, system: RemoteSystem, url: string, headers: Record<string, string> = {}): Promise<OutboundResponse<T>> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.outbound.send<T>('cloud', {
          system,
          method: 'GET',
          url,
          tls: s.tls,
          headers: { 'X-Auth-Token': s.token, Accept: 'application/json', ...headers },
        });
      } catch (error) {
        if (!RemoteCallError.is(error, 401) || attempt > 1) throw error;
        await s.refresh();
      }
    }
  }
}

/** The list under `key`; an answer without it is malformed (never read as "no items"). */
function listIn<T>(body: any, key: string, system: RemoteSystem, url: string): T[] {
  if (!Array.isArray(body?.[key])) throw malformed(system, url, `no ${key} list`);
  return body[key];
}

function notAuthoritative(why: string): ListingProof {
  return { complete: true, authoritative: false, reason: `listing not authoritative: ${why}` };
}

function malformed(system: RemoteSystem, url: string, what: string): RemoteCallError {
  return AnswerShape.of(system, url, undefined).error(what);
}

function asKeystone(session: CloudSession): KeystoneSession {
  if (!(session instanceof KeystoneSession)) throw new Error('not a session of this adapter');
  return session;
}

/**
 * The next page of a list, or undefined on the last. Keystone's and Nova's next hrefs
 * carry a host as the API sees itself, which may not be the catalog's: keep our base
 * and take only their query (limit, marker). Glance's `next` is a path under the
 * image root (the part of `first` before `/v2/`).
 */
function nextPage(body: any, key: string, first: string): string | undefined {
  const keystone = body.links?.next;
  if (typeof keystone === 'string' && keystone) return withQueryOf(keystone, first);
  const nova = Array.isArray(body[`${key}_links`]) ? body[`${key}_links`].find((link: any) => link?.rel === 'next')?.href : undefined;
  if (typeof nova === 'string') return withQueryOf(nova, first);
  if (typeof body.next === 'string' && body.next) {
    const root = first.slice(0, first.lastIndexOf('/v2/images'));
    return `${root}${body.next.startsWith('/') ? '' : '/'}${body.next}`;
  }
  return undefined;
}

/** Our base with the href's query, and any parameter of the first page's query the href lacks (`is_public=None`). */
function withQueryOf(href: string, base: string): string | undefined {
  const query = href.includes('?') ? href.slice(href.indexOf('?') + 1) : '';
  if (!query) return undefined;
  const params = new URLSearchParams(query);
  const firstQuery = base.includes('?') ? base.slice(base.indexOf('?') + 1) : '';
  new URLSearchParams(firstQuery).forEach((value, name) => {
    if (!params.has(name)) params.set(name, value);
  });
  return `${base.split('?')[0]}?${params.toString()}`;
}

/** The compute endpoint's version document: `…/v2.1/` without the project id. */
function novaRoot(compute: string): string {
  return compute.replace(/\/v2(\.1)?(\/.*)?$/, '/v2.1/');
}
