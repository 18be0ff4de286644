// Classifies method + path (+ query) into an endpoint kind. Traversal is refused
// first; a path naming no single valid logical index is Unknown.
import { type IndexName, isFlussoError, parseIndexName } from '@flusso/core';
import { claimsPassthrough } from './passthrough-target.js';
import { pathSegments } from './path-segments.js';
import type { Route } from './route.js';

export interface ClassifyOptions {
  /** Admin allow-list prefixes, e.g. `/_cat/`. */
  readonly adminPrefixes: readonly string[];
  /** Legacy index prefixes forwarded verbatim (to operator principals, checked by `checkPassthrough`). */
  readonly passthroughPrefixes: readonly string[];
}

const UNKNOWN: Route = { kind: 'Unknown' };

function logicalIndex(segment: string): IndexName | undefined {
  try {
    return parseIndexName(segment);
  } catch (error) {
    if (isFlussoError(error, 'invalid_name')) return undefined;
    throw error;
  }
}

function isAdmin(segments: readonly string[], prefixes: readonly string[]): boolean {
  const normalized = `/${segments.join('/')}/`;
  return prefixes.some((prefix) => normalized.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`));
}

function cursorRoute(method: string, rest: readonly string[]): Route {
  if (rest.length === 0)
    return method === 'GET' || method === 'POST' ? { kind: 'Cursor', action: 'pit_search' } : UNKNOWN;
  if (rest[0] === 'scroll' && rest.length <= 2) {
    const pathCursor = rest[1];
    const base = pathCursor === undefined ? {} : { pathCursor };
    if (method === 'DELETE') return { kind: 'Cursor', action: 'scroll_clear', ...base };
    if (method === 'GET' || method === 'POST') return { kind: 'Cursor', action: 'scroll', ...base };
  }
  if (rest[0] === 'point_in_time' && rest.length === 1 && method === 'DELETE') {
    return { kind: 'Cursor', action: 'pit_close' };
  }
  return UNKNOWN;
}

function indexlessRoute(method: string, segments: readonly string[]): Route {
  const [head, ...rest] = segments;
  const readish = method === 'GET' || method === 'POST';
  if (head === '_search') return cursorRoute(method, rest);
  if (rest.length > 0) return UNKNOWN;
  if (head === '_bulk' && (method === 'POST' || method === 'PUT')) return { kind: 'IngestBulk' };
  if (head === '_mget' && readish) return { kind: 'MultiGet' };
  if (head === '_msearch' && readish) return { kind: 'MultiSearch' };
  return UNKNOWN;
}

function docRoute(method: string, index: IndexName, id: string | undefined, create: boolean): Route {
  if (id === undefined) return method === 'POST' ? { kind: 'IngestDoc', index, create: false } : UNKNOWN;
  if (method === 'PUT' || method === 'POST') return { kind: 'IngestDoc', index, id, create };
  if (method === 'GET' || method === 'HEAD') return { kind: 'GetById', index, id, head: method === 'HEAD' };
  if (method === 'DELETE') return { kind: 'DeleteById', index, id };
  return UNKNOWN;
}

function indexRoute(
  method: string,
  index: IndexName,
  rest: readonly string[],
  query: Readonly<Record<string, string>>,
): Route {
  const [endpoint, id, extra] = rest;
  if (extra !== undefined) return UNKNOWN;
  const readish = method === 'GET' || method === 'POST';
  switch (endpoint) {
    case '_doc':
      return docRoute(method, index, id, query.op_type === 'create');
    case '_create':
      return id !== undefined && (method === 'PUT' || method === 'POST')
        ? { kind: 'IngestDoc', index, id, create: true }
        : UNKNOWN;
    case '_update':
      return id !== undefined && method === 'POST' ? { kind: 'UpdateById', index, id } : UNKNOWN;
    case '_search':
      if (id === 'point_in_time' && method === 'POST') return { kind: 'Cursor', action: 'pit_open', index };
      return id === undefined && readish ? { kind: 'Search', index } : UNKNOWN;
    case '_count':
      return id === undefined && readish ? { kind: 'Count', index } : UNKNOWN;
    case '_delete_by_query':
      return id === undefined && method === 'POST' ? { kind: 'DeleteByQuery', index } : UNKNOWN;
    case '_bulk':
      return id === undefined && (method === 'POST' || method === 'PUT')
        ? { kind: 'IngestBulk', index }
        : UNKNOWN;
    case '_mget':
      return id === undefined && readish ? { kind: 'MultiGet', index } : UNKNOWN;
    case '_msearch':
      return id === undefined && readish ? { kind: 'MultiSearch', index } : UNKNOWN;
    default:
      return UNKNOWN;
  }
}

/** Classify a request; throws `malformed_request` for a traversal path. */
export function classify(
  request: {
    readonly method: string;
    readonly path: string;
    readonly query: Readonly<Record<string, string>>;
  },
  options: ClassifyOptions,
): Route {
  const segments = pathSegments(request.path);
  const method = request.method.toUpperCase();
  if (isAdmin(segments, options.adminPrefixes)) return { kind: 'Admin' };
  const [head, ...rest] = segments;
  if (head === undefined) return UNKNOWN;
  if (claimsPassthrough(head, options.passthroughPrefixes)) return { kind: 'Passthrough', segments };
  if (head.startsWith('_')) return indexlessRoute(method, segments);
  const index = logicalIndex(head);
  if (index === undefined || rest.length === 0) return UNKNOWN;
  return indexRoute(method, index, rest, request.query);
}
