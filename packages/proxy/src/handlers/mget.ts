// `_mget`: each requested document planned on its own partition view, grouped
// into one upstream `_mget` per cluster, answered in the client's order. A
// document that is not the partition's answers as not found.
import { type ClusterId, type IndexName, isJsonObject, type JsonObject, parseIndexName } from '@flusso/core';
import { readObjectBody } from '../json/body.js';
import { fromPlain, jArray, jObject, memberOf } from '../json/build.js';
import { idText, isArray, isObject, type JNode, type JObject, member } from '../json/node.js';
import { toPlain } from '../json/plain.js';
import type { RequestContext } from '../pipeline/context.js';
import { nodeResponse } from '../request/json-body.js';
import { ProxyError } from '../request/proxy-error.js';
import type { ProxyResponse } from '../request/proxy-request.js';
import { isAnswerable } from '../request/request-status.js';
import type { PartitionView } from '../rewrite/partition-view.js';
import { keepInSource } from '../rewrite/source-filter.js';
import { isSuccess, logicalError, upstreamNode } from '../shape/upstream-reply.js';
import { encodeJson } from './encode.js';
import { codeError, groupBy } from './positioned.js';

/** `GET|POST /_mget` and `/{index}/_mget`. */
export interface MultiGetRoute {
  readonly kind: 'MultiGet';
  readonly index?: IndexName;
}

interface PlannedGet {
  readonly position: number;
  readonly view: PartitionView;
  readonly logicalId: string;
  readonly request: JsonObject;
}

/** One requested document: its options plain for decisions, its `_id` as written. */
interface Requested {
  readonly doc: JsonObject;
  readonly id: JNode | undefined;
}

function requested(body: JObject | undefined): Requested[] {
  const docs = member(body, 'docs');
  if (isArray(docs)) {
    return docs.items.map((node) => {
      const doc = toPlain(node);
      if (!isJsonObject(doc))
        throw new ProxyError('malformed_request', 'mget docs must be objects', { context: { key: 'docs' } });
      return { doc, id: member(node, '_id') };
    });
  }
  const ids = member(body, 'ids');
  if (isArray(ids)) return ids.items.map((id) => ({ doc: {}, id }));
  throw new ProxyError('malformed_request', 'mget needs docs or ids', { context: { expected: 'docs|ids' } });
}

function docIndex(doc: JsonObject, fallback: IndexName | undefined): IndexName {
  if (doc._index === undefined && fallback !== undefined) return fallback;
  if (typeof doc._index !== 'string') {
    throw new ProxyError('malformed_request', 'mget doc names no index', {
      context: { rule: 'index_required' },
    });
  }
  return parseIndexName(doc._index);
}

function docId(node: JNode | undefined): string {
  const id = idText(node);
  if (id !== undefined) return id;
  throw new ProxyError('malformed_request', 'mget doc needs an _id', { context: { rule: 'id_required' } });
}

export async function multiGet(ctx: RequestContext, route: MultiGetRoute): Promise<ProxyResponse> {
  const partition = ctx.partition();
  const docs: JNode[] = [];
  const planned: PlannedGet[] = [];
  requested(readObjectBody(ctx.request.body)?.node).forEach(({ doc, id }, position) => {
    try {
      const { view } = ctx.view(partition, docIndex(doc, route.index));
      const logicalId = docId(id);
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
      docs.push(NULL);
    } catch (error) {
      if (!isAnswerable(error)) throw error;
      docs.push(fromPlain(codeError(error)));
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
  return nodeResponse(200, jObject([memberOf('docs', jArray(docs))]));
}

async function sendGroup(
  ctx: RequestContext,
  cluster: ClusterId,
  group: readonly PlannedGet[],
): Promise<JNode[]> {
  try {
    const response = await ctx.deps.upstream.read(
      ctx.op(
        ctx.target(cluster),
        'POST',
        '/_mget',
        {
          body: encodeJson({ docs: group.map((p) => p.request) }),
        },
        { kind: 'read', action: 'mget' },
      ),
    );
    const body = upstreamNode(response);
    const docs = member(body, 'docs');
    if (isSuccess(response.status) && isArray(docs)) return [...docs.items];
    const failure = toPlain(member(body, 'error') ?? NULL);
    return group.map((p) => fromPlain({ error: logicalError(failure, p.view) }));
  } catch (error) {
    if (!isAnswerable(error)) throw error;
    return group.map(() => fromPlain(codeError(error)));
  }
}

function shapeDoc(p: PlannedGet, result: JNode | undefined): JNode {
  const missing = fromPlain({ _index: p.view.logical, _id: p.logicalId, found: false });
  if (!isObject(result)) return missing;
  const error = member(result, 'error');
  if (error !== undefined) {
    return fromPlain({
      _index: p.view.logical,
      _id: p.logicalId,
      error: logicalError(toPlain(error), p.view),
    });
  }
  const found = member(result, 'found');
  if (found?.t !== 'l' || found.raw !== 'true') return missing;
  return p.view.owns(result) ? p.view.shapeDocument(result) : missing;
}

const NULL: JNode = { t: 'l', raw: 'null' };
