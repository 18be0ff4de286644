// One client request end to end: request id and trace, authentication, the
// cleartext gate, body cap and in-flight budget, then the pipeline (or the
// passthrough forward), with metrics and a shape-only log line.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { FlussoError, isFlussoError, type Principal } from '@flusso/core';
import { errorResponse, type ProxyPipeline, type ProxyResponse, type Route } from '@flusso/proxy';
import type { Logger } from 'pino';
import type { TokenTable } from '../config/tokens.js';
import type { ExplainStore } from '../explain/explain-store.js';
import { authenticate } from '../ingress/authenticate.js';
import { decodeBody } from '../ingress/decode-body.js';
import type { InflightLimiter } from '../ingress/inflight-limiter.js';
import { checkDeclaredLength, readBody } from '../ingress/read-body.js';
import { correlationIdOf, mintRequestId } from '../ingress/request-id.js';
import { checkCleartext } from '../ingress/tls-gate.js';
import { ingressTrace } from '../ingress/trace.js';
import type { ProxyMetrics } from '../telemetry/metrics.js';
import type { HandledResponse } from './handled-response.js';
import { type PassthroughDeps, passthrough } from './passthrough.js';
import type { TenancyGate } from './tenancy-gate.js';

export interface HandlerDeps {
  readonly pipeline: ProxyPipeline;
  readonly tokens: TokenTable;
  readonly limiter: InflightLimiter;
  readonly metrics: ProxyMetrics;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  readonly allowCleartextMutation: boolean;
  readonly passthrough: PassthroughDeps;
  /** Where pipeline decisions are kept for explain; absent when debug endpoints are off. */
  readonly explain: ExplainStore | undefined;
  /** Holds tenant traffic until the shared index is known to filter exactly. */
  readonly tenancyGate: Pick<TenancyGate, 'ready' | 'admit'>;
}

// Requests that never touch tenant documents pass without the tenancy gate.
const UNGATED = new Set<Route['kind']>(['Admin', 'Passthrough', 'Unknown']);

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
  const requestId = mintRequestId();
  const correlationId = correlationIdOf(headers['x-request-id']);
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
    if (!deps.tenancyGate.ready && !UNGATED.has(route.kind)) await deps.tenancyGate.admit();
    reserved = reserve(deps.limiter, checkDeclaredLength(headers['content-length'], deps.maxBodyBytes));
    const raw = await readBody(incoming, deps.maxBodyBytes);
    const body = await decodeBody(raw, headers['content-encoding'], deps.maxBodyBytes);
    // A chunked body declared no length: it counts once it has been read.
    if (reserved === 0 && raw.length > 0) reserved = reserve(deps.limiter, raw.length);
    deps.metrics.inflightBytes.set(deps.limiter.bytes);
    if (route.kind === 'Passthrough') {
      const call = { route, principal, method, path, query, headers, body, requestId, trace };
      response = await passthrough(deps.passthrough, call);
    } else {
      deps.explain?.attribute(requestId, {
        ...(principal === undefined ? {} : { principal: principal.id }),
        ...(principal?.tenant === undefined ? {} : { tenant: principal.tenant }),
        ...(correlationId === undefined ? {} : { correlationId }),
      });
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
    deps.explain?.settle(requestId);
    if (reserved > 0) deps.limiter.release(reserved);
    deps.metrics.inflightBytes.set(deps.limiter.bytes);
  }
  response.headers['x-request-id'] = requestId;
  const seconds = (performance.now() - started) / 1000;
  deps.metrics.requests.inc({ kind, status: String(response.status) });
  deps.metrics.latency.observe({ kind }, seconds);
  deps.logger.debug(
    { requestId, correlationId, kind, status: response.status, ms: Math.round(seconds * 1000) },
    'request',
  );
  return response;
}
