// The osproxy pipeline: classify, resolve the partition and its placement,
// rewrite, dispatch to the upstream, reshape. Pure of HTTP serving: the server
// hands it a parsed request and writes back what it returns.
import { type ClusterId, type EndpointKind, FlussoError, isFlussoError } from '@flusso/core';
import { type ClassifyOptions, classify } from '../classify/classify.js';
import type { Route } from '../classify/route.js';
import { bulk } from '../handlers/bulk.js';
import { cursor } from '../handlers/cursor.js';
import { deleteById, getById } from '../handlers/doc-read.js';
import { ingestDoc, updateById } from '../handlers/doc-write.js';
import { forwardAdmin } from '../handlers/forward.js';
import { multiGet } from '../handlers/mget.js';
import { multiSearch } from '../handlers/msearch.js';
import { queryIndex } from '../handlers/search.js';
import { errorResponse } from '../request/json-body.js';
import type { ProxyRequest, ProxyResponse } from '../request/proxy-request.js';
import { type PipelineDeps, RequestContext } from './context.js';
import type { ExplainDraft, ExplainObserver } from './explain.js';

export interface PipelineOptions extends PipelineDeps {
  readonly classify: ClassifyOptions;
  /** Where admin allow-list requests go; absent = admin endpoints unsupported. */
  readonly adminCluster?: ClusterId;
  readonly observer?: ExplainObserver;
}

export class ProxyPipeline {
  readonly #options: PipelineOptions;

  constructor(options: PipelineOptions) {
    this.#options = options;
  }

  /** The route of a request; throws `malformed_request` on a traversal path. */
  route(request: Pick<ProxyRequest, 'method' | 'path' | 'query'>): Route {
    return classify(request, this.#options.classify);
  }

  /** Handle one request; `route` may be passed when the caller already classified it. */
  async handle(request: ProxyRequest, route?: Route): Promise<ProxyResponse> {
    const explain: ExplainDraft = {
      requestId: request.requestId,
      endpointKind: 'Unknown',
      status: 0,
      upstreamCalls: 0,
    };
    let response: ProxyResponse;
    try {
      const routed = route ?? this.route(request);
      explain.endpointKind = routed.kind as EndpointKind;
      response = await this.#dispatch(new RequestContext(this.#options, request, explain), routed);
    } catch (error) {
      if (!isFlussoError(error)) throw error;
      explain.errorCode = error.code;
      response = errorResponse(error);
    }
    explain.status = response.status;
    this.#options.observer?.onExplain({ ...explain });
    return response;
  }

  #dispatch(ctx: RequestContext, route: Route): Promise<ProxyResponse> {
    if (
      (route.kind === 'IngestBulk' || route.kind === 'DeleteByQuery') &&
      ctx.request.headers['x-write-mode']?.toLowerCase() === 'async'
    ) {
      throw new FlussoError('malformed_request', 'async writes are single-document writes', {
        context: { kind: route.kind },
      });
    }
    switch (route.kind) {
      case 'IngestDoc':
        return ingestDoc(ctx, route);
      case 'UpdateById':
        return updateById(ctx, route);
      case 'GetById':
        return getById(ctx, route);
      case 'DeleteById':
        return deleteById(ctx, route);
      case 'Search':
      case 'Count':
      case 'DeleteByQuery':
        return queryIndex(ctx, route);
      case 'MultiSearch':
        return multiSearch(ctx, route);
      case 'IngestBulk':
        return bulk(ctx, route);
      case 'MultiGet':
        return multiGet(ctx, route);
      case 'Cursor':
        return cursor(ctx, route);
      case 'Admin':
        return forwardAdmin(ctx, this.#options.adminCluster);
      // Passthrough is the server's streamed forward (after `checkPassthrough`), never buffered here.
      case 'Passthrough':
      case 'Unknown':
        throw new FlussoError('unsupported_endpoint', 'endpoint is not supported by the proxy', {
          context: { method: ctx.request.method },
        });
    }
  }
}
