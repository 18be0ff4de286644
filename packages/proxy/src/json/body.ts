// Request and reply bodies as lossless trees, and back to bytes: an untouched
// body goes out as the very bytes it came in as.

import { ProxyError } from '../request/proxy-error.js';
import { emit } from './emit.js';
import { isObject, type JNode, type JObject } from './node.js';
import { parseLossless } from './parse.js';

// Fatal: a body that is not UTF-8 is refused, never read with U+FFFD in place of its
// bytes (and so sent on altered, where the cluster would have refused it).
const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** A body read losslessly, with what it came from (to send it back out unchanged). */
export interface ReadBody<T extends JNode = JNode> {
  readonly node: T;
  readonly bytes: Uint8Array | string;
}

/** The body as text; a body that is not UTF-8 is `malformed_request`. */
export function utf8Text(body: Uint8Array | string): string {
  if (typeof body === 'string') return body;
  try {
    return decoder.decode(body);
  } catch {
    throw new ProxyError('malformed_request', 'request body is not UTF-8', { context: { rule: 'utf8' } });
  }
}

const text = utf8Text;

/**
 * The body as a lossless JSON object; an empty body is `null`. Containers nested
 * deeper than `eagerDepth` are only validated until something reads them (a
 * document the proxy passes along costs a scan, not a tree).
 */
export function readObjectBody(
  body: Uint8Array | string | null,
  eagerDepth?: number,
): ReadBody<JObject> | null {
  if (body === null) return null;
  const source = text(body);
  if (source.trim() === '') return null;
  const node = parseLossless(source, eagerDepth === undefined ? {} : { eagerDepth });
  if (!isObject(node)) {
    throw new ProxyError('malformed_request', 'request body is not a JSON object', {
      context: { expected: 'a JSON object' },
    });
  }
  return { node, bytes: body };
}

/** The bytes of `node`: the original bytes when `node` is the body as it was read. */
export function encodeNode(node: JNode, read?: ReadBody | null): Uint8Array {
  if (read !== undefined && read !== null && read.node === node) {
    return typeof read.bytes === 'string' ? encoder.encode(read.bytes) : read.bytes;
  }
  return encoder.encode(emit(node));
}

/** Non-empty NDJSON lines as lossless objects (see `readObjectBody`); `malformed_request` names the line number only. */
export function readNdjsonObjects(body: Uint8Array | string | null, eagerDepth?: number): JObject[] {
  if (body === null) return [];
  const out: JObject[] = [];
  text(body)
    .split('\n')
    .forEach((line, index) => {
      if (line.trim() === '') return;
      let node: JNode | undefined;
      try {
        node = parseLossless(line, eagerDepth === undefined ? {} : { eagerDepth });
      } catch {
        // reported below without the line's content
      }
      if (!isObject(node)) {
        throw new ProxyError('malformed_request', `NDJSON line ${index + 1} is not a JSON object`, {
          context: { line: index + 1 },
        });
      }
      out.push(node);
    });
  return out;
}

/** NDJSON of `lines`, each emitted losslessly. */
export function encodeNdjsonNodes(lines: readonly JNode[]): Uint8Array {
  return encoder.encode(`${lines.map(emit).join('\n')}\n`);
}
