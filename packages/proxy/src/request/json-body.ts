// Decoding and encoding of request and response bodies (JSON and NDJSON).
import { type ErrorContext, isJsonObject, type JsonObject, type JsonValue } from '@flusso/core';
import { utf8Text } from '../json/body.js';
import { emit } from '../json/emit.js';
import type { JNode } from '../json/node.js';
import { parseLossless } from '../json/parse.js';
import { toPlain } from '../json/plain.js';
import { ProxyError } from './proxy-error.js';
import type { ProxyResponse } from './proxy-request.js';
import { type AnswerableError, answerError, requestStatus } from './request-status.js';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export function bodyText(body: Uint8Array | string | null): string {
  if (body === null) return '';
  return utf8Text(body);
}

function malformed(what: string): never {
  throw new ProxyError('malformed_request', `request body is not ${what}`, { context: { expected: what } });
}

/** Parse text as JSON (duplicate keys refused, nesting capped); throws `malformed_request` (shape-only). */
export function parseJson(text: string): JsonValue {
  return toPlain(parseLossless(text));
}

/** The body as a JSON object; an empty body is `null`. */
export function jsonObjectBody(body: Uint8Array | string | null): JsonObject | null {
  const text = bodyText(body);
  if (text.trim() === '') return null;
  const value = parseJson(text);
  if (!isJsonObject(value)) malformed('a JSON object');
  return value;
}

export function decodeJsonResponse(body: Uint8Array): JsonValue | undefined {
  try {
    return JSON.parse(decoder.decode(body)) as JsonValue;
  } catch {
    return undefined;
  }
}

export function jsonResponse(
  status: number,
  value: JsonValue,
  headers: Record<string, string> = {},
): ProxyResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: encoder.encode(JSON.stringify(value)),
  };
}

/** A JSON response emitted losslessly from `node`. */
export function nodeResponse(status: number, node: JNode): ProxyResponse {
  return jsonTextResponse(status, emit(node));
}

/** Bytes from Node's pooled allocation (a fresh ArrayBuffer per small body costs more than its copy). */
export function pooledBytes(length: number): Uint8Array {
  return Buffer.allocUnsafe(length);
}

/** A reply whose JSON text is already written. */
export function jsonTextResponse(status: number, text: string): ProxyResponse {
  // Buffer.from: UTF-8 straight into Node's pooled allocation (cheaper than TextEncoder for replies).
  return { status, headers: { 'content-type': 'application/json' }, body: Buffer.from(text, 'utf8') };
}

/** A reply whose JSON bytes are already written. */
export function jsonBytesResponse(status: number, body: Uint8Array): ProxyResponse {
  return { status, headers: { 'content-type': 'application/json' }, body };
}

/** Header carrying a refusal's reason: the body keeps the contract's shape, a person still learns why. */
export const REASON_HEADER = 'x-osproxy-reason';

/**
 * `retry-after` (seconds) for a refusal the client should retry later: 1 for an
 * overloaded proxy, the search-context cap's own estimate (search-contexts.ts) for
 * `too_many_search_contexts`.
 */
function retryAfter(error: { readonly code: string; readonly context: ErrorContext }): string | undefined {
  if (error.code === 'overloaded') return '1';
  if (error.code !== 'too_many_search_contexts') return undefined;
  const seconds = error.context.retryAfterSeconds;
  return typeof seconds === 'number' && Number.isSafeInteger(seconds) && seconds > 0 ? String(seconds) : '1';
}

/** The error body every refusal uses: `{"error": code, "retryable": bool}`, the reason in a header. */
export function errorResponse(failure: AnswerableError): ProxyResponse {
  const error = answerError(failure);
  // Messages are fixed, shape-only sentences; keep the header printable and short anyway.
  const reason = error.message.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
  const headers: Record<string, string> = { [REASON_HEADER]: reason };
  const retry = retryAfter(error);
  if (retry !== undefined) headers['retry-after'] = retry;
  return jsonResponse(requestStatus(error.code), { error: error.code, retryable: error.retryable }, headers);
}
