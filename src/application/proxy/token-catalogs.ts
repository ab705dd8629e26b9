import { createHash } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { CatalogEntry } from '../../domain/keystone-front';
import { TokenCatalogCache } from '../ports/token-catalog-cache.port';

/**
 * The catalog of each token the proxy has seen, per region, until the token expires:
 * only that region's endpoints (all the proxy of one region ever reaches), in a cache
 * bounded by bytes. Keyed by a SHA-256 of region and token: the token itself is never kept.
 */
@Injectable()
export class TokenCatalogs {
  constructor(private readonly cache: TokenCatalogCache) {}

  get(region: string, token: string): Promise<CatalogEntry[] | undefined> {
    return this.cache.get(keyOf(region, token));
  }

  async remember(region: string, token: string, catalog: CatalogEntry[], expiresAt: number): Promise<void> {
    const ttlMs = expiresAt - Date.now();
    if (!(ttlMs > 0)) return;
    await this.cache.set(keyOf(region, token), catalog, ttlMs);
  }
}

function keyOf(region: string, token: string): string {
  return createHash('sha256').update(region).update('\0').update(token).digest('hex');
}
