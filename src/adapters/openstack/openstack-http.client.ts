import { Inject, Injectable } from '@nestjs/common';

import { CloudSession, OpenStackPort, ProjectScope, SystemInfo } from '../../application/ports/openstack.port';
import { reportWarning, sharedRead } from '../../application/jobs/call-scope';
import { RemoteCallError, RemoteSystem } from '../../application/ports/remote-call.error';
import { NovaAvailabilityZone } from '../../domain/availability-zone';
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
import { Redactor } from '../../application/jobs/redactor';
import { OutboundHttp } from '../outbound/outbound-http';
import { AnswerShape, withoutDuplicates } from '../outbound/answer-shape';
import { KeystoneAuth } from './keystone-auth';
import { findEndpoint } from './keystone-catalog';
import { KeystoneSession } from './keystone-session';

/** Nova microversion 2.1: later ones drop OS-FLV-DISABLED and the hypervisor figures. */
const NOVA_HEADERS = { 'X-OpenStack-Nova-API-Version': '2.1', 'OpenStack-API-Version': 'compute 2.1' };
/** Flavors at 2.61 embed their extra_specs and keep every field 2.1 has (until 2.75 trims swap and 2.102 OS-FLV-DISABLED). */
const NOVA_FLAVORS_WITH_SPECS = { 'X-OpenStack-Nova-API-Version': '2.61', 'OpenStack-API-Version': 'compute 2.61' };
const FLAVORS_WITH_SPECS_MINOR = 61;
/** Placement 1.0 has all the audit reads (providers with generations, inventories, usages) and every Placement serves it. */
const PLACEMENT_HEADERS = { 'OpenStack-API-Version': 'placement 1.0' };
const VOLUME_TYPES = ['volumev3', 'volumev2', 'block-storage', 'volume'];

/** OpenStack and StarlingX over REST, through the endpoints of the session's catalog. */
@Injectable()
export class OpenStackHttpClient extends OpenStackPort {
  /** Compute endpoint root → highest microversion minor (see novaMaxMinor). */
  private readonly novaVersions = new Map<string, number>();
  private readonly keystone: KeystoneAuth;

  constructor(
    private readonly outbound: OutboundHttp,
    redactor: Redactor,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
  ) {
    super();
    this.keystone = new KeystoneAuth(outbound, redactor);
  }

  authenticate(access: CloudAccess, scope: ProjectScope): Promise<CloudSession> {
    return this.keystone.authenticate(access, scope);
  }

  async listRegions(session: CloudSession): Promise<string[]> {
    const s = asKeystone(session);
    if (s.version === 'v2.0') return [];
    const regions = await this.paged<{ id: string }>(s, 'Keystone', `${s.identityUrl}/regions`, 'regions');
    return regions.map((listed) => String(listed.id));
  }

  /** Read once per session under a job's `shareReads`: a distributed cloud's subclouds share one list. */
  listProjects(session: CloudSession): Promise<CloudProject[]> {
    const s = asKeystone(session);
    return sharedRead(s, 'projects', async () => {
      const projects: CloudProject[] =
        s.version === 'v3'
          ? await this.paged<CloudProject>(s, 'Keystone', `${s.identityUrl}/projects`, 'projects')
          : withoutDuplicates(
              AnswerShape.of('Keystone', `${s.identityUrl}/tenants`, await this.get(s, 'Keystone', `${s.identityUrl}/tenants`)).list<CloudProject>('tenants'),
              (p) => p.id,
            );
      return projects.map((p: CloudProject) => ({ id: String(p.id), name: String(p.name ?? p.id) }));
    });
  }

  /** At 2.61 when the cloud's compute version document allows it: each flavor then carries its extra_specs. */
  async listFlavors(session: CloudSession, openstackRegionId: string): Promise<NovaFlavor[]> {
    const s = asKeystone(session);
    const compute = await this.endpoint(s, ['compute'], openstackRegionId);
    if ((await this.novaMaxMinor(s, compute)) >= FLAVORS_WITH_SPECS_MINOR) {
      try {
        return await this.paged<NovaFlavor>(s, 'Nova', `${compute}/flavors/detail`, 'flavors', NOVA_FLAVORS_WITH_SPECS);
      } catch (error) {
        // 406: Nova no longer serves 2.61 (a downgrade since its version document was read).
        if (!RemoteCallError.is(error, 406)) throw error;
        this.novaVersions.delete(novaRoot(compute));
      }
    }
    const flavors = await this.paged<NovaFlavor>(s, 'Nova', `${compute}/flavors/detail`, 'flavors', NOVA_HEADERS);
    return flavors.map(({ extra_specs: _ignored, ...flavor }) => flavor);
  }

  /**
   * The highest compute microversion of an endpoint (its version document, `GET /v2.1/`),
   * remembered per endpoint; 0 when the document cannot be read (then 2.1 is used).
   */
  private async novaMaxMinor(s: KeystoneSession, compute: string): Promise<number> {
    const root = novaRoot(compute);
    const known = this.novaVersions.get(root);
    if (known !== undefined) return known;
    let minor = 0;
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

  async listImages(session: CloudSession, openstackRegionId: string): Promise<GlanceImage[]> {
    const s = asKeystone(session);
    const root = (await this.endpoint(s, ['image'], openstackRegionId)).replace(/\/v2(\.\d+)?$/, '');
    return this.paged<GlanceImage>(s, 'Glance', `${root}/v2/images?limit=1000`, 'images');
  }

  async listAvailabilityZones(session: CloudSession, openstackRegionId: string): Promise<NovaAvailabilityZone[]> {
    const s = asKeystone(session);
    const compute = await this.endpoint(s, ['compute'], openstackRegionId);
    const url = `${compute}/os-availability-zone/detail`;
    const body = await this.get<any>(s, 'Nova', url, NOVA_HEADERS);
    return listIn(body, 'availabilityZoneInfo', 'Nova', url);
  }

  async listHypervisors(session: CloudSession, openstackRegionId: string): Promise<NovaHypervisor[]> {
    const s = asKeystone(session);
    const compute = await this.endpoint(s, ['compute'], openstackRegionId);
    // A page without its list is malformed: the audit must not read it as "no hypervisors".
    return this.paged<NovaHypervisor>(s, 'Nova', `${compute}/os-hypervisors/detail`, 'hypervisors', NOVA_HEADERS);
  }

  async listResourceProviders(session: CloudSession, openstackRegionId: string): Promise<PlacementProvider[] | undefined> {
    const s = asKeystone(session);
    // No sign-in again for a catalog without Placement: the hypervisors serve instead,
    // and the token's next renewal brings a Placement added since.
    const placement = findEndpoint(s.catalog, ['placement'], openstackRegionId);
    if (!placement) return undefined;
    const url = `${placement}/resource_providers`;
    const body = await this.get<any>(s, 'Placement', url, PLACEMENT_HEADERS);
    return listIn<any>(body, 'resource_providers', 'Placement', url).map((p) => {
      if (typeof p?.uuid !== 'string' || typeof p.generation !== 'number') throw malformed('Placement', url, 'a provider without uuid or generation');
      return { uuid: p.uuid, name: String(p.name ?? p.uuid), generation: p.generation };
    });
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
      throw new RemoteCallError(
        'Keystone',
        'catalog lookup',
        undefined,
        `no public ${types.join('/')} endpoint for region ${openstackRegionId} in the token's catalog`,
      );
    }
    return url;
  }

  /**
   * Every page of a list, its shape checked: `key` holds a page's items; the next page is
   * where Keystone's `links.next`, Nova's `{key}_links` rel=next or Glance's `next` points.
   * Paging stops when `next` does not advance (a URL already read), items with an id
   * seen before are dropped, and a list cut at HTTP_MAX_PAGES says so in the job's warnings.
   */
  private async paged<T>(
    s: KeystoneSession,
    system: RemoteSystem,
    first: string,
    key: string,
    headers: Record<string, string> = {},
  ): Promise<T[]> {
    const items: T[] = [];
    const read = new Set<string>();
    for (let url: string | undefined = first; url && !read.has(url); ) {
      if (read.size >= this.config.http.maxPages) {
        reportWarning(`${system} GET ${first.split('?')[0]}: list cut after ${read.size} pages (HTTP_MAX_PAGES)`);
        break;
      }
      read.add(url);
      const body = await this.get(s, system, url, headers);
      items.push(...AnswerShape.of(system, url, body).list<T>(key));
      url = nextPage(body, key, first);
    }
    return withoutDuplicates(items, (item: any) => item.id);
  }

  /** A GET with the session's token; a token Keystone stopped accepting (401) is renewed once. */
  private async get<T>(s: KeystoneSession, system: RemoteSystem, url: string, headers: Record<string, string> = {}): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const response = await this.outbound.send<T>('cloud', {
          system,
          method: 'GET',
          url,
          tls: s.tls,
          headers: { 'X-Auth-Token': s.token, Accept: 'application/json', ...headers },
        });
        return response.data as T;
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

function withQueryOf(href: string, base: string): string | undefined {
  const query = href.includes('?') ? href.slice(href.indexOf('?')) : '';
  if (!query) return undefined;
  return `${base.split('?')[0]}${query}`;
}

/** The compute endpoint's version document: `…/v2.1/` without the project id. */
function novaRoot(compute: string): string {
  return compute.replace(/\/v2(\.1)?(\/.*)?$/, '/v2.1/');
}
