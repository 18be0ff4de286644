// Shard placement as OpenSearch computes it: murmur3 (x86, 32 bit, seed 0) over
// the routing value's UTF-16LE bytes, modulo the routing shards, over the routing factor.

/** Murmur3 x86 32-bit over bytes (Lucene's `StringHelper.murmurhash3_x86_32`). */
export function murmur3(bytes: Uint8Array, seed = 0): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = seed | 0;
  const blocks = bytes.length & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k =
      (bytes[i] as number) |
      ((bytes[i + 1] as number) << 8) |
      ((bytes[i + 2] as number) << 16) |
      ((bytes[i + 3] as number) << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  const tail = bytes.length & 3;
  if (tail === 3) k ^= (bytes[blocks + 2] as number) << 16;
  if (tail >= 2) k ^= (bytes[blocks + 1] as number) << 8;
  if (tail >= 1) {
    k ^= bytes[blocks] as number;
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= bytes.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** OpenSearch's `Murmur3HashFunction.hash(String)`. */
export function routingHash(routing: string): number {
  const bytes = new Uint8Array(routing.length * 2);
  for (let i = 0; i < routing.length; i++) {
    const c = routing.charCodeAt(i);
    bytes[i * 2] = c & 0xff;
    bytes[i * 2 + 1] = c >>> 8;
  }
  return murmur3(bytes);
}

/** The default `number_of_routing_shards`: shards doubled up to 1024 (at least one split). */
export function defaultRoutingShards(shards: number): number {
  const log2Shards = 32 - Math.clz32(shards - 1);
  const splits = Math.max(1, 10 - log2Shards);
  return shards * 2 ** splits;
}

export interface ShardLayout {
  readonly shards: number;
  readonly routingShards: number;
}

/** The shard a document with this routing (or id) lives on. */
export function shardFor(layout: ShardLayout, routing: string): number {
  if (layout.shards <= 1) return 0;
  const factor = layout.routingShards / layout.shards;
  const mod = ((routingHash(routing) % layout.routingShards) + layout.routingShards) % layout.routingShards;
  return Math.floor(mod / factor);
}
