// HTTP Basic credentials checked in constant time (hashing both sides first so
// the comparison never depends on their lengths).
import { createHash, timingSafeEqual } from 'node:crypto';

export interface Credentials {
  readonly user: string;
  readonly password: string;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** True when `header` is `Basic base64(user:password)` matching `expected`. */
export function basicAuthMatches(header: string | undefined, expected: Credentials): boolean {
  if (!header?.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  const userOk = timingSafeEqual(digest(decoded.slice(0, colon)), digest(expected.user));
  const passwordOk = timingSafeEqual(digest(decoded.slice(colon + 1)), digest(expected.password));
  return userOk && passwordOk;
}
