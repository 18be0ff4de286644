// Passthrough policy: who may reach the operator-listed legacy indexes and what
// a request may name there. Checked before the (verbatim, streamed) forward, on
// the whole body: every index a path, a bulk/mget/msearch line or any body
// `_index` (or lookup `index`) names must be inside the passthrough set.
import { isJsonObject, type JsonObject, type JsonValue, type Principal } from '@flusso/core';
import { checkPassthroughIndex, checkPassthroughPath } from '../classify/passthrough-target.js';
import { readNdjsonObjects } from '../json/body.js';
import { toPlain } from '../json/plain.js';
import { parseJson } from '../request/json-body.js';
import { ProxyError } from '../request/proxy-error.js';

export interface PassthroughPolicy {
  /** Listed index prefixes. */
  readonly prefixes: readonly string[];
  /** Operator principals allowed to use passthrough; empty = every operator principal. */
  readonly principals: readonly string[];
}

/** A path whose first segment claims a configured passthrough prefix. */
export interface PassthroughRoute {
  readonly kind: 'Passthrough';
  /** Decoded path segments; the first claims a passthrough index (not yet checked). */
  readonly segments: readonly string[];
}

export interface PassthroughRequest {
  /** Absent in open dev mode (no tokens configured). */
  readonly principal?: Principal;
  /** Decoded path segments of a `Passthrough` route. */
  readonly segments: readonly string[];
  readonly contentType?: string;
  /** The whole (decoded) body; empty when there is none. */
  readonly body: Uint8Array;
}

// Bodies that are documents: a field is data there, never an index reference.
const DOCUMENT_ENDPOINTS = new Set(['_doc', '_create', '_update', '_source']);

function checkPrincipal(principal: Principal | undefined, policy: PassthroughPolicy): void {
  if (principal === undefined) return;
  const operator = principal.tenant === undefined;
  if (operator && (policy.principals.length === 0 || policy.principals.includes(principal.id))) return;
  throw new ProxyError('unauthorized', 'passthrough is for operator principals', {
    context: { rule: 'passthrough_principal' },
  });
}

/** Every `_index`, and the `index` of a lookup (`{index, id}`), anywhere in `value`. */
function checkReferences(value: JsonValue, prefixes: readonly string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) checkReferences(item, prefixes);
    return;
  }
  if (!isJsonObject(value)) return;
  if ('_index' in value) checkPassthroughIndex(value._index, prefixes);
  if ('index' in value && 'id' in value) checkPassthroughIndex(value.index, prefixes);
  for (const child of Object.values(value)) checkReferences(child, prefixes);
}

function checkBulk(body: Uint8Array, prefixes: readonly string[]): void {
  const lines = readNdjsonObjects(body).map((line) => toPlain(line) as JsonObject);
  for (let i = 0; i < lines.length; i++) {
    const action = lines[i] ?? {};
    const [op, meta] = Object.entries(action)[0] ?? [];
    if (isJsonObject(meta) && '_index' in meta) checkPassthroughIndex(meta._index, prefixes);
    if (op !== 'delete') i += 1;
  }
}

function checkMsearch(body: Uint8Array, prefixes: readonly string[]): void {
  const lines = readNdjsonObjects(body).map((line) => toPlain(line) as JsonObject);
  for (let i = 0; i < lines.length; i += 2) {
    const header = lines[i] ?? {};
    const named = header.index;
    for (const index of Array.isArray(named) ? named : named === undefined ? [] : [named]) {
      checkPassthroughIndex(index, prefixes);
    }
    const search = lines[i + 1];
    if (search !== undefined) checkReferences(search, prefixes);
  }
}

/** Aliases an index create, clone, split, shrink or rollover body would add: inside the set too. */
function checkAliases(value: JsonValue, prefixes: readonly string[]): void {
  if (!isJsonObject(value) || !isJsonObject(value.aliases)) return;
  for (const alias of Object.keys(value.aliases)) checkPassthroughIndex(alias, prefixes);
}

function checkContentType(contentType: string | undefined): void {
  if (contentType === undefined || /json/i.test(contentType)) return;
  throw new ProxyError('unsupported_media_type', 'passthrough bodies are JSON or NDJSON', {
    context: { rule: 'passthrough_content_type' },
  });
}

/** Throws `unauthorized` (403) unless the request stays inside the passthrough set. */
export function checkPassthrough(request: PassthroughRequest, policy: PassthroughPolicy): void {
  checkPrincipal(request.principal, policy);
  const { segments, body } = request;
  const { prefixes } = policy;
  checkPassthroughPath(segments, prefixes);
  if (body.length === 0) return;
  checkContentType(request.contentType);
  const endpoint = segments[1];
  if (endpoint === '_bulk') {
    checkBulk(body, prefixes);
  } else if (endpoint === '_msearch') {
    checkMsearch(body, prefixes);
  } else {
    const value = parseJson(new TextDecoder().decode(body));
    if (endpoint === undefined || !DOCUMENT_ENDPOINTS.has(endpoint)) {
      checkReferences(value, prefixes);
      checkAliases(value, prefixes);
    }
  }
}
