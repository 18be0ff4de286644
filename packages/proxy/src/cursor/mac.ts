// The seam that keeps crypto out of the cursor codec: a keyed MAC with a
// constant-time verify. `hmacSha256` is the production implementation.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface CursorMac {
  tag(message: Uint8Array): Uint8Array;
  /** Constant-time comparison of `tag` with the expected tag of `message`. */
  verify(message: Uint8Array, tag: Uint8Array): boolean;
}

/** HMAC-SHA256 under `key` (at least 16 bytes). */
export function hmacSha256(key: Uint8Array | string): CursorMac {
  const tag = (message: Uint8Array) => new Uint8Array(createHmac('sha256', key).update(message).digest());
  return {
    tag,
    verify(message, candidate) {
      const expected = tag(message);
      return candidate.length === expected.length && timingSafeEqual(expected, candidate);
    },
  };
}
