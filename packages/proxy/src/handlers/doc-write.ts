// Single-document writes: index (`_doc`, with or without a URL id), `_create`
// and `_update`. The partition is resolved from the principal, header or the
// document itself; the write is admitted under the placement's current epoch.
import { FlussoError, isJsonObject, type JsonObject } from '@flusso/core';
import type { Route } from '../classify/route.js';
import type { RequestContext } from '../pipeline/context.js';
import { segment } from '../pipeline/context.js';
import { jsonObjectBody, jsonResponse } from '../request/json-body.js';
import type { ProxyResponse } from '../request/proxy-request.js';
import type { PartitionView } from '../rewrite/partition-view.js';
import { forwardedParams } from '../rewrite/url-params.js';
import { isSuccess, upstreamErrorReply, upstreamJson } from '../shape/upstream-reply.js';
import { asyncRequested, queueWrite } from './async-write.js';
import { encodeJson } from './encode.js';

type IngestRoute = Extract<Route, { kind: 'IngestDoc' }>;
type UpdateRoute = Extract<Route, { kind: 'UpdateById' }>;

function requireDocument(body: JsonObject | null): JsonObject {
  if (body === null) {
    throw new FlussoError('malformed_request', 'a document body is required', {
      context: { expected: 'object' },
    });
  }
  return body;
}

/** The client's view of a write result: logical index and id. */
export function shapeWriteResult(result: JsonObject, view: PartitionView): JsonObject {
  const out = view.shapeDocument(result);
  const get = out.get;
  if (isJsonObject(get)) out.get = view.shapeDocument(get);
  return out;
}

export async function ingestDoc(ctx: RequestContext, route: IngestRoute): Promise<ProxyResponse> {
  const document = requireDocument(jsonObjectBody(ctx.request.body));
  const partition = ctx.partition(document);
  const { view, state } = ctx.view(partition, route.index);
  ctx.deps.tenancy.admitWrite(partition, state.epoch);
  const stored = view.prepareDocument(document);
  // A shared index needs an id carrying the partition; OpenSearch's auto-ids would not.
  const id =
    view.physicalId(route.id, document) ?? (view.shared ? view.physicalId(ctx.deps.newId()) : undefined);
  const create = route.create || ctx.request.query.op_type === 'create';
  if (asyncRequested(ctx)) {
    return queueWrite(ctx, { view, state, action: create ? 'create' : 'index', id, body: stored });
  }
  const path =
    id === undefined
      ? `/${segment(view.physical)}/_doc`
      : `/${segment(view.physical)}/${create ? '_create' : '_doc'}/${segment(id)}`;
  const response = await ctx.deps.upstream.write({
    ...ctx.op(ctx.target(view.placement.cluster, view.physical), id === undefined ? 'POST' : 'PUT', path, {
      query: forwardedParams(ctx.request.query, view.routing),
      body: encodeJson(stored),
    }),
    kind: 'write',
    doc: { action: create ? 'create' : 'index', ...(id === undefined ? {} : { id }), ...view.routing },
    epoch: state.epoch,
  });
  if (!isSuccess(response.status)) return upstreamErrorReply(response, view);
  return jsonResponse(response.status, shapeWriteResult(upstreamJson(response), view));
}

/** Checks and injects an `_update` body: `doc` and `upsert` get the injected fields; scripts are refused on a shared index. */
export function prepareUpdate(body: JsonObject, view: PartitionView): JsonObject {
  if (!view.shared) return body;
  // A script could rewrite the injected fields and move the document to another tenant's view.
  if (body.script !== undefined) {
    throw new FlussoError('malformed_request', 'scripted updates are not allowed on a shared index', {
      context: { construct: 'script' },
    });
  }
  const out: JsonObject = { ...body };
  for (const key of ['doc', 'upsert'] as const) {
    const part = body[key];
    if (part === undefined) continue;
    if (!isJsonObject(part)) {
      throw new FlussoError('malformed_request', `update ${key} must be an object`, { context: { key } });
    }
    out[key] = view.prepareDocument(part);
  }
  return out;
}

/** The document an `_update` body names its partition in, if any. */
export function updateDocument(body: JsonObject): JsonObject | undefined {
  for (const key of ['doc', 'upsert'] as const) {
    const part = body[key];
    if (isJsonObject(part)) return part;
  }
  return undefined;
}

export async function updateById(ctx: RequestContext, route: UpdateRoute): Promise<ProxyResponse> {
  const body = requireDocument(jsonObjectBody(ctx.request.body));
  const partition = ctx.partition(updateDocument(body));
  const { view, state } = ctx.view(partition, route.index);
  ctx.deps.tenancy.admitWrite(partition, state.epoch);
  const prepared = prepareUpdate(body, view);
  const id = view.requirePhysicalId(route.id);
  if (asyncRequested(ctx)) return queueWrite(ctx, { view, state, action: 'update', id, body: prepared });
  const response = await ctx.deps.upstream.write({
    ...ctx.op(
      ctx.target(view.placement.cluster, view.physical),
      'POST',
      `/${segment(view.physical)}/_update/${segment(id)}`,
      {
        query: forwardedParams(ctx.request.query, view.routing),
        body: encodeJson(prepared),
      },
    ),
    kind: 'write',
    doc: { action: 'update', id, ...view.routing },
    epoch: state.epoch,
  });
  if (!isSuccess(response.status)) return upstreamErrorReply(response, view);
  return jsonResponse(response.status, shapeWriteResult(upstreamJson(response), view));
}
