// `_search`, `_count` and `_delete_by_query` on one logical index: the client
// query wrapped in the partition filter, hits reshaped, cursors sealed.
import { type ClusterId, FlussoError, isJsonObject, type JsonObject, type PartitionId } from '@flusso/core';
import type { Route } from '../classify/route.js';
import { type RequestContext, segment } from '../pipeline/context.js';
import { jsonObjectBody, jsonResponse } from '../request/json-body.js';
import type { ProxyResponse } from '../request/proxy-request.js';
import type { PartitionView } from '../rewrite/partition-view.js';
import { forwardedParams } from '../rewrite/url-params.js';
import { withUrlSearchParams } from '../rewrite/url-search.js';
import { shapeSearchResponse } from '../shape/shape-hits.js';
import { isSuccess, upstreamErrorReply, upstreamJson } from '../shape/upstream-reply.js';
import { encodeJson } from './encode.js';

type QueryRoute = Extract<Route, { kind: 'Search' | 'Count' | 'DeleteByQuery' }>;

const ENDPOINT = { Search: '_search', Count: '_count', DeleteByQuery: '_delete_by_query' } as const;
const ACTION = { Search: 'search', Count: 'count', DeleteByQuery: 'delete_by_query' } as const;

/** `_count` and `_delete_by_query` take a query (and a few scalars), not a full search body. */
function queryOnly(body: JsonObject | null, keep: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const key of ['query', ...keep]) if (body?.[key] !== undefined) out[key] = body[key] ?? null;
  return out;
}

/** The client's view of a search response, with its scroll id and PIT id sealed. */
export function shapeSearch(
  ctx: RequestContext,
  body: JsonObject,
  view: PartitionView,
  partition: PartitionId,
  // Follow-ups stay on the cluster that made the cursor, even after a placement move.
  cluster: ClusterId = view.placement.cluster,
): JsonObject {
  const count = { dropped: 0 };
  const shaped = shapeSearchResponse(body, view, count);
  ctx.explain.droppedHits = (ctx.explain.droppedHits ?? 0) + count.dropped;
  if (typeof shaped._scroll_id === 'string') {
    shaped._scroll_id = ctx.deps.sealer.seal(partition, {
      cluster,
      logical: view.logical,
      cursor: shaped._scroll_id,
    });
  }
  if (typeof shaped.pit_id === 'string') {
    shaped.pit_id = ctx.deps.sealer.seal(partition, {
      cluster,
      logical: view.logical,
      cursor: shaped.pit_id,
    });
  }
  return shaped;
}

export async function queryIndex(ctx: RequestContext, route: QueryRoute): Promise<ProxyResponse> {
  const partition = ctx.partition();
  const { view } = ctx.view(partition, route.index);
  const clientBody = withUrlSearchParams(
    ctx.request.query,
    jsonObjectBody(ctx.request.body),
    route.kind === 'Search',
  );
  // OpenSearch refuses a delete-by-query without a query; wrapped, it would delete all the tenant has.
  if (route.kind === 'DeleteByQuery' && clientBody?.query === undefined) {
    throw new FlussoError('malformed_request', 'a delete-by-query needs a query in the body', {
      context: { rule: 'query_required' },
    });
  }
  // Opening a scroll issues a cursor: refuse before dispatch when none can be sealed.
  if (route.kind === 'Search' && ctx.request.query.scroll !== undefined) ctx.deps.sealer.requireKey();
  const shaped =
    route.kind === 'Search'
      ? clientBody
      : queryOnly(clientBody, route.kind === 'Count' ? ['terminate_after'] : ['max_docs']);
  const wrapped = view.wrapSearch(shaped) ?? shaped ?? {};
  if (isJsonObject(wrapped.pit)) {
    // A PIT search names no index; `/{index}/_search` with a `pit` is refused as OpenSearch does.
    throw new FlussoError('malformed_request', 'a point-in-time search must not name an index', {
      context: { construct: 'pit' },
    });
  }
  const response = await ctx.deps.upstream.search({
    ...ctx.op(
      ctx.target(view.placement.cluster, view.physical),
      'POST',
      `/${segment(view.physical)}/${ENDPOINT[route.kind]}`,
      {
        query: forwardedParams(ctx.request.query, view.routing),
        body: encodeJson(wrapped),
      },
    ),
    kind: 'search',
    action: ACTION[route.kind],
  });
  if (!isSuccess(response.status)) return upstreamErrorReply(response, view);
  return jsonResponse(response.status, shapeSearch(ctx, upstreamJson(response), view, partition));
}
