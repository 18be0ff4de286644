// Classifies method + path (+ query) by the endpoint table. Traversal is refused
// first; prefix routes (admin, then passthrough) are claimed next; then the
// first path pattern whose segments and method match. A path naming no single
// valid logical index where a pattern wants `{index}` is Unknown.
import { type IndexName, isFlussoError, parseIndexName } from '@flusso/core';
import type { EndpointRoute, PathRoute, PrefixRoute, RouteRequest } from '../endpoints/endpoint.js';
import type { Route } from '../endpoints/endpoint-kind.js';
import { endpoints } from '../endpoints/table.js';
import { claimsPassthrough } from './passthrough-target.js';
import { pathSegments } from './path-segments.js';

export interface ClassifyOptions {
  /** Admin allow-list prefixes, e.g. `/_cat/`. */
  readonly adminPrefixes: readonly string[];
  /** Legacy index prefixes forwarded verbatim (to operator principals, checked by `checkPassthrough`). */
  readonly passthroughPrefixes: readonly string[];
}

const UNKNOWN: Route = { kind: 'Unknown' };

function logicalIndex(segment: string): IndexName | undefined {
  if (segment.startsWith('_')) return undefined;
  try {
    return parseIndexName(segment);
  } catch (error) {
    if (isFlussoError(error, 'invalid_name')) return undefined;
    throw error;
  }
}

// Each options object's admin prefixes, each ending in `/`: made once, not per request.
const adminPrefixesOf = new WeakMap<readonly string[], readonly string[]>();

function isAdmin(segments: readonly string[], prefixes: readonly string[]): boolean {
  if (prefixes.length === 0) return false;
  let normalizedPrefixes = adminPrefixesOf.get(prefixes);
  if (normalizedPrefixes === undefined) {
    normalizedPrefixes = prefixes.map((prefix) => (prefix.endsWith('/') ? prefix : `${prefix}/`));
    adminPrefixesOf.set(prefixes, normalizedPrefixes);
  }
  const normalized = `/${segments.join('/')}/`;
  for (const prefix of normalizedPrefixes) if (normalized.startsWith(prefix)) return true;
  return false;
}

function claims(route: PrefixRoute<Route>, segments: readonly string[], options: ClassifyOptions): boolean {
  if (route.prefixes === 'admin') return isAdmin(segments, options.adminPrefixes);
  const [head] = segments;
  return head !== undefined && claimsPassthrough(head, options.passthroughPrefixes);
}

type Pattern = { readonly literal: string } | { readonly name: string };

function compile(path: string): Pattern[] {
  return path
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) =>
      segment.startsWith('{') && segment.endsWith('}')
        ? { name: segment.slice(1, -1) }
        : { literal: segment },
    );
}

const allRoutes: readonly EndpointRoute<Route>[] = Object.values(endpoints).flatMap(
  (row): readonly EndpointRoute<Route>[] => row.routes,
);
const prefixRoutes = allRoutes.filter((route): route is PrefixRoute<Route> => 'prefixes' in route);
const pathRoutes = allRoutes
  .filter((route): route is PathRoute<Route> => 'path' in route)
  .map((route) => ({ methods: new Set<string>(route.methods), pattern: compile(route.path), route }));
// The path routes by segment count, each list in table order: a path is only matched against
// patterns of its own length (what `match` checks first), the first match still winning.
const pathRoutesByLength: (typeof pathRoutes)[] = [];
for (const entry of pathRoutes) {
  const length = entry.pattern.length;
  const routes = pathRoutesByLength[length] ?? [];
  routes.push(entry);
  pathRoutesByLength[length] = routes;
}
const NO_ROUTES: typeof pathRoutes = [];

/** The placeholders of `pattern` in `segments`, or undefined when they do not match. */
function match(pattern: readonly Pattern[], segments: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  // Literals first: most patterns fail on one, before any index name is parsed.
  for (let i = 0; i < pattern.length; i++) {
    const part = pattern[i] as Pattern;
    if ('literal' in part && part.literal !== segments[i]) return undefined;
  }
  const params: Record<string, string> = {};
  for (const [i, part] of pattern.entries()) {
    const segment = segments[i] ?? '';
    if ('literal' in part) {
    } else if (part.name === 'index') {
      const index = logicalIndex(segment);
      if (index === undefined) return undefined;
      params.index = index;
    } else {
      params[part.name] = segment;
    }
  }
  return params;
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
  for (const route of prefixRoutes) if (claims(route, segments, options)) return route.build(segments);
  const routeRequest: RouteRequest = { method: request.method.toUpperCase(), query: request.query };
  for (const { methods, pattern, route } of pathRoutesByLength[segments.length] ?? NO_ROUTES) {
    if (!methods.has(routeRequest.method)) continue;
    const params = match(pattern, segments);
    if (params !== undefined) return route.build(params, routeRequest);
  }
  return UNKNOWN;
}
