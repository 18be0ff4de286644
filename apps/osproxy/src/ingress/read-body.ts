// Reads a request body up to a cap: a declared or actual size past the cap is
// `payload_too_large` before the rest is read into memory.
import { FlussoError } from '@flusso/core';

function tooLarge(limit: number): never {
  throw new FlussoError('payload_too_large', 'request body exceeds the configured limit', {
    context: { limit },
  });
}

export async function readBody(body: AsyncIterable<Uint8Array> | null, limit: number): Promise<Uint8Array> {
  if (body === null) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) tooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

export function checkDeclaredLength(header: string | undefined, limit: number): number {
  const declared = header === undefined ? 0 : Number(header);
  if (Number.isFinite(declared) && declared > limit) tooLarge(limit);
  return Number.isFinite(declared) ? declared : 0;
}
