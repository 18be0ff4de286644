// GET / HEAD / DELETE of one document by its logical id. A document that is not
// the partition's answers exactly as a missing one does, in OpenSearch's shapes.
import type { IndexName } from '@flusso/core';
import { member, stringOf } from '../json/node.js';
import { type RequestContext, segment } from '../pipeline/context.js';
import { jsonResponse, nodeResponse } from '../request/json-body.js';
import type { ProxyResponse } from '../request/proxy-request.js';
import { keepInSourceParams } from '../rewrite/source-filter.js';
import { forwardedParams } from '../rewrite/url-params.js';
import { isSuccess, upstreamErrorReply, upstreamJson, upstreamNode } from '../shape/upstream-reply.js';
import { asyncRequested, queueWrite } from './async-write.js';
import { shapeWriteResult, writeResultReply } from './doc-write.js';

/** `GET|HEAD /{index}/_doc/{id}`. */
export interface GetRoute {
  readonly kind: 'GetById';
  readonly index: IndexName;
  readonly id: string;
  readonly head: boolean;
}

/** `DELETE /{index}/_doc/{id}`. */
export interface DeleteRoute {
  readonly kind: 'DeleteById';
  readonly index: IndexName;
  readonly id: string;
}

// Source filtering and realtime are harmless on reads; routing and preference are not forwarded.
const READ_PARAMS = [
  '_source',
  '_source_includes',
  '_source_excludes',
  'realtime',
  'refresh',
  'stored_fields',
];

function readParams(
  query: Readonly<Record<string, string>>,
  routing: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of READ_PARAMS) {
    const value = query[key];
    if (value !== undefined) out[key] = value;
  }
  return { ...out, ...routing };
}

export async function getById(ctx: RequestContext, route: GetRoute): Promise<ProxyResponse> {
  const partition = ctx.partition();
  const { view } = ctx.view(partition, route.index);
  const id = view.requirePhysicalId(route.id);
  const response = await ctx.deps.upstream.read(
    ctx.op(
      ctx.target(view.placement.cluster, view.physical),
      'GET',
      `/${segment(view.physical)}/_doc/${segment(id)}`,
      {
        query: view.shared
          ? keepInSourceParams(readParams(ctx.request.query, view.routing), Object.keys(view.inject))
          : readParams(ctx.request.query, view.routing),
      },
      { kind: 'read', action: 'get' },
    ),
  );
  const notFound = { _index: route.index, _id: route.id, found: false };
  if (response.status === 404) {
    const body = upstreamJson(response);
    if (body.found === false) return headAware(route, jsonResponse(404, notFound));
    return headAware(route, upstreamErrorReply(response, view));
  }
  if (!isSuccess(response.status)) return headAware(route, upstreamErrorReply(response, view));
  const doc = upstreamNode(response);
  if (!view.owns(doc)) return headAware(route, jsonResponse(404, notFound));
  return headAware(route, nodeResponse(200, view.shapeDocument(doc)));
}

function headAware(route: GetRoute, response: ProxyResponse): ProxyResponse {
  return route.head ? { ...response, body: new Uint8Array() } : response;
}

export async function deleteById(ctx: RequestContext, route: DeleteRoute): Promise<ProxyResponse> {
  const partition = ctx.partition();
  const { view, state } = ctx.view(partition, route.index);
  ctx.deps.tenancy.admitWrite(partition, state.epoch);
  const id = view.requirePhysicalId(route.id);
  if (asyncRequested(ctx)) return queueWrite(ctx, { view, state, action: 'delete', id, body: null });
  const response = await ctx.deps.upstream.write(
    ctx.op(
      ctx.target(view.placement.cluster, view.physical),
      'DELETE',
      `/${segment(view.physical)}/_doc/${segment(id)}`,
      {
        query: forwardedParams(ctx.request.query, view.routing),
      },
      { kind: 'write', doc: { action: 'delete', id, ...view.routing }, epoch: state.epoch },
    ),
  );
  // A delete of a missing document is 404 with a result body, not an error body.
  const body = response.status === 404 ? upstreamNode(response) : undefined;
  if (body !== undefined && stringOf(member(body, 'result')) === 'not_found') {
    return nodeResponse(404, shapeWriteResult(body, view));
  }
  if (!isSuccess(response.status)) return upstreamErrorReply(response, view);
  return writeResultReply(response, view);
}
