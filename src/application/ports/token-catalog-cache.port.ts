import { CatalogEntry } from '../../domain/keystone-front';

/**
 * Where the proxy keeps each token's catalog (its region's endpoints) until the token
 * expires, under a key that is already a hash (never the token). Bounded by bytes in
 * memory; shared by the replicas when a store is configured. A failure to keep one is
 * no error: the catalog is then asked of Keystone again.
 */
export abstract class TokenCatalogCache {
  abstract get(key: string): Promise<CatalogEntry[] | undefined>;
  abstract set(key: string, catalog: CatalogEntry[], ttlMs: number): Promise<void>;
}
