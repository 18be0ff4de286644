// One client request end to end: request id and trace, authentication, the
// cleartext gate, body cap and in-flight budget, then the pipeline (or the
// passthrough forward), the response written, then metrics and a shape-only log line.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { childSpan, DeadlineQueue, newTraceContext, type Principal } from '@flusso/core';
import {
  type EndpointKind,
  errorResponse,
  isAnswerable,
  ProxyError,
  type ProxyPipeline,
  type ProxyRequest,
  type ProxyResponse,
  type Route,
} from '@flusso/proxy';
import type { Logger } from 'pino';
import type { TokenTable } from '../config/tokens.js';
import type { Attribution, ExplainStore } from '../explain/explain-store.js';
import { authenticate } from '../ingress/authenticate.js';
import { decodeBody } from '../ingress/decode-body.js';
import type { InflightLimiter, Reservation } from '../ingress/inflight-limiter.js';
import {
  type BodyLimits,
  bufferedBody,
  checkDeclaredLength,
  overloaded,
  readBody,
} from '../ingress/read-body.js';
import { correlationIdOf, mintRequestId } from '../ingress/request-id.js';
import { checkCleartext } from '../ingress/tls-gate.js';
import { ingressParent } from '../ingress/trace.js';
import type { ProxyMetrics } from '../telemetry/metrics.js';
import type { RequestTraces } from '../telemetry/request-traces.js';
import type { HandledResponse } from './handled-response.js';
import { type PassthroughCall, type PassthroughDeps, passthrough } from './passthrough.js';
import { holdsForTenancy, type TenancyGate } from './tenancy-gate.js';
import { writeResponse } from './write-response.js';

export interface HandlerDeps {
  readonly pipeline: ProxyPipeline;
  readonly tokens: TokenTable;
  readonly limiter: InflightLimiter;
  readonly metrics: ProxyMetrics;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  /** How long a request body may take to arrive (408 past it). */
  readonly bodyTimeoutMs: number;
  readonly allowCleartextMutation: boolean;
  readonly passthrough: PassthroughDeps;
  /** Where pipeline decisions are kept for explain; absent when debug endpoints are off. */
  readonly explain: ExplainStore | undefined;
  /** Holds tenant traffic until the shared index is known to filter exactly. */
  readonly tenancyGate: Pick<TenancyGate, 'ready' | 'admit'>;
  /** Request spans for OTLP export; absent when tracing is off. */
  readonly traces?: RequestTraces;
}

/** Node's headers (names already lower-case), repeated ones joined. */
function lowerHeaders(incoming: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  const headers = incoming.headers;
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * A copy of `headers` the handler may add to (request id, connection, length).
 * Copied member by member: in optimised code V8 gives an object made by a spread
 * and then extended a new hidden class each time, and Node's header writer read
 * every one of them megamorphically.
 */
function ownHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    const value = headers[name] as string;
    if (name === '__proto__')
      Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
    else out[name] = value;
  }
  return out;
}

// A target without `?`: one shared, frozen query (nothing writes to a request's query).
const NO_QUERY: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** The raw request target, never normalised: `..` segments must reach the classifier as sent. */
function splitTarget(url: string | undefined): { path: string; query: Record<string, string> } {
  const target = url ?? '/';
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  const query = q < 0 ? NO_QUERY : Object.fromEntries(new URLSearchParams(target.slice(q + 1)));
  return { path, query };
}

function principalOf(result: ReturnType<typeof authenticate>): Principal | undefined {
  if (!result.ok) throw new ProxyError('auth_failed', 'missing or unknown bearer token');
  const p = result.principal;
  if (p === null) return undefined;
  return p.tenant === null ? { id: p.name } : { id: p.name, tenant: p.tenant };
}

/** Whose share of the in-flight budget a request spends: its tenant, else its principal. */
function budgetKey(principal: Principal | undefined, headers: Record<string, string>): string {
  if (principal !== undefined) return principal.tenant ?? `principal:${principal.id}`;
  return headers['x-tenant'] ?? 'anonymous';
}

// Each deployment's body limits, as one object made once.
const bodyLimits = new WeakMap<HandlerDeps, BodyLimits>();

function bodyLimitsOf(deps: HandlerDeps): BodyLimits {
  let limits = bodyLimits.get(deps);
  if (limits === undefined) {
    limits = { maxBytes: deps.maxBodyBytes, deadlines: new DeadlineQueue(deps.bodyTimeoutMs) };
    bodyLimits.set(deps, limits);
  }
  return limits;
}

/** The whole body, charged to `reservation` as it arrives: at once when it came with the headers. */
function readRequestBody(
  deps: HandlerDeps,
  incoming: IncomingMessage,
  headers: Record<string, string>,
  reservation: Reservation,
): Uint8Array | Promise<Uint8Array> {
  checkDeclaredLength(headers['content-length'], deps.maxBodyBytes);
  const limits = bodyLimitsOf(deps);
  return bufferedBody(incoming, reservation, limits) ?? readBody(incoming, reservation, limits);
}

/** `raw` decoded by its `content-encoding` (gzip, deflate, br), the growth charged to `reservation`. */
async function decodedBody(
  deps: HandlerDeps,
  raw: Uint8Array,
  encoding: string,
  reservation: Reservation,
): Promise<Uint8Array> {
  const body = await decodeBody(raw, encoding, deps.maxBodyBytes);
  if (body.length > raw.length && !reservation.charge(body.length - raw.length)) overloaded();
  return body;
}

/** The passthrough forward, or the pipeline with its explain record attributed to the caller. */
async function dispatch(
  deps: HandlerDeps,
  call: Omit<PassthroughCall, 'route'> & { readonly route: Route },
  correlationId: string | undefined,
): Promise<HandledResponse> {
  const { route, principal } = call;
  if (route.kind === 'Passthrough') return passthrough(deps.passthrough, { ...call, route });
  const request: { -readonly [K in keyof ProxyRequest]: ProxyRequest[K] } = {
    method: call.method,
    path: call.path,
    query: call.query,
    headers: call.headers,
    body: call.body.length === 0 ? null : call.body,
    requestId: call.requestId,
    trace: call.trace,
  };
  if (principal !== undefined) request.principal = principal;
  const out = await deps.pipeline.handle(request, route);
  // The pipeline has kept its record; it is attributed before anyone can learn its id.
  const explain = deps.explain;
  if (explain !== undefined) {
    const by = attribution(principal, correlationId);
    if (by !== NOBODY) explain.attribute(call.requestId, by);
  }
  return { status: out.status, headers: ownHeaders(out.headers), body: out.body };
}

const NOBODY: Attribution = {};

/**
 * Who an explain record belongs to: members only for what is known. Assigned onto
 * one literal, not spread from three (no temporary objects per request).
 */
function attribution(principal: Principal | undefined, correlationId: string | undefined): Attribution {
  if (principal === undefined && correlationId === undefined) return NOBODY;
  const out: { principal?: string; tenant?: string; correlationId?: string } = {};
  if (principal !== undefined) {
    out.principal = principal.id;
    if (principal.tenant !== undefined) out.tenant = principal.tenant;
  }
  if (correlationId !== undefined) out.correlationId = correlationId;
  return out;
}

/**
 * One client request end to end: answered and written, then counted (metrics, trace
 * span, log line) once its bytes are on their way, so the bookkeeping adds nothing
 * to the time the client waits.
 */
export async function serveProxyRequest(
  deps: HandlerDeps,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
): Promise<void> {
  const started = performance.now();
  const headers = lowerHeaders(incoming);
  const requestId = mintRequestId();
  const correlationId = correlationIdOf(headers['x-request-id']);
  const method = (incoming.method ?? 'GET').toUpperCase();
  const { path, query } = splitTarget(incoming.url);
  let kind: EndpointKind = 'Unknown';
  let response: HandledResponse;
  let reservation: Reservation | undefined;
  const startMs = deps.traces?.time() ?? 0;
  // The proxy's own span: the client's trace id, a span id of our own (parent of every upstream call);
  // without a client context, a fresh one (its span id is already ours).
  const parent = ingressParent(headers);
  const trace = parent === undefined ? newTraceContext() : childSpan(parent);
  deps.traces?.open(requestId, trace);
  try {
    const principal = principalOf(authenticate(headers.authorization, deps.tokens));
    const route = deps.pipeline.route({ method, path, query });
    kind = route.kind;
    checkCleartext(route, (incoming.socket as TLSSocket).encrypted === true, deps.allowCleartextMutation);
    if (holdsForTenancy(deps.tenancyGate, route)) await deps.tenancyGate.admit();
    reservation = deps.limiter.open(budgetKey(principal, headers));
    // Awaited only when it is still arriving, or encoded (no promise for a body taken at once).
    let body = readRequestBody(deps, incoming, headers, reservation);
    if (body instanceof Promise) body = await body;
    const encoding = headers['content-encoding'];
    if (encoding !== undefined) body = await decodedBody(deps, body, encoding, reservation);
    const call = { route, principal, method, path, query, headers, body, requestId, trace };
    response = await dispatch(deps, call, correlationId);
  } catch (error) {
    if (!isAnswerable(error)) {
      deps.logger.error({ requestId, kind, err: { type: (error as Error).name } }, 'unexpected error');
    }
    const out: ProxyResponse = errorResponse(
      isAnswerable(error) ? error : new ProxyError('upstream_failed', 'internal error'),
    );
    response = { status: out.status, headers: ownHeaders(out.headers), body: out.body };
  } finally {
    deps.explain?.settle(requestId);
    reservation?.release();
  }
  response.headers['x-request-id'] = requestId;
  // Node discards the unread rest of a refused body (413, 429) so the client can read the
  // refusal; a body that stopped arriving (408) is not waited for: the connection closes.
  if (response.status === 408 && !incoming.complete) response.headers.connection = 'close';
  const streaming = writeResponse(outgoing, response, method === 'HEAD');
  if (streaming !== undefined) await streaming;
  const seconds = (performance.now() - started) / 1000;
  deps.traces?.finish(requestId, {
    trace,
    parentSpanId: parent?.spanId,
    startMs,
    endpointKind: kind,
    method,
    status: response.status,
  });
  deps.metrics.record(kind, response.status, seconds);
  // The log line's object is built only when it is written (debug is off in production).
  if (deps.logger.isLevelEnabled('debug'))
    deps.logger.debug(
      { requestId, correlationId, kind, status: response.status, ms: Math.round(seconds * 1000) },
      'request',
    );
}
