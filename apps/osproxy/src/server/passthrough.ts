// The one passthrough path: operator-listed legacy indexes, forwarded verbatim
// to the passthrough cluster with the response streamed back. The request body is
// read whole first (within the body cap) so `checkPassthrough` can see every
// index it names before anything is sent.
import { type ClusterId, childSpan, type Principal, type TraceContext } from '@flusso/core';
import {
  checkPassthrough,
  forwardHeaders,
  type PassthroughPolicy,
  type PassthroughRoute,
  ProxyError,
} from '@flusso/proxy';
import type { Upstream } from '@flusso/sinks';
import type { HandledResponse } from './handled-response.js';

export interface PassthroughDeps {
  readonly upstream: Upstream;
  readonly cluster: ClusterId;
  readonly policy: PassthroughPolicy;
  readonly headerAllow: ReadonlySet<string>;
}

export interface PassthroughCall {
  readonly route: PassthroughRoute;
  readonly principal: Principal | undefined;
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
  readonly requestId: string;
  readonly trace: TraceContext;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'] as const;

function upstreamMethod(method: string): (typeof METHODS)[number] {
  const found = METHODS.find((m) => m === method);
  if (found === undefined)
    throw new ProxyError('unsupported_endpoint', 'method not supported', { context: { method } });
  return found;
}

async function* once(body: Uint8Array): AsyncGenerator<Uint8Array> {
  if (body.length > 0) yield body;
}

export async function passthrough(deps: PassthroughDeps, call: PassthroughCall): Promise<HandledResponse> {
  checkPassthrough(
    {
      segments: call.route.segments,
      body: call.body,
      ...(call.principal === undefined ? {} : { principal: call.principal }),
      ...(call.headers['content-type'] === undefined ? {} : { contentType: call.headers['content-type'] }),
    },
    deps.policy,
  );
  const upstream = await deps.upstream.forwardStream(
    {
      kind: 'forward',
      action: 'passthrough',
      target: { cluster: deps.cluster },
      method: upstreamMethod(call.method),
      path: call.path,
      query: call.query,
      body: null,
      headers: forwardHeaders(call.headers, deps.headerAllow, true),
      trace: childSpan(call.trace),
      requestId: call.requestId,
    },
    once(call.body),
  );
  const headers: Record<string, string> = {};
  for (const name of ['content-type', 'content-encoding']) {
    const value = upstream.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  return { status: upstream.status, headers, body: upstream.body };
}
