// What the pipeline does not serve: an Unknown route, and Passthrough, which the
// server streams itself (after `checkPassthrough`) and never hands to the pipeline.
import type { RequestContext } from '../pipeline/context.js';
import { ProxyError } from '../request/proxy-error.js';
import type { ProxyResponse } from '../request/proxy-request.js';
import type { PassthroughRoute } from './passthrough.js';

/** Anything no row of the endpoint table claims. */
export interface UnknownRoute {
  readonly kind: 'Unknown';
}

/** Refuse with `unsupported_endpoint`. */
export function unsupported(
  ctx: RequestContext,
  _route: UnknownRoute | PassthroughRoute,
): Promise<ProxyResponse> {
  return Promise.reject(
    new ProxyError('unsupported_endpoint', 'endpoint is not supported by the proxy', {
      context: { method: ctx.request.method },
    }),
  );
}
