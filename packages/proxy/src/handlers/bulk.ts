// `_bulk`: planned per item, demuxed into one upstream `_bulk` per cluster, and
// answered with `items[]` in the client's order, every item in the client's
// logical view. A cluster that fails answers each of its items with the error.
import type { ClusterId, IndexName, JsonObject } from '@flusso/core';
import { encodeNdjsonNodes } from '../json/body.js';
import { fromPlain, jArray, jObject, jString, memberOf, withMember } from '../json/build.js';
import { isArray, isObject, type JNode, type JObject, member } from '../json/node.js';
import { toPlain } from '../json/plain.js';
import type { RequestContext } from '../pipeline/context.js';
import { nodeResponse } from '../request/json-body.js';
import type { ProxyResponse } from '../request/proxy-request.js';
import { isAnswerable } from '../request/request-status.js';
import { forwardedParams } from '../rewrite/url-params.js';
import { isSuccess, logicalError, upstreamNode } from '../shape/upstream-reply.js';
import { type BulkAction, type PlannedItem, planBulk } from './bulk-plan.js';
import { codeError, groupBy } from './positioned.js';

/** `POST|PUT /_bulk` and `/{index}/_bulk`. */
export interface BulkRoute {
  readonly kind: 'IngestBulk';
  readonly index?: IndexName;
}

function itemResult(action: BulkAction, body: JNode): JNode {
  return jObject([memberOf(action, body)]);
}

function shapeItem(item: PlannedItem, result: JNode | undefined): JNode {
  const found = isObject(result) ? result.members[0]?.value : undefined;
  const inner = isObject(found)
    ? found
    : (fromPlain({
        status: 502,
        error: { type: 'upstream_failed', reason: 'no result for this item' },
      }) as JObject);
  let shaped = item.view.shapeDocument(inner);
  shaped = withMember(shaped, '_index', jString(item.view.logical));
  if (item.logicalId !== undefined) shaped = withMember(shaped, '_id', jString(item.logicalId));
  const error = member(inner, 'error');
  if (error !== undefined)
    shaped = withMember(shaped, 'error', fromPlain(logicalError(toPlain(error), item.view)));
  return itemResult(item.action, shaped);
}

async function sendGroup(
  ctx: RequestContext,
  cluster: ClusterId,
  group: readonly PlannedItem[],
): Promise<{ results: readonly JNode[]; took: number }> {
  const first = group[0] as PlannedItem;
  const failed = (error: JsonObject, status: number) => ({
    results: group.map(() => fromPlain({ failed: { status, error } })),
    took: 0,
  });
  try {
    const response = await ctx.deps.upstream.bulk(
      ctx.op(
        ctx.target(cluster),
        'POST',
        '/_bulk',
        {
          query: forwardedParams(ctx.request.query),
          body: encodeNdjsonNodes(group.flatMap((item) => item.lines)),
        },
        { kind: 'bulk', items: group.length, epoch: first.epoch },
      ),
    );
    const body = upstreamNode(response);
    const items = member(body, 'items');
    if (!isSuccess(response.status) || !isArray(items)) {
      return failed(
        logicalError(toPlain(member(body, 'error') ?? fromPlain(null)), first.view),
        response.status,
      );
    }
    return { results: items.items, took: Number(toPlain(member(body, 'took') ?? fromPlain(0))) || 0 };
  } catch (error) {
    if (!isAnswerable(error)) throw error;
    const { error: detail, status } = codeError(error);
    return failed(detail, status);
  }
}

export async function bulk(ctx: RequestContext, route: BulkRoute): Promise<ProxyResponse> {
  const { planned, refused } = planBulk(ctx, route.index);
  const items: JNode[] = [];
  for (const r of refused) {
    const { error, status } = codeError(r.error);
    items[r.position] = itemResult(
      r.action,
      fromPlain({
        ...(r.index === undefined ? {} : { _index: r.index }),
        ...(r.logicalId === undefined ? {} : { _id: r.logicalId }),
        status,
        error,
      }),
    );
  }
  let took = 0;
  const groups = groupBy(planned, (item) => item.view.placement.cluster);
  await Promise.all(
    [...groups].map(async ([cluster, group]) => {
      const sent = await sendGroup(ctx, cluster, group);
      took = Math.max(took, sent.took);
      group.forEach((item, i) => {
        items[item.position] = shapeItem(item, sent.results[i]);
      });
    }),
  );
  const itemErrors = items.filter(hasError).length;
  ctx.explain.items = items.length;
  ctx.explain.itemErrors = itemErrors;
  return nodeResponse(
    200,
    jObject([
      memberOf('took', fromPlain(took)),
      memberOf('errors', fromPlain(itemErrors > 0)),
      memberOf('items', jArray(items)),
    ]),
  );
}

function hasError(item: JNode): boolean {
  return isObject(item) && member(item.members[0]?.value, 'error') !== undefined;
}
