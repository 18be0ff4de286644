// One client request end to end: request id and trace, authentication, the
// cleartext gate, body cap and in-flight budget, then the pipeline (or a
// streamed passthrough), with metrics and a shape-only log line.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { childSpan, FlussoError, isFlussoError, type Principal } from '@flusso/core';
import {
  errorResponse,
  forwardHeaders,
  type ProxyPipeline,
  type ProxyResponse,
  type Route,
} from '@flusso/proxy';
import type { Upstream } from '@flusso/sinks';
import type { Logger } from 'pino';
import type { TokenTable } from '../config/tokens.js';
import { authenticate } from '../ingress/authenticate.js';
import type { InflightLimiter } from '../ingress/inflight-limiter.js';
import { checkDeclaredLength, readBody } from '../ingress/read-body.js';
import { requestIdFor } from '../ingress/request-id.js';
import { checkCleartext } from '../ingress/tls-gate.js';
import { ingressTrace } from '../ingress/trace.js';
import type { ProxyMetrics } from '../telemetry/metrics.js';
import type { TenancyGate } from './tenancy-gate.js';

export interface HandlerDeps {
  readonly pipeline: ProxyPipeline;
  readonly upstream: Upstream;
  readonly tokens: TokenTable;
  readonly limiter: InflightLimiter;
  readonly metrics: ProxyMetrics;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  readonly allowCleartextMutation: boolean;
  readonly headerDeny: ReadonlySet<string>;
  readonly passthroughCluster: Parameters<Upstream['forward']>[0]['target']['cluster'];
  /** Holds tenant traffic until the shared index is known to filter exactly. */
  readonly tenancyGate: Pick<TenancyGate, 'ready' | 'admit'>;
}

// Requests that never touch tenant documents pass without the tenancy gate.
const UNGATED = new Set<Route['kind']>(['Admin', 'Passthrough', 'Unknown']);

export interface HandledResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** Bytes, or a stream relayed as it arrives (passthrough). */
  readonly body: Uint8Array | AsyncIterable<Uint8Array> | null;
}

function lowerHeaders(incoming: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The raw request target, never normalised: `..` segments must reach the classifier as sent. */
function splitTarget(url: string | undefined): { path: string; query: Record<string, string> } {
  const target = url ?? '/';
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  const query = q < 0 ? {} : Object.fromEntries(new URLSearchParams(target.slice(q + 1)));
  return { path, query };
}

function principalOf(result: ReturnType<typeof authenticate>): Principal | undefined {
  if (!result.ok) throw new FlussoError('auth_failed', 'missing or unknown bearer token');
  const p = result.principal;
  if (p === null) return undefined;
  return p.tenant === null ? { id: p.name } : { id: p.name, tenant: p.tenant };
}

/** Reserves `bytes` of the in-flight budget, or refuses the request (429, retry-after). */
function reserve(limiter: InflightLimiter, bytes: number): number {
  if (!limiter.tryAcquire(bytes)) {
    throw new FlussoError('overloaded', 'in-flight request bytes are at the configured cap');
  }
  return bytes;
}

export async function handleProxyRequest(
  deps: HandlerDeps,
  incoming: IncomingMessage,
): Promise<HandledResponse> {
  const started = performance.now();
  const headers = lowerHeaders(incoming);
  const requestId = requestIdFor(headers['x-request-id']);
  const method = (incoming.method ?? 'GET').toUpperCase();
  const { path, query } = splitTarget(incoming.url);
  let kind: Route['kind'] = 'Unknown';
  let response: HandledResponse;
  let reserved = 0;
  try {
    const principal = principalOf(authenticate(headers.authorization, deps.tokens));
    const route = deps.pipeline.route({ method, path, query });
    kind = route.kind;
    checkCleartext(route, (incoming.socket as TLSSocket).encrypted === true, deps.allowCleartextMutation);
    const trace = ingressTrace(headers);
    if (route.kind === 'Passthrough') {
      response = await passthrough(deps, incoming, { method, path, query, headers, requestId, trace });
    } else {
      if (!deps.tenancyGate.ready && !UNGATED.has(route.kind)) await deps.tenancyGate.admit();
      reserved = reserve(deps.limiter, checkDeclaredLength(headers['content-length'], deps.maxBodyBytes));
      const body = await readBody(incoming, deps.maxBodyBytes);
      // A chunked body declared no length: it counts once it has been read.
      if (reserved === 0 && body.length > 0) reserved = reserve(deps.limiter, body.length);
      deps.metrics.inflightBytes.set(deps.limiter.bytes);
      const out = await deps.pipeline.handle(
        {
          method,
          path,
          query,
          headers,
          body: body.length === 0 ? null : body,
          requestId,
          trace,
          ...(principal === undefined ? {} : { principal }),
        },
        route,
      );
      response = { status: out.status, headers: { ...out.headers }, body: out.body };
    }
  } catch (error) {
    if (!isFlussoError(error)) {
      deps.logger.error({ requestId, kind, err: { type: (error as Error).name } }, 'unexpected error');
    }
    const out: ProxyResponse = errorResponse(
      isFlussoError(error) ? error : new FlussoError('upstream_failed', 'internal error'),
    );
    response = { status: out.status, headers: { ...out.headers }, body: out.body };
  } finally {
    if (reserved > 0) deps.limiter.release(reserved);
    deps.metrics.inflightBytes.set(deps.limiter.bytes);
  }
  response.headers['x-request-id'] = requestId;
  const seconds = (performance.now() - started) / 1000;
  deps.metrics.requests.inc({ kind, status: String(response.status) });
  deps.metrics.latency.observe({ kind }, seconds);
  deps.logger.debug({ requestId, kind, status: response.status, ms: Math.round(seconds * 1000) }, 'request');
  return response;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'] as const;

function upstreamMethod(method: string): (typeof METHODS)[number] {
  const found = METHODS.find((m) => m === method);
  if (found === undefined)
    throw new FlussoError('unsupported_endpoint', 'method not supported', { context: { method } });
  return found;
}

async function passthrough(
  deps: HandlerDeps,
  incoming: IncomingMessage,
  request: {
    method: string;
    path: string;
    query: Record<string, string>;
    headers: Record<string, string>;
    requestId: string;
    trace: ReturnType<typeof ingressTrace>;
  },
): Promise<HandledResponse> {
  const upstream = await deps.upstream.forwardStream(
    {
      kind: 'forward',
      action: 'passthrough',
      target: { cluster: deps.passthroughCluster },
      method: upstreamMethod(request.method),
      path: request.path,
      query: request.query,
      body: null,
      headers: forwardHeaders(request.headers, deps.headerDeny),
      trace: childSpan(request.trace),
      requestId: request.requestId,
    },
    incoming,
  );
  const headers: Record<string, string> = {};
  const type = upstream.headers['content-type'];
  if (type !== undefined) headers['content-type'] = type;
  return {
    status: upstream.status,
    headers,
    body: upstream.body,
  };
}
