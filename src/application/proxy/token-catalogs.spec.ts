import { createCache } from 'cache-manager';

import { BoundedMemoryStore, boundedMemoryKeyv, jsonBytes } from '../../adapters/store/bounded-memory-store';
import { CacheTokenCatalogs } from '../../adapters/store/cache-token-catalogs';
import { CatalogEntry } from '../../domain/keystone-front';
import { TokenCatalogs } from './token-catalogs';

const CATALOG = [{ type: 'compute', interface: 'public', region: 'RegionOne', url: 'http://nova' }];

function catalogs(maxBytes = 1024 * 1024): { catalogs: TokenCatalogs; store: BoundedMemoryStore<CatalogEntry[]> } {
  const store = new BoundedMemoryStore<CatalogEntry[]>(maxBytes, jsonBytes);
  return { catalogs: new TokenCatalogs(new CacheTokenCatalogs(createCache({ stores: [boundedMemoryKeyv(store)] }) as never)), store };
}

describe('TokenCatalogs', () => {
  it('keeps a catalog per region and token until the token expires', async () => {
    const { catalogs: subject } = catalogs();
    await subject.remember('Owner_R1', 'token-a', CATALOG, Date.now() + 40);
    expect(await subject.get('Owner_R1', 'token-a')).toEqual(CATALOG);
    expect(await subject.get('Owner_R2', 'token-a')).toBeUndefined();
    expect(await subject.get('Owner_R1', 'token-b')).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await subject.get('Owner_R1', 'token-a')).toBeUndefined();
  });

  it('keeps nothing for a token already expired, and never the token itself', async () => {
    const { catalogs: subject, store } = catalogs();
    await subject.remember('Owner_R1', 'token-old', CATALOG, Date.now() - 1);
    expect(await subject.get('Owner_R1', 'token-old')).toBeUndefined();
    expect(store.size).toBe(0);
    await subject.remember('Owner_R1', 'token-secret', CATALOG, Date.now() + 60_000);
    const keys = [...(store as unknown as { lru: Map<string, unknown> }).lru.keys()];
    expect(keys).toEqual([expect.stringMatching(/^mcstx:token_catalog:[0-9a-f]{64}$/)]);
    expect(JSON.stringify(keys)).not.toContain('token-secret');
  });

  it('holds at most its byte bound: the least recently used catalogs go first', async () => {
    const size = jsonBytes(CATALOG);
    const { catalogs: subject, store } = catalogs(size * 10);
    for (let i = 0; i < 100; i++) await subject.remember('Owner_R1', `token-${i}`, CATALOG, Date.now() + 60_000);
    expect(store.heldBytes).toBe(size * 10);
    expect(store.size).toBe(10);
    expect(await subject.get('Owner_R1', 'token-99')).toEqual(CATALOG);
    expect(await subject.get('Owner_R1', 'token-0')).toBeUndefined();
  });

  it('does not keep a catalog larger than the whole bound', async () => {
    const { catalogs: subject, store } = catalogs(jsonBytes(CATALOG) - 1);
    await subject.remember('Owner_R1', 'token-a', CATALOG, Date.now() + 60_000);
    expect(await subject.get('Owner_R1', 'token-a')).toBeUndefined();
    expect(store.heldBytes).toBe(0);
  });
});
