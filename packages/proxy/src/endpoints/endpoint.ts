// The shape of one row of the endpoint table: where requests of a kind come
// from (path patterns or a configured prefix list), the handler that serves
// them, and the flags the gates read.
import type { IndexName } from '@flusso/core';
import type { RequestContext } from '../pipeline/context.js';
import type { ProxyMethod, ProxyResponse } from '../request/proxy-request.js';

/** Serves one classified request. */
export type Handler<R> = (ctx: RequestContext, route: R) => Promise<ProxyResponse>;

/** The placeholders of a path pattern: `{index}` is a valid logical index, the rest raw segments. */
export type PathParams<P extends string> = P extends `${string}{${infer N}}${infer Rest}`
  ? { readonly [K in N]: K extends 'index' ? IndexName : string } & PathParams<Rest>
  : unknown;

/** What a matched request offers a route builder besides its placeholders. */
export interface RouteRequest {
  /** Upper-case. */
  readonly method: string;
  readonly query: Readonly<Record<string, string>>;
}

/** Method + path pattern, e.g. `PUT|POST /{index}/_doc/{id}`. */
export interface PathRoute<R> {
  readonly methods: readonly ProxyMethod[];
  /** Literal segments and `{name}` placeholders; `{index}` never matches a `_`-prefixed segment. */
  readonly path: string;
  readonly build: (params: Readonly<Record<string, string>>, request: RouteRequest) => R;
}

/** Requests claimed by a configured prefix list (`adminPrefixes`, `passthroughPrefixes`). */
export interface PrefixRoute<R> {
  readonly prefixes: 'admin' | 'passthrough';
  readonly build: (segments: readonly string[]) => R;
}

export type EndpointRoute<R> = PathRoute<R> | PrefixRoute<R>;

/** One endpoint: its routes, its handler and what the gates need to know. */
export interface Endpoint<R extends { readonly kind: string }> {
  readonly routes: readonly EndpointRoute<R>[];
  readonly handle: Handler<R>;
  /** Changes tenant data: refused over cleartext unless the operator opted in (TLS gate). */
  readonly mutates: boolean;
  /** Touches tenant documents: held until the shared index is checked (readiness gate). */
  readonly tenancy: boolean;
  /** May be queued (`X-Write-Mode: async`); a mutating row without it refuses an async request. */
  readonly asyncWrites: boolean;
}

/** The route builders a row declares its routes with. */
export interface RouteBuilders<R> {
  /** A method + path pattern; `build` receives the typed placeholders. */
  path<const P extends string>(
    methods: readonly ProxyMethod[],
    path: P,
    build: (params: PathParams<P>, request: RouteRequest) => R,
  ): PathRoute<R>;
  /** Every path claimed by a configured prefix list. */
  prefixed(prefixes: PrefixRoute<R>['prefixes'], build: (segments: readonly string[]) => R): PrefixRoute<R>;
}

export interface EndpointRow<R extends { readonly kind: string }> extends Omit<Endpoint<R>, 'routes'> {
  readonly routes: (on: RouteBuilders<R>) => readonly EndpointRoute<R>[];
}

function builders<R>(): RouteBuilders<R> {
  return {
    path: (methods, path, build) => ({
      methods,
      path,
      // The matcher fills every placeholder of `path` and checks `{index}` (see classify).
      build: (params, request) => build(params as PathParams<typeof path>, request),
    }),
    prefixed: (prefixes, build) => ({ prefixes, build }),
  };
}

/** A table row; its route type is the handler's, so every route builds what the handler takes. */
export function endpoint<R extends { readonly kind: string }>(row: EndpointRow<R>): Endpoint<R> {
  return { ...row, routes: row.routes(builders<R>()) };
}

/** The route type of a row. */
export type RouteOf<E> = E extends Endpoint<infer R> ? R : never;
