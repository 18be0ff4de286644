// Scroll and point-in-time: opening seals the upstream cursor; every follow-up
// opens the seal first (failing closed before any dispatch) and is sent to the
// cluster the cursor was made on, with pages reshaped like any search.
import {
  type ClusterId,
  type IndexName,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  type PartitionId,
} from '@flusso/core';
import type { UpstreamResponse } from '@flusso/sinks';
import { encodeNode, readObjectBody } from '../json/body.js';
import { jString, withMember } from '../json/build.js';
import { isObject, member } from '../json/node.js';
import { toPlain } from '../json/plain.js';
import { type RequestContext, segment } from '../pipeline/context.js';
import { jsonObjectBody, jsonResponse, nodeResponse } from '../request/json-body.js';
import { ProxyError } from '../request/proxy-error.js';
import type { ProxyResponse } from '../request/proxy-request.js';
import type { PartitionView } from '../rewrite/partition-view.js';
import { isSuccess, upstreamErrorReply, upstreamJson, upstreamNode } from '../shape/upstream-reply.js';
import { encodeJson } from './encode.js';
import { groupBy } from './positioned.js';
import { shapeSearch } from './search.js';

export type CursorAction = 'scroll' | 'scroll_clear' | 'pit_open' | 'pit_search' | 'pit_close';

/** Scroll and point-in-time requests (`/_search/scroll`, `/_search/point_in_time`, PIT searches). */
export interface CursorRoute {
  readonly kind: 'Cursor';
  readonly action: CursorAction;
  readonly index?: IndexName;
  /** A scroll id given in the path (`/_search/scroll/{id}`). */
  readonly pathCursor?: string;
}

function cursorList(value: JsonValue | undefined, fallback: string | undefined): string[] {
  const raw = value ?? fallback;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (list.length === 0 || list.some((id) => typeof id !== 'string' || id === '_all')) {
    throw new ProxyError('cursor_unresolvable', 'cursor ids must be sealed ids', {
      context: { rule: 'sealed_cursor' },
    });
  }
  return list as string[];
}

export async function cursor(ctx: RequestContext, route: CursorRoute): Promise<ProxyResponse> {
  const partition = ctx.partition();
  switch (route.action) {
    case 'pit_open':
      return openPit(ctx, route, partition);
    case 'scroll':
      return scroll(ctx, route, partition);
    case 'pit_search':
      return pitSearch(ctx, partition);
    case 'scroll_clear':
      return closeCursors(
        ctx,
        partition,
        'scroll',
        cursorList(jsonObjectBody(ctx.request.body)?.scroll_id, route.pathCursor),
      );
    case 'pit_close':
      return closeCursors(
        ctx,
        partition,
        'pit',
        cursorList(jsonObjectBody(ctx.request.body)?.pit_id, undefined),
      );
  }
}

async function openPit(
  ctx: RequestContext,
  route: CursorRoute,
  partition: PartitionId,
): Promise<ProxyResponse> {
  if (route.index === undefined) throw new ProxyError('unsupported_endpoint', 'a PIT names one index');
  ctx.deps.sealer.requireKey();
  const { view } = ctx.view(partition, route.index);
  const keepAlive = ctx.request.query.keep_alive;
  const response = await ctx.deps.upstream.search(
    ctx.op(
      ctx.target(view.placement.cluster, view.physical),
      'POST',
      `/${segment(view.physical)}/_search/point_in_time`,
      {
        query: { ...(keepAlive === undefined ? {} : { keep_alive: keepAlive }), ...view.routing },
      },
      { kind: 'search', action: 'pit_open' },
    ),
  );
  if (!isSuccess(response.status)) return upstreamErrorReply(response, view);
  return nodeResponse(response.status, shapeSearch(ctx, upstreamNode(response), view, partition));
}

async function scroll(
  ctx: RequestContext,
  route: CursorRoute,
  partition: PartitionId,
): Promise<ProxyResponse> {
  const body = jsonObjectBody(ctx.request.body) ?? {};
  const sealed = body.scroll_id ?? ctx.request.query.scroll_id ?? route.pathCursor;
  const opened = ctx.deps.sealer.open(partition, sealed);
  const { view } = ctx.view(partition, opened.logical);
  const keep = body.scroll ?? ctx.request.query.scroll;
  const response = await ctx.deps.upstream.cursor(
    ctx.op(
      ctx.target(opened.cluster),
      'POST',
      '/_search/scroll',
      {
        body: encodeJson({ scroll_id: opened.cursor, ...(keep === undefined ? {} : { scroll: keep }) }),
      },
      { kind: 'cursor', action: 'scroll' },
    ),
  );
  return cursorPage(ctx, response, view, partition, opened.cluster);
}

async function pitSearch(ctx: RequestContext, partition: PartitionId): Promise<ProxyResponse> {
  const body = readObjectBody(ctx.request.body)?.node;
  const pit = member(body, 'pit');
  if (body === undefined || !isObject(pit))
    throw new ProxyError('unsupported_endpoint', 'a search without an index needs a pit');
  const sealed = member(pit, 'id');
  const opened = ctx.deps.sealer.open(partition, sealed === undefined ? undefined : toPlain(sealed));
  const { view } = ctx.view(partition, opened.logical);
  const screened = view.screenSearch(body, 'search', ctx.deps.maxQueryDepth) ?? body;
  const wrapped = withMember(screened, 'pit', withMember(pit, 'id', jString(opened.cursor)));
  const response = await ctx.deps.upstream.cursor(
    ctx.op(
      ctx.target(opened.cluster),
      'POST',
      '/_search',
      { body: encodeNode(wrapped) },
      { kind: 'cursor', action: 'pit_search' },
    ),
  );
  return cursorPage(ctx, response, view, partition, opened.cluster);
}

/** A page read through a cursor, shaped like a search on the cursor's cluster. */
function cursorPage(
  ctx: RequestContext,
  response: UpstreamResponse,
  view: PartitionView,
  partition: PartitionId,
  cluster: ClusterId,
): ProxyResponse {
  if (!isSuccess(response.status)) return upstreamErrorReply(response, view);
  return nodeResponse(response.status, shapeSearch(ctx, upstreamNode(response), view, partition, cluster));
}

async function closeCursors(
  ctx: RequestContext,
  partition: PartitionId,
  kind: 'scroll' | 'pit',
  sealedIds: readonly string[],
): Promise<ProxyResponse> {
  const opened = sealedIds.map((sealed) => ({ sealed, cursor: ctx.deps.sealer.open(partition, sealed) }));
  const pits: JsonObject[] = [];
  let freed = 0;
  let succeeded = true;
  for (const [cluster, group] of groupBy(opened, (o) => o.cursor.cluster)) {
    const ids = group.map((o) => o.cursor.cursor);
    const response = await ctx.deps.upstream.cursor(
      ctx.op(
        ctx.target(cluster),
        'DELETE',
        kind === 'scroll' ? '/_search/scroll' : '/_search/point_in_time',
        {
          body: encodeJson(kind === 'scroll' ? { scroll_id: ids } : { pit_id: ids }),
        },
        { kind: 'cursor', action: kind === 'scroll' ? 'scroll_clear' : 'pit_close' },
      ),
    );
    const body = isSuccess(response.status) ? upstreamJson(response) : {};
    succeeded &&= body.succeeded !== false && isSuccess(response.status);
    freed += typeof body.num_freed === 'number' ? body.num_freed : 0;
    const closed = new Set(
      (Array.isArray(body.pits) ? body.pits : []).flatMap((p) =>
        isJsonObject(p) && p.successful === true && typeof p.pit_id === 'string' ? [p.pit_id] : [],
      ),
    );
    for (const o of group) pits.push({ pit_id: o.sealed, successful: closed.has(o.cursor.cursor) });
  }
  if (kind === 'pit') return jsonResponse(200, { pits });
  return jsonResponse(200, { succeeded, num_freed: freed });
}
