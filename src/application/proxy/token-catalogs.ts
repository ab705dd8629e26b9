import { createHash } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { CatalogEntry } from '../../domain/keystone-front';

const MAX_ENTRIES = 10_000;

/**
 * The catalog of each token the proxy has seen, per region, until the token expires.
 * Keyed by a SHA-256 of region and token: the token itself is never kept, and the
 * cache lives in this process only (never in the store).
 */
@Injectable()
export class TokenCatalogs {
  private readonly entries = new Map<string, { catalog: CatalogEntry[]; expiresAt: number }>();

  get(region: string, token: string): CatalogEntry[] | undefined {
    const key = keyOf(region, token);
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.catalog;
  }

  remember(region: string, token: string, catalog: CatalogEntry[], expiresAt: number): void {
    if (!(expiresAt > Date.now())) return;
    if (this.entries.size >= MAX_ENTRIES) this.evict();
    this.entries.set(keyOf(region, token), { catalog, expiresAt });
  }

  /** Expired entries go; if none had, the oldest tenth. */
  private evict(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    if (this.entries.size < MAX_ENTRIES) return;
    let drop = Math.ceil(MAX_ENTRIES / 10);
    for (const key of this.entries.keys()) {
      if (drop-- <= 0) break;
      this.entries.delete(key);
    }
  }
}

function keyOf(region: string, token: string): string {
  return createHash('sha256').update(region).update('\0').update(token).digest('hex');
}
