// Request framing: an int32 size then the request (header v1: api key, version,
// correlation id, client id). Responses: size, correlation id, body.
import { ProtocolError } from '../errors.js';
import type { RequestHeader } from '../handlers/context.js';
import { type Reader, Writer } from './primitives.js';

/** Kafka's default socket.request.max.bytes. */
export const MAX_FRAME_BYTES = 100 * 1024 * 1024;
const MIN_HEADER_BYTES = 2 + 2 + 4 + 2;

/** Cuts a byte stream into request frames; throws ProtocolError on an impossible size. */
export class FrameSplitter {
  #pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const frames: Buffer[] = [];
    while (this.#pending.length >= 4) {
      const size = this.#pending.readInt32BE(0);
      if (size < MIN_HEADER_BYTES || size > MAX_FRAME_BYTES)
        throw new ProtocolError(`bad frame size ${size}`);
      if (this.#pending.length < 4 + size) break;
      frames.push(this.#pending.subarray(4, 4 + size));
      this.#pending = this.#pending.subarray(4 + size);
    }
    return frames;
  }
}

export function readRequestHeader(r: Reader): RequestHeader {
  return { apiKey: r.int16(), apiVersion: r.int16(), correlationId: r.int32(), clientId: r.nullableString() };
}

export function responseFrame(correlationId: number, body: Buffer): Buffer {
  return new Writer()
    .int32(4 + body.length)
    .int32(correlationId)
    .raw(body)
    .toBuffer();
}
