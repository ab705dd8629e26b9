import { InvalidRequestError } from './errors';
import { withoutTrailingSlashes } from './path-segment';

/* Keystone's wire shapes as the proxy rewrites and converts them (SPEC 8). Pure. */

export type Json = Record<string, any>;

/** One endpoint of a token's catalog, the region it serves and its real URL. */
export interface CatalogEntry {
  type: string;
  interface: string;
  region: string;
  url: string;
}

/** The v3 catalog of a token, flattened. */
export function catalogEntries(catalog: unknown): CatalogEntry[] {
  if (!Array.isArray(catalog)) return [];
  return catalog.flatMap((service: Json) =>
    (Array.isArray(service?.endpoints) ? service.endpoints : [])
      .filter((e: Json) => typeof e?.url === 'string')
      .map((e: Json) => ({
        type: String(service.type ?? ''),
        interface: String(e.interface ?? ''),
        region: String(e.region_id ?? e.region ?? ''),
        url: String(e.url),
      })),
  );
}

/** The real URL of a service type in a region: its public endpoint, else its internal one. */
export function serviceEndpoint(entries: CatalogEntry[], type: string, region: string): string | undefined {
  const ofType = entries.filter((e) => e.type === type && e.region === region);
  const found = ofType.find((e) => e.interface === 'public') ?? ofType.find((e) => e.interface === 'internal');
  return found && withoutTrailingSlashes(found.url);
}

/**
 * A v3 catalog with only the region's endpoints, each pointing at `{proxyBase}/{type}`
 * (`id`, `interface`, `region`, `region_id` kept). Other regions' endpoints go: the
 * proxy of one A&AI region serves one openstack region.
 */
export function rewriteCatalog(catalog: unknown, region: string, proxyBase: string): Json[] {
  if (!Array.isArray(catalog)) return [];
  return catalog
    .map((service: Json) => ({
      ...service,
      endpoints: (Array.isArray(service?.endpoints) ? service.endpoints : [])
        .filter((e: Json) => (e?.region_id ?? e?.region) === region)
        .map((e: Json) => ({ ...e, url: `${proxyBase}/${service.type}` })),
    }))
    .filter((service: Json) => service.endpoints.length > 0);
}

/** Keystone's version documents, every link pointing at the proxy's identity base. */
export function versionDocument(identityBase: string, which: 'all' | 'v3' | 'v2.0'): { status: number; body: Json } {
  const v3 = {
    id: 'v3.14',
    status: 'stable',
    updated: '2020-04-07T00:00:00Z',
    links: [{ rel: 'self', href: `${identityBase}/v3/` }],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
  };
  const v2 = {
    id: 'v2.0',
    status: 'deprecated',
    updated: '2016-08-04T00:00:00Z',
    links: [
      { rel: 'self', href: `${identityBase}/v2.0/` },
      { rel: 'describedby', type: 'text/html', href: 'https://docs.openstack.org/' },
    ],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v2.0+json' }],
  };
  if (which === 'v3') return { status: 200, body: { version: v3 } };
  if (which === 'v2.0') return { status: 200, body: { version: v2 } };
  return { status: 300, body: { versions: { values: [v3, v2] } } };
}

/**
 * A v2.0 token request as v3: `passwordCredentials` or `token`, with `tenantName` or
 * `tenantId`; user and project names are looked up in `domain` (the esr cloud-domain).
 */
export function v2RequestToV3(body: unknown, domain: string): Json {
  const auth = (body as Json)?.auth;
  if (!auth || typeof auth !== 'object') throw new InvalidRequestError('a v2.0 token request needs "auth"');
  let identity: Json;
  if (auth.passwordCredentials) {
    const { username, userId, password } = auth.passwordCredentials;
    if (typeof password !== 'string' || (typeof username !== 'string' && typeof userId !== 'string')) {
      throw new InvalidRequestError('auth.passwordCredentials needs username and password');
    }
    const user = typeof userId === 'string' ? { id: userId, password } : { name: username, password, domain: { name: domain } };
    identity = { methods: ['password'], password: { user } };
  } else if (typeof auth.token?.id === 'string') {
    identity = { methods: ['token'], token: { id: auth.token.id } };
  } else {
    throw new InvalidRequestError('auth needs passwordCredentials or token');
  }
  const scope =
    typeof auth.tenantId === 'string'
      ? { project: { id: auth.tenantId } }
      : typeof auth.tenantName === 'string'
        ? { project: { name: auth.tenantName, domain: { name: domain } } }
        : undefined;
  return { auth: { identity, ...(scope ? { scope } : {}) } };
}

/** A v3 token (already rewritten) answered in the v2.0 `access` shape. */
export function v3TokenToV2(tokenId: string, token: Json): Json {
  const catalog: Json[] = Array.isArray(token.catalog) ? token.catalog : [];
  const roles: Json[] = Array.isArray(token.roles) ? token.roles : [];
  return {
    access: {
      token: {
        id: tokenId,
        issued_at: token.issued_at,
        expires: token.expires_at,
        ...(token.project ? { tenant: { id: token.project.id, name: token.project.name, enabled: true, description: null } } : {}),
      },
      serviceCatalog: catalog.map((service) => ({
        type: service.type,
        name: service.name,
        endpoints_links: [],
        endpoints: v2Endpoints(service.endpoints ?? []),
      })),
      user: {
        id: token.user?.id,
        name: token.user?.name,
        username: token.user?.name,
        roles: roles.map((role) => ({ name: role.name })),
        roles_links: [],
      },
      metadata: { is_admin: 0, roles: roles.map((role) => role.id) },
    },
  };
}

function v2Endpoints(endpoints: Json[]): Json[] {
  const byRegion = new Map<string, Json>();
  for (const endpoint of endpoints) {
    const region = String(endpoint.region_id ?? endpoint.region ?? '');
    const entry = byRegion.get(region) ?? { region };
    entry[`${endpoint.interface}URL`] = endpoint.url;
    if (endpoint.interface === 'public' || !entry.id) entry.id = endpoint.id;
    byRegion.set(region, entry);
  }
  return [...byRegion.values()].map((e) => ({
    region: e.region,
    publicURL: e.publicURL ?? e.internalURL ?? e.adminURL,
    internalURL: e.internalURL ?? e.publicURL ?? e.adminURL,
    adminURL: e.adminURL ?? e.publicURL ?? e.internalURL,
    id: e.id,
  }));
}

/** A v3 `/auth/projects` answer in the v2.0 `/tenants` shape. */
export function projectsToTenants(body: Json): Json {
  const projects: Json[] = Array.isArray(body?.projects) ? body.projects : [];
  return {
    tenants: projects.map((p) => ({ id: p.id, name: p.name, description: p.description ?? '', enabled: p.enabled !== false })),
    tenants_links: [],
  };
}

/** A v2.0 `serviceCatalog`, flattened (publicURL, internalURL, adminURL as interfaces). */
export function v2CatalogEntries(catalog: unknown): CatalogEntry[] {
  if (!Array.isArray(catalog)) return [];
  return catalog.flatMap((service: Json) =>
    (Array.isArray(service?.endpoints) ? service.endpoints : []).flatMap((e: Json) =>
      (['public', 'internal', 'admin'] as const)
        .filter((iface) => typeof e?.[`${iface}URL`] === 'string')
        .map((iface) => ({ type: String(service.type ?? ''), interface: iface, region: String(e.region ?? ''), url: String(e[`${iface}URL`]) })),
    ),
  );
}

/** A v2.0 `serviceCatalog` with only the region's endpoints, each pointing at `{proxyBase}/{type}`. */
export function rewriteV2Catalog(catalog: unknown, region: string, proxyBase: string): Json[] {
  if (!Array.isArray(catalog)) return [];
  return catalog
    .map((service: Json) => {
      const url = `${proxyBase}/${service.type}`;
      return {
        ...service,
        endpoints: (Array.isArray(service?.endpoints) ? service.endpoints : [])
          .filter((e: Json) => e?.region === region)
          .map((e: Json) => ({ ...e, publicURL: url, internalURL: url, adminURL: url })),
      };
    })
    .filter((service: Json) => service.endpoints.length > 0);
}
