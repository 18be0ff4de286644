// `_search`, `_count` and `_delete_by_query` on one logical index: the client
// body checked against the grammar, its query wrapped in the partition filter,
// hits reshaped, cursors sealed. An untouched body goes upstream byte for byte.
import type { ClusterId, IndexName, PartitionId } from '@flusso/core';
import type { UpstreamResponse } from '@flusso/sinks';
import type { BodyKind } from '../grammar/screen.js';
import { readObjectBody } from '../json/body.js';
import { jString, mapMembers } from '../json/build.js';
import { hasMember, isObject, type JObject, member } from '../json/node.js';
import { type RequestContext, segment } from '../pipeline/context.js';
import { jsonBytesResponse, nodeResponse, pooledBytes } from '../request/json-body.js';
import { ProxyError } from '../request/proxy-error.js';
import type { ProxyResponse } from '../request/proxy-request.js';
import type { PartitionView } from '../rewrite/partition-view.js';
import { forwardedParams } from '../rewrite/url-params.js';
import { countUrlParams, withUrlSearchParams } from '../rewrite/url-search.js';
import { shapeSearchResponse } from '../shape/shape-hits.js';
import { spliceSearchReply } from '../shape/splice-hits.js';
import { isSuccess, upstreamErrorReply, upstreamNode } from '../shape/upstream-reply.js';
import { scrollOpened } from './search-contexts.js';

/** `/{index}/_search`, `/{index}/_count` and `/{index}/_delete_by_query`. */
export interface QueryRoute {
  readonly kind: 'Search' | 'Count' | 'DeleteByQuery';
  readonly index: IndexName;
}

const ENDPOINT = { Search: '_search', Count: '_count', DeleteByQuery: '_delete_by_query' } as const;
const ACTION = { Search: 'search', Count: 'count', DeleteByQuery: 'delete_by_query' } as const;
const KIND: Readonly<Record<QueryRoute['kind'], BodyKind>> = {
  Search: 'search',
  Count: 'count',
  DeleteByQuery: 'delete_by_query',
};

/** The client's view of a search response, with its scroll id and PIT id sealed. */
export function shapeSearch(
  ctx: RequestContext,
  body: JObject,
  view: PartitionView,
  partition: PartitionId,
  // Follow-ups stay on the cluster that made the cursor, even after a placement move.
  cluster: ClusterId = view.placement.cluster,
): JObject {
  const count = { dropped: 0 };
  const shaped = shapeSearchResponse(body, view, count);
  ctx.explain.droppedHits = (ctx.explain.droppedHits ?? 0) + count.dropped;
  return mapMembers(shaped, (m) => {
    if ((m.key !== '_scroll_id' && m.key !== 'pit_id') || m.value.t !== 's') return m.value;
    return jString(
      ctx.deps.sealer.seal(partition, { cluster, logical: view.logical, cursor: m.value.value }),
    );
  });
}

/**
 * The client's reply to a search-family call: spliced from the upstream bytes
 * where the splicer is certain, else shaped on the lossless tree (same text).
 */
export function searchReply(
  ctx: RequestContext,
  response: UpstreamResponse,
  view: PartitionView,
  partition: PartitionId,
): ProxyResponse {
  const spliced = spliceSearchReply(response.body, view);
  if (spliced === undefined) {
    return nodeResponse(response.status, shapeSearch(ctx, upstreamNode(response), view, partition));
  }
  ctx.explain.droppedHits = (ctx.explain.droppedHits ?? 0) + spliced.dropped;
  return jsonBytesResponse(response.status, spliced.body);
}

export async function queryIndex(ctx: RequestContext, route: QueryRoute): Promise<ProxyResponse> {
  const partition = ctx.partition();
  const { view } = ctx.view(partition, route.index);
  const read = readObjectBody(ctx.request.body);
  // `_count`'s body holds its query only: its URL options stay URL parameters.
  const count = route.kind === 'Count' ? countUrlParams(ctx.request.query) : undefined;
  const clientBody = withUrlSearchParams(
    count?.rest ?? ctx.request.query,
    read?.node ?? null,
    route.kind === 'Search',
  );
  // OpenSearch refuses a delete-by-query without a query; wrapped, it would delete all the tenant has.
  if (route.kind === 'DeleteByQuery' && !hasMember(clientBody ?? undefined, 'query')) {
    throw new ProxyError('malformed_request', 'a delete-by-query needs a query in the body', {
      context: { rule: 'query_required' },
    });
  }
  // Opening a scroll issues a cursor: refuse before dispatch when none can be sealed,
  // when its keep-alive is too long, or when the tenant holds its share of contexts.
  const scroll = route.kind === 'Search' ? ctx.request.query.scroll : undefined;
  if (scroll !== undefined) ctx.deps.sealer.requireKey();
  const keepAliveMs = scroll === undefined ? undefined : ctx.contexts.keepAlive('scroll', scroll);
  // A delete-by-query's own scroll is the cluster's, cleared when it ends: only its length is capped.
  if (route.kind === 'DeleteByQuery' && ctx.request.query.scroll !== undefined)
    ctx.contexts.keepAlive('scroll', ctx.request.query.scroll);
  const screened = view.screenOnly(clientBody, KIND[route.kind], ctx.deps.maxQueryDepth);
  // The wrap keeps every top-level member but `query`: a `pit` is the screened body's.
  if (isObject(member(screened ?? undefined, 'pit'))) {
    // A PIT search names no index; `/{index}/_search` with a `pit` is refused as OpenSearch does.
    throw new ProxyError('malformed_request', 'a point-in-time search must not name an index', {
      context: { construct: 'pit' },
    });
  }
  const release = keepAliveMs === undefined ? undefined : ctx.contexts.reserve(partition);
  let response: UpstreamResponse;
  try {
    response = await ctx.deps.upstream.search(
      ctx.op(
        ctx.target(view.placement.cluster, view.physical),
        'POST',
        `/${segment(view.physical)}/${ENDPOINT[route.kind]}`,
        {
          query: forwardedParams(
            ctx.request.query,
            count === undefined ? view.routing : { ...count.forwarded, ...view.routing },
          ),
          body: view.searchBytes(screened, read, pooledBytes),
        },
        { kind: 'search', action: ACTION[route.kind] },
      ),
    );
  } finally {
    release?.();
  }
  if (!isSuccess(response.status)) return upstreamErrorReply(response, view);
  if (keepAliveMs === undefined) return searchReply(ctx, response, view, partition);
  const node = upstreamNode(response);
  await scrollOpened(ctx, node, partition, view.placement.cluster, keepAliveMs);
  return nodeResponse(response.status, shapeSearch(ctx, node, view, partition));
}
