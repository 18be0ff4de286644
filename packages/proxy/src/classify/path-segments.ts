// Splits a raw request path into segments decoded once and refuses traversal:
// any `.`/`..` segment, also when percent-encoded (once or repeatedly).
import { ProxyError } from '../request/proxy-error.js';

const MAX_DECODE_ROUNDS = 4;

function traversal(): never {
  throw new ProxyError('malformed_request', 'path contains a traversal segment', {
    context: { rule: 'no_dot_segments' },
  });
}

/**
 * The segment decoded once, as OpenSearch decodes it (`a%2541` is the id `a%41`,
 * never `aA`). Deeper rounds are decoded only to look for traversal: a segment
 * that turns into `.`, `..`, `/` or `\\` however often it is decoded is refused, and
 * a round that no longer decodes (`100%` once decoded) ends the search.
 */
function decodeSegment(raw: string): string {
  // Nothing to decode: what the loop below would decide in its first round.
  if (!raw.includes('%')) {
    if (raw === '..' || raw === '.' || raw.includes('\\')) traversal();
    return raw;
  }
  let once: string | undefined;
  let current = raw;
  for (let round = 0; round < MAX_DECODE_ROUNDS; round++) {
    if (current === '..' || current === '.') traversal();
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      if (once !== undefined) return once;
      throw new ProxyError('malformed_request', 'path has a bad percent-encoding', {
        context: { rule: 'percent_encoding' },
      });
    }
    if (next.includes('/') || next.includes('\\')) traversal();
    once ??= next;
    if (next === current) return once;
    current = next;
  }
  return traversal();
}

/** Decoded, non-empty path segments; throws `malformed_request` on traversal. */
export function pathSegments(path: string): string[] {
  // One array: the split's own, empty segments dropped in place.
  const segments = path.split('/');
  let n = 0;
  for (const segment of segments) if (segment !== '') segments[n++] = decodeSegment(segment);
  segments.length = n;
  return segments;
}
