// Turning an upstream reply into the client's: JSON decoded, errors rewritten to
// name only the logical index and id, and a body the proxy cannot read refused
// rather than relayed (it could carry physical names).
import { isJsonObject, type JsonObject, type JsonValue } from '@flusso/core';
import type { UpstreamResponse } from '@flusso/sinks';
import { isObject, type JNode, type JObject } from '../json/node.js';
import { parseLossless } from '../json/parse.js';
import { decodeJsonResponse, jsonResponse } from '../request/json-body.js';
import { ProxyError } from '../request/proxy-error.js';
import type { ProxyResponse } from '../request/proxy-request.js';
import type { PartitionView } from '../rewrite/partition-view.js';

const decoder = new TextDecoder();
// Replies hold documents the proxy let in (nested at most 1000 deep) a few levels down.
const REPLY_NESTING = 1100;

/** The upstream body as a lossless JSON object (numbers kept as written); a non-JSON body is `upstream_failed`. */
export function upstreamNode(response: UpstreamResponse, text?: string): JObject {
  let node: JNode | undefined;
  try {
    // What is inside a document's source is passed along as written: scanned, not built.
    node = parseLossless(text ?? upstreamText(response), { maxNesting: REPLY_NESTING, lazyUnder: '_source' });
  } catch {
    // reported below, shape-only
  }
  if (!isObject(node)) {
    throw new ProxyError('upstream_failed', 'upstream reply is not a JSON object', {
      context: { status: response.status, bytes: response.body.length },
    });
  }
  return node;
}

/** The upstream body as text (UTF-8 decoded as the lossless reader reads it). */
export function upstreamText(response: UpstreamResponse): string {
  return decoder.decode(response.body);
}

/** The upstream body as a JSON object; a non-JSON body is `upstream_failed`. */
export function upstreamJson(response: UpstreamResponse): JsonObject {
  const value = decodeJsonResponse(response.body);
  if (!isJsonObject(value)) {
    throw new ProxyError('upstream_failed', 'upstream reply is not a JSON object', {
      context: { status: response.status, bytes: response.body.length },
    });
  }
  return value;
}

/** Replaces physical names in an upstream message with the client's logical ones. */
export function logicalText(text: string, view: PartitionView): string {
  let out = text.replaceAll(view.physical, view.logical);
  const prefix = view.shared ? view.physicalId('') : undefined;
  if (prefix !== undefined && prefix !== '') out = out.replaceAll(prefix, '');
  for (const [field] of Object.entries(view.inject)) out = out.replaceAll(`[${field}]`, '[<injected>]');
  return out;
}

/** An OpenSearch error object (`{type, reason, ...}`) reduced to type and logical reason. */
export function logicalError(error: JsonValue | undefined, view: PartitionView): JsonObject {
  if (!isJsonObject(error)) return { type: 'exception', reason: 'upstream error' };
  const type = typeof error.type === 'string' ? error.type : 'exception';
  const reason = typeof error.reason === 'string' ? logicalText(error.reason, view) : type;
  return { type, reason };
}

/** A non-2xx upstream reply as the client sees it: OpenSearch's error shape, logical names only. */
export function upstreamErrorReply(response: UpstreamResponse, view: PartitionView): ProxyResponse {
  const body = decodeJsonResponse(response.body);
  const error = logicalError(isJsonObject(body) ? body.error : undefined, view);
  return jsonResponse(response.status, { error: { root_cause: [error], ...error }, status: response.status });
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}
