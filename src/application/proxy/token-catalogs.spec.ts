import { TokenCatalogs } from './token-catalogs';

const CATALOG = [{ type: 'compute', interface: 'public', region: 'RegionOne', url: 'http://nova' }];

describe('TokenCatalogs', () => {
  it('keeps a catalog per region and token until the token expires', async () => {
    const catalogs = new TokenCatalogs();
    catalogs.remember('Owner_R1', 'token-a', CATALOG, Date.now() + 40);
    expect(catalogs.get('Owner_R1', 'token-a')).toEqual(CATALOG);
    expect(catalogs.get('Owner_R2', 'token-a')).toBeUndefined();
    expect(catalogs.get('Owner_R1', 'token-b')).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(catalogs.get('Owner_R1', 'token-a')).toBeUndefined();
  });

  it('keeps nothing for a token already expired, and never the token itself', () => {
    const catalogs = new TokenCatalogs();
    catalogs.remember('Owner_R1', 'token-old', CATALOG, Date.now() - 1);
    expect(catalogs.get('Owner_R1', 'token-old')).toBeUndefined();
    catalogs.remember('Owner_R1', 'token-secret', CATALOG, Date.now() + 60_000);
    expect(JSON.stringify([...(catalogs as unknown as { entries: Map<string, unknown> }).entries])).not.toContain('token-secret');
  });
});
