// Scroll and point-in-time: opening seals the upstream cursor; every follow-up
// opens the seal first (failing closed before any dispatch) and is sent to the
// cluster the cursor was made on, with pages reshaped like any search.
import {
  type IndexName,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  type PartitionId,
} from '@flusso/core';
import type { UpstreamResponse } from '@flusso/sinks';
import { contextKey } from '../cursor/search-contexts.js';
import { encodeNode, readObjectBody } from '../json/body.js';
import { jString, withMember } from '../json/build.js';
import { isObject, member } from '../json/node.js';
import { toPlain } from '../json/plain.js';
import { type RequestContext, segment } from '../pipeline/context.js';
import { jsonObjectBody, jsonResponse, nodeResponse } from '../request/json-body.js';
import { ProxyError } from '../request/proxy-error.js';
import type { ProxyResponse } from '../request/proxy-request.js';
import { isSuccess, upstreamErrorReply, upstreamJson, upstreamNode } from '../shape/upstream-reply.js';
import { encodeJson } from './encode.js';
import { groupBy } from './positioned.js';
import { shapeSearch } from './search.js';
import { pitAnswered, scrollPage } from './search-contexts.js';

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
  // OpenSearch requires it; the proxy also needs it to know when the PIT expires.
  const keepAliveMs = ctx.contexts.keepAlive('keep_alive', keepAlive);
  const release = ctx.contexts.reserve(partition);
  let response: UpstreamResponse;
  try {
    response = await ctx.deps.upstream.search(
      ctx.op(
        ctx.target(view.placement.cluster, view.physical),
        'POST',
        `/${segment(view.physical)}/_search/point_in_time`,
        { query: { keep_alive: keepAlive as string, ...view.routing } },
        { kind: 'search', action: 'pit_open' },
      ),
    );
  } finally {
    release();
  }
  if (!isSuccess(response.status)) return upstreamErrorReply(response, view);
  const node = upstreamNode(response);
  pitAnswered(ctx, node, partition, view.placement.cluster, keepAliveMs);
  return nodeResponse(response.status, shapeSearch(ctx, node, view, partition));
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
  const keepAliveMs = keep === undefined ? undefined : ctx.contexts.keepAlive('scroll', keep);
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
  if (!isSuccess(response.status)) {
    // The cluster no longer has it (expired, cleared): nor does the tenant's count.
    if (response.status === 404) ctx.contexts.release(partition, contextKey(opened.cluster, opened.cursor));
    return upstreamErrorReply(response, view);
  }
  const node = upstreamNode(response);
  await scrollPage(ctx, node, partition, opened.cluster, keepAliveMs, opened.cursor);
  return nodeResponse(response.status, shapeSearch(ctx, node, view, partition, opened.cluster));
}

async function pitSearch(ctx: RequestContext, partition: PartitionId): Promise<ProxyResponse> {
  const body = readObjectBody(ctx.request.body)?.node;
  const pit = member(body, 'pit');
  if (body === undefined || !isObject(pit))
    throw new ProxyError('unsupported_endpoint', 'a search without an index needs a pit');
  const sealed = member(pit, 'id');
  const opened = ctx.deps.sealer.open(partition, sealed === undefined ? undefined : toPlain(sealed));
  const { view } = ctx.view(partition, opened.logical);
  const keep = member(pit, 'keep_alive');
  const keepAliveMs = keep === undefined ? undefined : ctx.contexts.keepAlive('keep_alive', toPlain(keep));
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
  if (!isSuccess(response.status)) return upstreamErrorReply(response, view);
  const node = upstreamNode(response);
  pitAnswered(ctx, node, partition, opened.cluster, keepAliveMs, opened.cursor);
  return nodeResponse(response.status, shapeSearch(ctx, node, view, partition, opened.cluster));
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
    // A scroll the proxy ended at its last page is gone upstream: clearing it succeeds, as it would have.
    const endedByProxy =
      kind === 'scroll' &&
      response.status === 404 &&
      group.every((o) => ctx.contexts.ended(partition, contextKey(cluster, o.cursor.cursor)));
    const body = isSuccess(response.status)
      ? upstreamJson(response)
      : endedByProxy
        ? { succeeded: true }
        : {};
    // Cleared or closed (or already gone): no longer the tenant's to count.
    if (isSuccess(response.status) || response.status === 404)
      for (const o of group) ctx.contexts.release(partition, contextKey(cluster, o.cursor.cursor));
    succeeded &&= body.succeeded !== false && (isSuccess(response.status) || endedByProxy);
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
