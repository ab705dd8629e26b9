import { withoutTrailingSlashes } from '../../domain/path-segment';

export interface CatalogEndpoint {
  interface: string;
  region?: string;
  url: string;
}

export interface CatalogService {
  type: string;
  endpoints: CatalogEndpoint[];
}

/**
 * Keystone v3 `token.catalog` and v2.0 `access.serviceCatalog`, in one shape, keeping
 * only the public endpoints (the only ones the service calls: a token is cached for
 * an hour, and a large distributed cloud's catalog is long).
 */
export function normalizeCatalog(raw: unknown, version: 'v2.0' | 'v3'): CatalogService[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((service: any) => {
    const endpoints: CatalogEndpoint[] = [];
    for (const endpoint of Array.isArray(service?.endpoints) ? service.endpoints : []) {
      if (version === 'v3' && endpoint.interface === 'public') {
        endpoints.push({ interface: 'public', region: endpoint.region_id ?? endpoint.region, url: endpoint.url });
      } else if (version === 'v2.0' && endpoint.publicURL) {
        endpoints.push({ interface: 'public', region: endpoint.region, url: endpoint.publicURL });
      }
    }
    return { type: String(service?.type ?? ''), endpoints };
  });
}

/**
 * The public endpoint of the first of `types` the catalog offers in `region`;
 * undefined when there is none (the caller decides whether that is an error).
 */
export function findEndpoint(catalog: CatalogService[], types: string[], region: string): string | undefined {
  for (const type of types) {
    for (const service of catalog.filter((s) => s.type === type)) {
      const endpoint = service.endpoints.find((e) => e.interface === 'public' && e.region === region);
      if (endpoint?.url) return withoutTrailingSlashes(endpoint.url);
    }
  }
  return undefined;
}
