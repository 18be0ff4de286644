// What the cursor handlers tell the tenant's search-context budget (`SearchContexts`):
// a scroll or PIT opened, renewed under a new id, ended or closed. A scroll page
// with no hits is the scroll's end: the proxy clears it upstream and frees the slot,
// so reading a scroll to its end never leaves a context the cap no longer counts.
import type { ClusterId, PartitionId } from '@flusso/core';
import { contextKey } from '../cursor/search-contexts.js';
import { isArray, type JObject, member, stringOf } from '../json/node.js';
import type { RequestContext } from '../pipeline/context.js';
import { isSuccess } from '../shape/upstream-reply.js';
import { encodeJson } from './encode.js';

/** Whether an upstream search page holds no hits (the upstream's, before any is dropped). */
function noHits(page: JObject): boolean {
  const hits = member(member(page, 'hits'), 'hits');
  return !isArray(hits) || hits.items.length === 0;
}

/** Clears a scroll upstream; whether the cluster took it (its slot is freed only then). */
async function clearUpstream(ctx: RequestContext, cluster: ClusterId, cursor: string): Promise<boolean> {
  try {
    const response = await ctx.deps.upstream.cursor(
      ctx.op(
        ctx.target(cluster),
        'DELETE',
        '/_search/scroll',
        { body: encodeJson({ scroll_id: [cursor] }) },
        { kind: 'cursor', action: 'scroll_clear' },
      ),
    );
    return isSuccess(response.status) || response.status === 404;
  } catch {
    // Not freed: the slot stays counted until the keep-alive runs out.
    return false;
  }
}

/**
 * A scroll page was answered (`previous` = the upstream id it continued, none for
 * the opening page): track the scroll under its current id, or end it on an empty page.
 */
export async function scrollPage(
  ctx: RequestContext,
  page: JObject,
  partition: PartitionId,
  cluster: ClusterId,
  keepAliveMs: number | undefined,
  previous?: string,
): Promise<void> {
  const cursor = stringOf(member(page, '_scroll_id')) ?? previous;
  if (cursor === undefined) return;
  const key = contextKey(cluster, cursor);
  const before = previous === undefined ? undefined : contextKey(cluster, previous);
  if (noHits(page)) {
    if (await clearUpstream(ctx, cluster, cursor)) {
      if (before !== undefined && before !== key) ctx.contexts.release(partition, before);
      ctx.contexts.end(partition, key);
      return;
    }
  }
  ctx.contexts.track(partition, key, keepAliveMs, before);
}

/** The opening page of a scroll. */
export function scrollOpened(
  ctx: RequestContext,
  page: JObject,
  partition: PartitionId,
  cluster: ClusterId,
  keepAliveMs: number,
): Promise<void> {
  return scrollPage(ctx, page, partition, cluster, keepAliveMs);
}

/** A PIT opened or searched: tracked under the id the cluster answered (it may change). */
export function pitAnswered(
  ctx: RequestContext,
  reply: JObject,
  partition: PartitionId,
  cluster: ClusterId,
  keepAliveMs: number | undefined,
  previous?: string,
): void {
  const pit = stringOf(member(reply, 'pit_id')) ?? previous;
  if (pit === undefined) return;
  ctx.contexts.track(
    partition,
    contextKey(cluster, pit),
    keepAliveMs,
    previous === undefined ? undefined : contextKey(cluster, previous),
  );
}
