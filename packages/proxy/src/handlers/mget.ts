// `_mget`: each requested document planned on its own partition view, grouped
// into one upstream `_mget` per cluster, answered in the client's order. A
// document that is not the partition's answers as not found.
import {
  type ClusterId,
  FlussoError,
  type IndexName,
  isFlussoError,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  parseIndexName,
} from '@flusso/core';
import type { Route } from '../classify/route.js';
import type { RequestContext } from '../pipeline/context.js';
import { jsonObjectBody, jsonResponse } from '../request/json-body.js';
import type { ProxyResponse } from '../request/proxy-request.js';
import type { PartitionView } from '../rewrite/partition-view.js';
import { keepInSource } from '../rewrite/source-filter.js';
import { isSuccess, logicalError, upstreamJson } from '../shape/upstream-reply.js';
import { encodeJson } from './encode.js';
import { codeError, groupBy } from './positioned.js';

type MultiGetRoute = Extract<Route, { kind: 'MultiGet' }>;

interface PlannedGet {
  readonly position: number;
  readonly view: PartitionView;
  readonly logicalId: string;
  readonly request: JsonObject;
}

function requested(body: JsonObject | null): JsonObject[] {
  if (body !== null && Array.isArray(body.docs)) {
    return body.docs.map((doc) => {
      if (!isJsonObject(doc))
        throw new FlussoError('malformed_request', 'mget docs must be objects', { context: { key: 'docs' } });
      return doc;
    });
  }
  if (body !== null && Array.isArray(body.ids)) return body.ids.map((id) => ({ _id: id }));
  throw new FlussoError('malformed_request', 'mget needs docs or ids', { context: { expected: 'docs|ids' } });
}

function docIndex(doc: JsonObject, fallback: IndexName | undefined): IndexName {
  if (doc._index === undefined && fallback !== undefined) return fallback;
  if (typeof doc._index !== 'string') {
    throw new FlussoError('malformed_request', 'mget doc names no index', {
      context: { rule: 'index_required' },
    });
  }
  return parseIndexName(doc._index);
}

function docId(doc: JsonObject): string {
  if (typeof doc._id === 'string' && doc._id !== '') return doc._id;
  if (typeof doc._id === 'number') return String(doc._id);
  throw new FlussoError('malformed_request', 'mget doc needs an _id', { context: { rule: 'id_required' } });
}

export async function multiGet(ctx: RequestContext, route: MultiGetRoute): Promise<ProxyResponse> {
  const partition = ctx.partition();
  const docs: JsonValue[] = [];
  const planned: PlannedGet[] = [];
  requested(jsonObjectBody(ctx.request.body)).forEach((doc, position) => {
    try {
      const { view } = ctx.view(partition, docIndex(doc, route.index));
      const logicalId = docId(doc);
      const request: JsonObject = {
        _index: view.physical,
        _id: view.requirePhysicalId(logicalId),
        ...view.routing,
      };
      if (doc._source !== undefined) {
        request._source = view.shared
          ? (keepInSource(doc._source, Object.keys(view.inject)) ?? null)
          : doc._source;
      }
      planned.push({ position, view, logicalId, request });
      docs.push(null);
    } catch (error) {
      if (!isFlussoError(error)) throw error;
      docs.push(codeError(error));
    }
  });
  ctx.explain.items = docs.length;
  await Promise.all(
    [...groupBy(planned, (p) => p.view.placement.cluster)].map(async ([cluster, group]) => {
      const results = await sendGroup(ctx, cluster, group);
      group.forEach((p, i) => {
        docs[p.position] = shapeDoc(p, results[i]);
      });
    }),
  );
  return jsonResponse(200, { docs });
}

async function sendGroup(
  ctx: RequestContext,
  cluster: ClusterId,
  group: readonly PlannedGet[],
): Promise<JsonValue[]> {
  try {
    const response = await ctx.deps.upstream.read({
      ...ctx.op(ctx.target(cluster), 'POST', '/_mget', {
        body: encodeJson({ docs: group.map((p) => p.request) }),
      }),
      kind: 'read',
      action: 'mget',
    });
    const body = upstreamJson(response);
    if (isSuccess(response.status) && Array.isArray(body.docs)) return body.docs;
    return group.map((p) => ({ error: logicalError(body.error, p.view) }));
  } catch (error) {
    if (!isFlussoError(error)) throw error;
    return group.map(() => codeError(error));
  }
}

function shapeDoc(p: PlannedGet, result: JsonValue | undefined): JsonObject {
  const missing = { _index: p.view.logical, _id: p.logicalId, found: false };
  if (!isJsonObject(result)) return missing;
  if (result.error !== undefined)
    return { _index: p.view.logical, _id: p.logicalId, error: logicalError(result.error, p.view) };
  if (result.found !== true || !p.view.owns(result)) return missing;
  return p.view.shapeDocument(result);
}
