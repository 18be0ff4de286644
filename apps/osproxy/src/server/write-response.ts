// Writes a handled response to Node's ServerResponse: bytes with a length, or a
// relayed stream piped with back-pressure (an upstream that dies mid-body ends
// the client's response rather than leaving it hanging).
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { HandledResponse } from './handled-response.js';

/**
 * Writes `out`; a body of bytes is written at once (undefined is returned), a relayed
 * stream is piped and the returned promise settles once it has ended.
 */
export function writeResponse(
  outgoing: ServerResponse,
  out: HandledResponse,
  head: boolean,
): Promise<void> | undefined {
  const { body } = out;
  if (body === null || body instanceof Uint8Array) {
    const length = body === null ? 0 : body.length;
    // The handler's own headers object (never `{ ...headers, length }`: a spread then extended
    // gets a new hidden class each time in optimised code).
    out.headers['content-length'] = String(length);
    outgoing.writeHead(out.status, out.headers);
    outgoing.end(head || body === null ? undefined : body);
    return undefined;
  }
  outgoing.writeHead(out.status, out.headers);
  if (head) {
    outgoing.end();
    return undefined;
  }
  return pipeline(Readable.from(body), outgoing).catch(() => {
    outgoing.destroy();
  });
}
