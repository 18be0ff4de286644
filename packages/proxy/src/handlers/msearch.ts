// `_msearch`: every header/body pair is planned on its own (logical index,
// placement, filter), pairs are grouped into one upstream `_msearch` per
// cluster, and `responses[]` is reassembled in the client's order. A pair the
// proxy refuses answers with a positioned error; the others still run.
import { type ClusterId, type IndexName, type JsonObject, parseIndexName } from '@flusso/core';
import { encodeNdjsonNodes, readNdjsonObjects } from '../json/body.js';
import { fromPlain, jArray, jObject, memberOf } from '../json/build.js';
import { isArray, isObject, type JNode, type JObject, member } from '../json/node.js';
import { toPlain } from '../json/plain.js';
import type { RequestContext } from '../pipeline/context.js';
import { nodeResponse } from '../request/json-body.js';
import { ProxyError } from '../request/proxy-error.js';
import type { ProxyResponse } from '../request/proxy-request.js';
import { isAnswerable } from '../request/request-status.js';
import type { PartitionView } from '../rewrite/partition-view.js';
import { isSuccess, logicalError, upstreamNode } from '../shape/upstream-reply.js';
import { codeError, groupBy } from './positioned.js';
import { shapeSearch } from './search.js';

/** `GET|POST /_msearch` and `/{index}/_msearch`. */
export interface MultiSearchRoute {
  readonly kind: 'MultiSearch';
  readonly index?: IndexName;
}

// Header keys that cannot widen what a search reaches.
const HEADER_KEYS = [
  'search_type',
  'request_cache',
  'allow_partial_search_results',
  'max_concurrent_shard_requests',
];

interface PlannedSearch {
  readonly position: number;
  readonly view: PartitionView;
  readonly header: JsonObject;
  readonly body: JObject;
}

function headerIndex(header: JsonObject, fallback: IndexName | undefined): IndexName {
  const named = header.index;
  const single = Array.isArray(named) && named.length === 1 ? named[0] : named;
  if (single === undefined && fallback !== undefined) return fallback;
  if (typeof single !== 'string' || single.includes(',') || single.includes('*')) {
    throw new ProxyError('unsupported_endpoint', 'each search must name exactly one logical index', {
      context: { rule: 'single_index' },
    });
  }
  return parseIndexName(single);
}

function pairs(lines: readonly JObject[]): [JsonObject, JObject][] {
  if (lines.length % 2 !== 0) {
    throw new ProxyError('malformed_request', 'msearch body must hold header/body pairs', {
      context: { lines: lines.length },
    });
  }
  const out: [JsonObject, JObject][] = [];
  for (let i = 0; i < lines.length; i += 2) {
    out.push([toPlain(lines[i] as JObject) as JsonObject, lines[i + 1] as JObject]);
  }
  return out;
}

export async function multiSearch(ctx: RequestContext, route: MultiSearchRoute): Promise<ProxyResponse> {
  const partition = ctx.partition();
  const responses: JNode[] = [];
  const planned: PlannedSearch[] = [];
  for (const [position, [header, body]] of pairs(readNdjsonObjects(ctx.request.body)).entries()) {
    try {
      const { view } = ctx.view(partition, headerIndex(header, route.index));
      const upstreamHeader: JsonObject = { index: view.physical, ...view.routing };
      for (const key of HEADER_KEYS) if (header[key] !== undefined) upstreamHeader[key] = header[key] ?? null;
      const screened = view.screenSearch(body, 'search', ctx.deps.maxQueryDepth) ?? body;
      planned.push({ position, view, header: upstreamHeader, body: screened });
      responses.push(NULL);
    } catch (error) {
      if (!isAnswerable(error)) throw error;
      responses.push(fromPlain(codeError(error)));
    }
  }
  ctx.explain.items = responses.length;
  const groups = groupBy(planned, (p) => p.view.placement.cluster);
  await Promise.all(
    [...groups].map(async ([cluster, group]) => {
      const results = await sendGroup(ctx, cluster, group);
      group.forEach((p, i) => {
        responses[p.position] = shapeOne(ctx, results[i], p.view, partition);
      });
    }),
  );
  ctx.explain.itemErrors = responses.filter((r) => member(r, 'error') !== undefined).length;
  const took = Math.max(0, ...responses.map((r) => Number(toPlain(member(r, 'took') ?? NULL)) || 0));
  return nodeResponse(
    200,
    jObject([memberOf('took', fromPlain(took)), memberOf('responses', jArray(responses))]),
  );
}

async function sendGroup(
  ctx: RequestContext,
  cluster: ClusterId,
  group: readonly PlannedSearch[],
): Promise<JNode[]> {
  try {
    const response = await ctx.deps.upstream.search(
      ctx.op(
        ctx.target(cluster),
        'POST',
        '/_msearch',
        {
          body: encodeNdjsonNodes(group.flatMap((p) => [fromPlain(p.header), p.body])),
        },
        { kind: 'search', action: 'msearch' },
      ),
    );
    const body = upstreamNode(response);
    const results = member(body, 'responses');
    if (!isSuccess(response.status) || !isArray(results)) {
      const failure = toPlain(member(body, 'error') ?? NULL);
      return group.map((p) => fromPlain({ error: logicalError(failure, p.view), status: response.status }));
    }
    return [...results.items];
  } catch (error) {
    if (!isAnswerable(error)) throw error;
    return group.map(() => fromPlain(codeError(error)));
  }
}

function shapeOne(
  ctx: RequestContext,
  result: JNode | undefined,
  view: PartitionView,
  partition: ReturnType<RequestContext['partition']>,
): JNode {
  if (!isObject(result)) {
    return fromPlain({ error: { type: 'upstream_failed', reason: 'missing response' }, status: 502 });
  }
  const error = member(result, 'error');
  if (error !== undefined) {
    const status = toPlain(member(result, 'status') ?? fromPlain(500));
    return fromPlain({ error: logicalError(toPlain(error), view), status });
  }
  return shapeSearch(ctx, result, view, partition);
}

const NULL: JNode = { t: 'l', raw: 'null' };
