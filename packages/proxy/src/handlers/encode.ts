// JSON bodies the proxy builds itself (mget docs, cursor ids): no client numbers in them.
import type { JsonValue } from '@flusso/core';

const encoder = new TextEncoder();

export function encodeJson(value: JsonValue): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}
