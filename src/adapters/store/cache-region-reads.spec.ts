import { createCache } from 'cache-manager';

import { FakeAai } from '../../../test/fakes/fake-aai';
import { testSettings } from '../../../test/fakes/settings';
import { CloudRegionReader } from '../../application/registration/cloud-region-reader';
import { VimInfo } from '../../domain/cloud-region';
import { VimId } from '../../domain/vim-id';
import { BoundedMemoryStore, boundedMemoryKeyv, jsonBytes } from './bounded-memory-store';
import { CacheRegionReads } from './cache-region-reads';

describe('CloudRegionReader over the region-read cache (REGION_CACHE_BYTES)', () => {
  const ids = ['Owner_R1', 'Owner_R2', 'Owner_R3'];
  let aai: FakeAai;

  beforeEach(() => {
    aai = new FakeAai();
    for (const id of ids) {
      const [owner, region] = id.split('_');
      aai.seedRegion(id, {
        'cloud-owner': owner,
        'cloud-region-id': region,
        'esr-system-info-list': { 'esr-system-info': [{ 'service-url': 'http://keystone:5000/v3', 'user-name': 'admin', password: 'secret' }] },
      });
    }
  });

  function reader(maxBytes: number, vimInfoCacheMs = 60_000): { reader: CloudRegionReader; cache: CacheRegionReads } {
    const store = new BoundedMemoryStore<VimInfo>(maxBytes, (vim) => jsonBytes({ ...vim, vimId: vim.vimId.toString() }));
    const cache = new CacheRegionReads(createCache({ stores: [boundedMemoryKeyv(store)] }) as never);
    return { reader: new CloudRegionReader(aai, testSettings({ vimInfoCacheMs }), undefined, cache), cache };
  }
  const vim = (id: string) => VimId.parse(id);

  it('reuses a read for VIM_INFO_CACHE_MS, and asks A&AI again once forgotten', async () => {
    const { reader: subject } = reader(1024 * 1024);
    expect((await subject.readCachedAnswer(vim('Owner_R1'))).fresh).toBe(true);
    expect((await subject.readCachedAnswer(vim('Owner_R1'))).fresh).toBe(false);
    expect(aai.reads).toEqual(['Owner_R1']);
    subject.forget('Owner_R1');
    expect((await subject.readCachedAnswer(vim('Owner_R1'))).fresh).toBe(true);
    expect(aai.reads).toEqual(['Owner_R1', 'Owner_R1']);
  });

  it('keeps nothing with VIM_INFO_CACHE_MS=0', async () => {
    const { reader: subject, cache } = reader(1024 * 1024, 0);
    await subject.readCached(vim('Owner_R1'));
    await subject.readCached(vim('Owner_R1'));
    expect(aai.reads).toEqual(['Owner_R1', 'Owner_R1']);
    expect(cache.heldBytes()).toBe(0);
  });

  it('holds at most its byte bound: the least recently read region goes first', async () => {
    const { reader: probe, cache: probeCache } = reader(1024 * 1024);
    await probe.readCached(vim('Owner_R1'));
    const one = probeCache.heldBytes();
    aai.reads.length = 0;

    const { reader: subject, cache } = reader(one * 2 + 10);
    for (const id of ids) await subject.readCached(vim(id));
    expect(cache.heldBytes()).toBeLessThanOrEqual(one * 2 + 10);
    expect((await subject.readCachedAnswer(vim('Owner_R3'))).fresh).toBe(false);
    expect((await subject.readCachedAnswer(vim('Owner_R1'))).fresh).toBe(true);
  });
});
