import { Keyv } from 'keyv';
import { LRUCache } from 'lru-cache';

/** What Keyv hands its store when it does not serialize: the value and its expiry. */
interface KeyvEntry<T> {
  value: T;
  expires?: number;
}

/**
 * A Map-like Keyv store over `lru-cache`, bounded by bytes: each entry counts what
 * `sizeOf` says of its value, and the least recently used go once the sum passes
 * `maxBytes`. An entry larger than the whole bound is not kept at all. Keyv's TTL is
 * passed on, so an expired entry leaves by itself.
 */
export class BoundedMemoryStore<T> {
  private readonly lru: LRUCache<string, KeyvEntry<T>>;

  constructor(maxBytes: number, sizeOf: (value: T) => number) {
    this.lru = new LRUCache<string, KeyvEntry<T>>({
      maxSize: maxBytes,
      sizeCalculation: (entry) => Math.max(1, Math.ceil(sizeOf(entry.value))),
      ttlAutopurge: false,
    });
  }

  /** What the entries held count, in bytes (never more than the bound). */
  get heldBytes(): number {
    return this.lru.calculatedSize;
  }

  get size(): number {
    return this.lru.size;
  }

  get(key: string): KeyvEntry<T> | undefined {
    return this.lru.get(key);
  }

  set(key: string, entry: KeyvEntry<T>, ttl?: number): boolean {
    this.lru.set(key, entry, typeof ttl === 'number' && ttl > 0 ? { ttl } : {});
    return true;
  }

  delete(key: string): boolean {
    return this.lru.delete(key);
  }

  has(key: string): boolean {
    return this.lru.has(key);
  }

  clear(): void {
    this.lru.clear();
  }
}

/**
 * Keyv over a BoundedMemoryStore: values kept as they are (no serialization, so a live
 * object such as a Keystone session can be cached), keys unprefixed.
 */
export function boundedMemoryKeyv<T>(store: BoundedMemoryStore<T>): Keyv {
  return new Keyv({ store: store as never, useKeyPrefix: false, namespace: undefined, serialize: undefined, deserialize: undefined });
}

/** The size of a JSON-able value as UTF-8 JSON: what a cached plain value costs, give or take V8's overhead. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '');
}
