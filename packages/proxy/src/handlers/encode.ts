// JSON and NDJSON request bodies for upstream calls.
import type { JsonValue } from '@flusso/core';

const encoder = new TextEncoder();

export function encodeJson(value: JsonValue): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

export function encodeNdjson(lines: readonly JsonValue[]): Uint8Array {
  return encoder.encode(`${lines.map((line) => JSON.stringify(line)).join('\n')}\n`);
}
