// Splits a raw request path into decoded segments and refuses traversal:
// any `.`/`..` segment, also when percent-encoded (once or repeatedly).
import { ProxyError } from '../request/proxy-error.js';

const MAX_DECODE_ROUNDS = 4;

function traversal(): never {
  throw new ProxyError('malformed_request', 'path contains a traversal segment', {
    context: { rule: 'no_dot_segments' },
  });
}

function decodeSegment(raw: string): string {
  // Nothing to decode: what the loop below would decide in its first round.
  if (!raw.includes('%')) {
    if (raw === '..' || raw === '.' || raw.includes('\\')) traversal();
    return raw;
  }
  let current = raw;
  for (let round = 0; round < MAX_DECODE_ROUNDS; round++) {
    if (current === '..' || current === '.') traversal();
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      throw new ProxyError('malformed_request', 'path has a bad percent-encoding', {
        context: { rule: 'percent_encoding' },
      });
    }
    if (next.includes('/') || next.includes('\\')) traversal();
    if (next === current) return current;
    current = next;
  }
  return traversal();
}

/** Decoded, non-empty path segments; throws `malformed_request` on traversal. */
export function pathSegments(path: string): string[] {
  return path
    .split('/')
    .filter((segment) => segment !== '')
    .map(decodeSegment);
}
