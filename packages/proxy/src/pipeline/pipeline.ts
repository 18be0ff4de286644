// The osproxy pipeline: classify, resolve the partition and its placement,
// rewrite, dispatch to the upstream, reshape. Pure of HTTP serving: the server
// hands it a parsed request and writes back what it returns.
import { type ClassifyOptions, classify } from '../classify/classify.js';
import { SearchContexts } from '../cursor/search-contexts.js';
import type { Handler } from '../endpoints/endpoint.js';
import type { Route } from '../endpoints/endpoint-kind.js';
import { endpoints } from '../endpoints/table.js';
import { errorResponse } from '../request/json-body.js';
import { ProxyError } from '../request/proxy-error.js';
import type { ProxyRequest, ProxyResponse } from '../request/proxy-request.js';
import { answerError, isAnswerable } from '../request/request-status.js';
import { type PipelineDeps, RequestContext, ViewCache } from './context.js';
import type { ExplainDraft, ExplainObserver } from './explain.js';
import { checkBodyFormat } from './forward-headers.js';
import { withSourceParam } from './source-param.js';

export interface PipelineOptions extends PipelineDeps {
  readonly classify: ClassifyOptions;
  readonly observer?: ExplainObserver;
}

export class ProxyPipeline {
  readonly #options: PipelineOptions;
  readonly #views = new ViewCache();

  constructor(options: PipelineOptions) {
    // Scrolls and PITs are always capped per tenant: a pipeline given no budget gets the defaults.
    this.#options = options.contexts === undefined ? { ...options, contexts: new SearchContexts() } : options;
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
      explain.endpointKind = routed.kind;
      response = await this.#dispatch(
        new RequestContext(this.#options, withSourceParam(request, routed.kind), explain, this.#views),
        routed,
      );
    } catch (error) {
      if (!isAnswerable(error)) throw error;
      const answer = answerError(error);
      explain.errorCode = answer.code;
      response = errorResponse(answer);
    }
    explain.status = response.status;
    // The draft itself is the record: nothing writes to it once the request is handled.
    this.#options.observer?.onExplain(explain);
    return response;
  }

  #dispatch(ctx: RequestContext, route: Route): Promise<ProxyResponse> {
    const row = endpoints[route.kind];
    if (row.mutates && !row.asyncWrites && ctx.request.headers['x-write-mode']?.toLowerCase() === 'async') {
      throw new ProxyError('malformed_request', 'async writes are single-document writes', {
        context: { kind: route.kind },
      });
    }
    const body = ctx.request.body;
    if (row.tenancy) checkBodyFormat(ctx.request.headers, body !== null && body.length > 0);
    // The row of `route.kind` takes that kind's route; TypeScript cannot correlate the two.
    return (row.handle as Handler<Route>)(ctx, route);
  }
}
