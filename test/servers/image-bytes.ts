import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

const BLOCK = 64 * 1024;

/** Block `i` of the test image pattern: every block differs, none needs storing. */
function block(index: number): Buffer {
  const buffer = Buffer.alloc(BLOCK);
  for (let at = 0; at < BLOCK; at += 4) buffer.writeUInt32BE((index * BLOCK + at) >>> 0, at);
  return buffer;
}

/** `size` bytes of the pattern, generated as they are read (never held whole). */
export function imageBytes(size: number): Readable {
  let index = 0;
  let left = size;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const chunk = block(index++);
      const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
      left -= part.length;
      this.push(part);
    },
  });
}

/** SHA-256 (hex) and length of what a stream carries, read as it comes. */
export async function digestOf(stream: AsyncIterable<Buffer | Uint8Array>): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}
