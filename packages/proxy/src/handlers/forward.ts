// Verbatim forwards of the admin allow-list (operators only: a token bound to a
// tenant is refused). Passthrough (legacy indexes) is streamed by the server,
// after `checkPassthrough`, and never comes through here.
import type { UpstreamMethod } from '@flusso/sinks';
import type { RequestContext } from '../pipeline/context.js';
import { ProxyError } from '../request/proxy-error.js';
import type { ProxyResponse } from '../request/proxy-request.js';

const METHODS = new Set<string>(['GET', 'HEAD', 'POST', 'PUT', 'DELETE']);

function method(ctx: RequestContext): UpstreamMethod {
  const m = ctx.request.method.toUpperCase();
  if (!METHODS.has(m))
    throw new ProxyError('unsupported_endpoint', 'method not supported', { context: { method: m } });
  return m as UpstreamMethod;
}

function body(ctx: RequestContext): Uint8Array | null {
  const { body } = ctx.request;
  if (body === null) return null;
  return typeof body === 'string' ? new TextEncoder().encode(body) : body;
}

/** A path under one of the configured admin prefixes (`/_cat/`, ...). */
export interface AdminRoute {
  readonly kind: 'Admin';
}

/** Forward an admin request verbatim to `adminCluster`. */
export async function forwardAdmin(ctx: RequestContext, _route: AdminRoute): Promise<ProxyResponse> {
  const cluster = ctx.deps.adminCluster;
  if (ctx.request.principal?.tenant !== undefined) {
    throw new ProxyError('unauthorized', 'admin endpoints are for operator tokens', {
      context: { rule: 'admin' },
    });
  }
  if (cluster === undefined)
    throw new ProxyError('unsupported_endpoint', 'no cluster configured for admin endpoints');
  const response = await ctx.deps.upstream.forward(
    ctx.op(
      ctx.target(cluster),
      method(ctx),
      ctx.request.path,
      {
        query: { ...ctx.request.query },
        body: body(ctx),
      },
      { kind: 'forward', action: 'admin' },
    ),
  );
  const headers: Record<string, string> = {};
  const type = response.headers['content-type'];
  if (type !== undefined) headers['content-type'] = type;
  return { status: response.status, headers, body: response.body };
}
