// Per-request state shared by the handlers: dependencies, the explain draft,
// partition and placement resolution, and the common fields of upstream ops.
import {
  type ClusterId,
  childSpan,
  type IndexName,
  type JsonObject,
  type PartitionId,
  type Placement,
  type PlacementState,
  type Principal,
  type Target,
  type TenancySpi,
  type UpstreamEndpoint,
} from '@flusso/core';
import type { Upstream, UpstreamMethod, UpstreamOpBase, WriteQueue } from '@flusso/sinks';
import type { CursorSealer } from '../cursor/cursor-seal.js';
import type { SearchContexts } from '../cursor/search-contexts.js';
import type { JObject } from '../json/node.js';
import { shallowPlain } from '../json/plain.js';
import { ReservedNames } from '../placement/reserved-names.js';
import { ProxyError } from '../request/proxy-error.js';
import type { ProxyRequest } from '../request/proxy-request.js';
import type { DocIdCodec } from '../rewrite/doc-id.js';
import { PartitionView } from '../rewrite/partition-view.js';
import type { ExplainDraft } from './explain.js';
import { forwardHeaders, tenancyHeaders } from './forward-headers.js';

export interface PipelineDeps {
  readonly tenancy: TenancySpi;
  readonly upstream: Upstream;
  readonly ids: DocIdCodec;
  readonly sealer: CursorSealer;
  readonly endpoints: ReadonlyMap<ClusterId, UpstreamEndpoint>;
  readonly newId: () => string;
  /** Client headers relayed upstream (see `headerAllowlist`). */
  readonly headerAllow: ReadonlySet<string>;
  /** Where `X-Write-Mode: async` writes go; absent = async writes answer 422. */
  readonly queue?: WriteQueue;
  /** Treat single-document writes as async unless the request says `X-Write-Mode: sync`. */
  readonly asyncDefault?: boolean;
  /** Where admin allow-list requests go; absent = admin endpoints unsupported. */
  readonly adminCluster?: ClusterId;
  /** Deepest nesting of query clauses and aggregation levels a search body may have (default 64). */
  readonly maxQueryDepth?: number;
  /** Open scrolls and PITs per tenant, and their longest keep-alive (the pipeline makes one by default). */
  readonly contexts?: SearchContexts;
}

/** A tenancy that knows every placement's names (`ReferenceTenancy` over its table). */
interface KnowsReservedNames {
  readonly reservedNames?: ReservedNames;
}

// A tenancy that cannot say which names its other placements hold still gets the fixed ones (hidden indexes).
const FIXED_ONLY = new ReservedNames([]);

/** The names an unfiltered view of `tenancy` must not use. */
export function reservedNamesOf(tenancy: TenancySpi): ReservedNames {
  return (tenancy as KnowsReservedNames).reservedNames ?? FIXED_ONLY;
}

export interface ResolvedView {
  readonly view: PartitionView;
  readonly state: PlacementState;
}

/**
 * Views already built, by partition and logical index: a view is pure of its
 * placement, so one is reused while the partition's placement is the same object
 * (a move or an epoch change hands out a new one). Bounded: cleared when full.
 */
export class ViewCache {
  readonly #views = new Map<string, { view: PartitionView; names: ReservedNames }>();

  /**
   * The view, checked against `names` (what other placements and the deployment
   * reserve): an unfiltered view onto one of them throws `placement_missing`.
   */
  get(
    partition: PartitionId,
    placement: Placement,
    logical: IndexName,
    ids: DocIdCodec,
    names: ReservedNames = FIXED_ONLY,
  ): PartitionView {
    const key = `${partition}\u0000${logical}`;
    const cached = this.#views.get(key);
    if (cached !== undefined && cached.view.placement === placement && cached.names === names)
      return cached.view;
    const view = new PartitionView({ partition, placement, logical, ids });
    // Another partition's placement may have changed since: checked again whenever the names do.
    names.check(placement, view.physical, partition);
    if (this.#views.size >= 10_000) this.#views.clear();
    this.#views.set(key, { view, names });
    return view;
  }
}

export class RequestContext {
  readonly deps: PipelineDeps;
  readonly request: ProxyRequest;
  readonly explain: ExplainDraft;
  readonly #views: ViewCache;

  constructor(deps: PipelineDeps, request: ProxyRequest, explain: ExplainDraft, views = new ViewCache()) {
    this.deps = deps;
    this.request = request;
    this.explain = explain;
    this.#views = views;
  }

  /** The request's partition; `document` is the client document when there is one. */
  partition(document?: JsonObject | null): PartitionId {
    const { principal, headers } = this.request;
    // Members only for what is known, assigned onto one literal (no spreads a request).
    const request: {
      headers: Readonly<Record<string, string>>;
      principal?: Principal;
      document?: JsonObject;
    } = {
      headers,
    };
    if (principal !== undefined) request.principal = principal;
    if (document !== undefined && document !== null) request.document = document;
    const partition = this.deps.tenancy.resolvePartition(request);
    this.explain.partition = partition;
    return partition;
  }

  /**
   * The partition of a write whose documents may each name a tenant (`doc` and
   * `upsert`, a bulk source line): every claim must agree, else `tenant_mismatch`.
   */
  partitionOfAll(documents: readonly JObject[]): PartitionId {
    if (documents.length === 0) return this.partition();
    const first = this.partition(shallowPlain(documents[0] as JObject));
    for (let i = 1; i < documents.length; i++) {
      if (this.partition(shallowPlain(documents[i] as JObject)) !== first) {
        throw new ProxyError('tenant_mismatch', 'request names a tenant other than its own', {
          context: { documents: documents.length },
        });
      }
    }
    return first;
  }

  /** The single placement `partition` reads and writes use now, as a view of `logical`. */
  view(partition: PartitionId, logical: IndexName): ResolvedView {
    const state = this.deps.tenancy.placementOf(partition);
    const view = this.#views.get(
      partition,
      state.placement,
      logical,
      this.deps.ids,
      reservedNamesOf(this.deps.tenancy),
    );
    const explain = this.explain;
    explain.placementMode = state.placement.mode;
    explain.cluster = state.placement.cluster;
    explain.physicalIndex = view.physical;
    explain.epoch = state.epoch;
    explain.phase = state.phase;
    return { view, state };
  }

  /** The tenants' open search contexts (always set by the pipeline). */
  get contexts(): SearchContexts {
    return this.deps.contexts as SearchContexts;
  }

  target(cluster: ClusterId, index?: IndexName): Target {
    const endpoint = this.deps.endpoints.get(cluster);
    const target: { cluster: ClusterId; index?: IndexName; endpoint?: UpstreamEndpoint } = { cluster };
    if (index !== undefined) target.index = index;
    if (endpoint !== undefined) target.endpoint = endpoint;
    return target;
  }

  /**
   * An upstream op: the fields every op carries, then `kind`'s own (`extra`).
   * Counts the call in the explain record.
   */
  op<Extra extends object>(
    target: Target,
    method: UpstreamMethod,
    path: string,
    options: { query?: Record<string, string>; body?: Uint8Array | null },
    extra: Extra,
  ): UpstreamOpBase & Extra {
    this.explain.upstreamCalls += 1;
    const base: UpstreamOpBase = {
      target,
      method,
      path,
      query: options.query ?? {},
      body: options.body ?? null,
      // Admin forwards are relayed as sent; everything else the proxy reads and rewrites as JSON.
      headers:
        (extra as { kind?: unknown }).kind === 'forward'
          ? forwardHeaders(this.request.headers, this.deps.headerAllow)
          : tenancyHeaders(this.request.headers, this.deps.headerAllow),
      trace: childSpan(this.request.trace),
      requestId: this.request.requestId,
    };
    // Assigned onto the literal, never `{ ...base, ...extra }`: in optimised code V8
    // gives an object made by a spread and then extended a new hidden class each
    // time, and every read of an op's fields (upstream, headers) went megamorphic.
    return Object.assign(base, extra);
  }
}

/** Percent-encode one path segment (ids may hold `:` or `/`). */
export function segment(value: string): string {
  return encodeURIComponent(value);
}
