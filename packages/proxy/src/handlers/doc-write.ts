// Single-document writes: index (`_doc`, with or without a URL id), `_create`
// and `_update`. The partition is resolved from the principal, header or the
// documents themselves (every one must agree); the write is admitted under the
// placement's current epoch. Documents go upstream byte-exact, the injected
// fields appended.
import type { IndexName } from '@flusso/core';
import type { UpstreamResponse } from '@flusso/sinks';
import { encodeNode, type ReadBody, readObjectBody } from '../json/body.js';
import { mapMembers } from '../json/build.js';
import { emit } from '../json/emit.js';
import { isObject, type JObject, member } from '../json/node.js';
import type { RequestContext } from '../pipeline/context.js';
import { segment } from '../pipeline/context.js';
import { jsonBytesResponse, nodeResponse, pooledBytes } from '../request/json-body.js';
import { ProxyError } from '../request/proxy-error.js';
import type { ProxyResponse } from '../request/proxy-request.js';
import type { PartitionView } from '../rewrite/partition-view.js';
import { forwardedParams } from '../rewrite/url-params.js';
import { spliceDocumentReply } from '../shape/splice-hits.js';
import { isSuccess, upstreamErrorReply, upstreamNode } from '../shape/upstream-reply.js';
import { asyncRequested, queueWrite } from './async-write.js';

/** `POST /{index}/_doc`, `PUT|POST /{index}/_doc/{id}` and `/{index}/_create/{id}`. */
export interface IngestRoute {
  readonly kind: 'IngestDoc';
  readonly index: IndexName;
  readonly id?: string;
  readonly create: boolean;
}

/** `POST /{index}/_update/{id}`. */
export interface UpdateRoute {
  readonly kind: 'UpdateById';
  readonly index: IndexName;
  readonly id: string;
}

function requireDocument(body: ReadBody<JObject> | null): ReadBody<JObject> {
  if (body === null) {
    throw new ProxyError('malformed_request', 'a document body is required', {
      context: { expected: 'object' },
    });
  }
  return body;
}

/** The client's view of a write result: logical index and id. */
export function shapeWriteResult(result: JObject, view: PartitionView): JObject {
  return mapMembers(view.shapeDocument(result), (m) =>
    m.key === 'get' && isObject(m.value) ? view.shapeDocument(m.value) : m.value,
  );
}

/**
 * The client's reply to a successful write: spliced from the upstream bytes where the
 * splicer is certain, else shaped on the lossless tree (the same bytes).
 */
export function writeResultReply(response: UpstreamResponse, view: PartitionView): ProxyResponse {
  const spliced = spliceDocumentReply(response.body, view);
  if (spliced !== undefined) return jsonBytesResponse(response.status, spliced);
  return nodeResponse(response.status, shapeWriteResult(upstreamNode(response), view));
}

export async function ingestDoc(ctx: RequestContext, route: IngestRoute): Promise<ProxyResponse> {
  // Only the document's top-level members matter to the proxy: the rest is scanned, not built.
  const read = requireDocument(readObjectBody(ctx.request.body, 1));
  const document = read.node;
  const partition = ctx.partitionOfAll([document]);
  const { view, state } = ctx.view(partition, route.index);
  ctx.deps.tenancy.admitWrite(partition, state.epoch);
  const bytes = view.documentBytes(read, pooledBytes);
  // The URL id, else (only with the id-from-body rule) the body's.
  const given = view.physicalId(route.id, document);
  // A shared index needs an id carrying the partition; OpenSearch's auto-ids would not.
  const id = given ?? (view.shared ? view.physicalId(ctx.deps.newId()) : undefined);
  // Without a URL id a write creates, as OpenSearch's `POST _doc` does: it never overwrites.
  const create = route.create || ctx.request.query.op_type === 'create' || route.id === undefined;
  if (asyncRequested(ctx)) {
    const body = emit(view.prepareDocument(document));
    return queueWrite(ctx, { view, state, action: create ? 'create' : 'index', id, body });
  }
  const path =
    id === undefined
      ? `/${segment(view.physical)}/_doc`
      : `/${segment(view.physical)}/${create ? '_create' : '_doc'}/${segment(id)}`;
  const response = await ctx.deps.upstream.write(
    ctx.op(
      ctx.target(view.placement.cluster, view.physical),
      id === undefined ? 'POST' : 'PUT',
      path,
      {
        query: forwardedParams(ctx.request.query, view.routing),
        body: bytes,
      },
      {
        kind: 'write',
        doc: { action: create ? 'create' : 'index', ...(id === undefined ? {} : { id }), ...view.routing },
        epoch: state.epoch,
      },
    ),
  );
  if (!isSuccess(response.status)) return upstreamErrorReply(response, view);
  return writeResultReply(response, view);
}

/** Checks and injects an `_update` body: `doc` and `upsert` get the injected fields; scripts are refused on a shared index. */
export function prepareUpdate(body: JObject, view: PartitionView): JObject {
  if (!view.shared) return body;
  // A script could rewrite the injected fields and move the document to another tenant's view.
  if (member(body, 'script') !== undefined) {
    throw new ProxyError('malformed_request', 'scripted updates are not allowed on a shared index', {
      context: { construct: 'script' },
    });
  }
  return mapMembers(body, (m) => {
    if (m.key !== 'doc' && m.key !== 'upsert') return m.value;
    if (!isObject(m.value)) {
      throw new ProxyError('malformed_request', `update ${m.key} must be an object`, {
        context: { key: m.key },
      });
    }
    return view.prepareDocument(m.value);
  });
}

/** The documents of an `_update` body that may name a tenant (`doc` and `upsert`). */
export function updateDocuments(body: JObject): JObject[] {
  return [member(body, 'doc'), member(body, 'upsert')].filter(isObject);
}

export async function updateById(ctx: RequestContext, route: UpdateRoute): Promise<ProxyResponse> {
  // `doc` and `upsert` members matter; what is inside them is scanned, not built.
  const read = requireDocument(readObjectBody(ctx.request.body, 2));
  const partition = ctx.partitionOfAll(updateDocuments(read.node));
  const { view, state } = ctx.view(partition, route.index);
  ctx.deps.tenancy.admitWrite(partition, state.epoch);
  const prepared = prepareUpdate(read.node, view);
  const id = view.requirePhysicalId(route.id);
  if (asyncRequested(ctx)) {
    return queueWrite(ctx, { view, state, action: 'update', id, body: emit(prepared) });
  }
  const response = await ctx.deps.upstream.write(
    ctx.op(
      ctx.target(view.placement.cluster, view.physical),
      'POST',
      `/${segment(view.physical)}/_update/${segment(id)}`,
      {
        query: forwardedParams(ctx.request.query, view.routing),
        body: encodeNode(prepared, read),
      },
      { kind: 'write', doc: { action: 'update', id, ...view.routing }, epoch: state.epoch },
    ),
  );
  if (!isSuccess(response.status)) return upstreamErrorReply(response, view);
  return writeResultReply(response, view);
}
