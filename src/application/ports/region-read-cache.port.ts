import { VimInfo } from '../../domain/cloud-region';

/**
 * Where regions read from A&AI are kept for VIM_INFO_CACHE_MS, in process memory only
 * (they carry the cloud's credentials), bounded by bytes.
 */
export abstract class RegionReadCache {
  abstract get(vimId: string): Promise<VimInfo | undefined>;
  abstract set(vimId: string, vim: VimInfo, ttlMs: number): Promise<void>;
  /** Takes effect at once: the next get misses. */
  abstract delete(vimId: string): void;
}
