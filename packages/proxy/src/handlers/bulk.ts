// `_bulk`: planned per item, demuxed into one upstream `_bulk` per cluster, and
// answered with `items[]` in the client's order, every item in the client's
// logical view. A cluster that fails answers each of its items with the error.
import { type ClusterId, isFlussoError, isJsonObject, type JsonObject, type JsonValue } from '@flusso/core';
import type { Route } from '../classify/route.js';
import type { RequestContext } from '../pipeline/context.js';
import { jsonResponse } from '../request/json-body.js';
import type { ProxyResponse } from '../request/proxy-request.js';
import { forwardedParams } from '../rewrite/url-params.js';
import { isSuccess, logicalError, upstreamJson } from '../shape/upstream-reply.js';
import { type BulkAction, type PlannedItem, planBulk } from './bulk-plan.js';
import { encodeNdjson } from './encode.js';
import { codeError, groupBy } from './positioned.js';

type BulkRoute = Extract<Route, { kind: 'IngestBulk' }>;

function itemResult(action: BulkAction, body: JsonObject): JsonObject {
  return { [action]: body };
}

function shapeItem(item: PlannedItem, result: JsonValue | undefined): JsonObject {
  const found = isJsonObject(result) ? Object.values(result)[0] : undefined;
  const inner: JsonObject = isJsonObject(found)
    ? found
    : { status: 502, error: { type: 'upstream_failed', reason: 'no result for this item' } };
  const shaped: JsonObject = {
    _index: item.view.logical,
    ...(item.logicalId === undefined ? {} : { _id: item.logicalId }),
    ...item.view.shapeDocument(inner),
  };
  if (inner.error !== undefined) shaped.error = logicalError(inner.error, item.view);
  return itemResult(item.action, shaped);
}

async function sendGroup(
  ctx: RequestContext,
  cluster: ClusterId,
  group: readonly PlannedItem[],
): Promise<{ results: JsonValue[]; took: number }> {
  const first = group[0] as PlannedItem;
  const failed = (error: JsonObject, status: number) => ({
    results: group.map(() => ({ failed: { status, error } })),
    took: 0,
  });
  try {
    const response = await ctx.deps.upstream.bulk({
      ...ctx.op(ctx.target(cluster), 'POST', '/_bulk', {
        query: forwardedParams(ctx.request.query),
        body: encodeNdjson(group.flatMap((item) => item.lines)),
      }),
      kind: 'bulk',
      items: group.length,
      epoch: first.epoch,
    });
    const body = upstreamJson(response);
    if (!isSuccess(response.status) || !Array.isArray(body.items)) {
      return failed(logicalError(body.error, first.view), response.status);
    }
    return { results: body.items, took: typeof body.took === 'number' ? body.took : 0 };
  } catch (error) {
    if (!isFlussoError(error)) throw error;
    const { error: detail, status } = codeError(error);
    return failed(detail, status);
  }
}

export async function bulk(ctx: RequestContext, route: BulkRoute): Promise<ProxyResponse> {
  const { planned, refused } = planBulk(ctx, route.index);
  const items: JsonObject[] = [];
  for (const r of refused) {
    const { error, status } = codeError(r.error);
    items[r.position] = itemResult(r.action, {
      ...(r.index === undefined ? {} : { _index: r.index }),
      ...(r.logicalId === undefined ? {} : { _id: r.logicalId }),
      status,
      error,
    });
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
  return jsonResponse(200, { took, errors: itemErrors > 0, items });
}

function hasError(item: JsonObject): boolean {
  const inner = Object.values(item)[0];
  return isJsonObject(inner) && inner.error !== undefined;
}
