// The proxy's upstream on undici: one keep-alive Pool per cluster (HTTP/1.1, or
// HTTP/2 when the cluster's endpoint says `h2`), per-pool stats, a per-request
// deadline, and a per-cluster circuit breaker on transport failures. An HTTP
// error status is a reply; only a missing reply throws.
import { Readable } from 'node:stream';
import { type Clock, type ClusterId, DeadlineQueue, Due, systemClock } from '@flusso/core';
import type { Dispatcher } from 'undici';
import { type BreakerState, CircuitBreaker } from './circuit-breaker.js';
import { type ClusterEndpoint, ClusterPools, type UpstreamTls } from './cluster-pools.js';
import type {
  BulkOp,
  CursorOp,
  ForwardOp,
  ReadOp,
  SearchOp,
  StreamedUpstreamResponse,
  Upstream,
  UpstreamOp,
  UpstreamResponse,
  WriteOp,
} from './contract.js';
import { type PoolStats, tagDispatch } from './pool-stats.js';
import { UpstreamError } from './upstream-error.js';
import { isInvalidRequest, transportError, UpstreamDeadline } from './upstream-errors.js';
import { buildUpstreamRequest, type UpstreamRequest } from './upstream-request.js';

export interface UndiciUpstreamOptions {
  /** Configured clusters; an op's `target.endpoint` wins over the url/protocol here, TLS comes from here. */
  readonly clusters?: ReadonlyMap<ClusterId, ClusterEndpoint>;
  /** TLS for https clusters without their own `tls`. */
  readonly tls?: UpstreamTls;
  /** Per-request deadline: until the whole reply is read (until the reply headers for a stream). Default 30 000. */
  readonly timeoutMs?: number;
  /** Drives the circuit breaker. Default `systemClock`. */
  readonly clock?: Clock;
  /** Consecutive transport failures that open a cluster's circuit. Default 5. */
  readonly breakerThreshold?: number;
  /** How long an open circuit sheds before one trial request. Default 10 000. */
  readonly breakerCooldownMs?: number;
  /** Idle time before a pooled connection is closed (a server's Keep-Alive hint wins). Default 10 000. */
  readonly keepAliveTimeoutMs?: number;
}

type ResponseHeaders = Dispatcher.ResponseData['headers'];

function flattenHeaders(headers: ResponseHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Aborts a request when its deadline passes (real time: it bounds real I/O). */
class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  fired = false;

  constructor(timeoutMs: number) {
    this.timer = setTimeout(() => {
      this.fired = true;
      this.controller.abort(new UpstreamDeadline(timeoutMs));
    }, timeoutMs);
    this.timer.unref();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}

interface BufferedResult {
  readonly status: number;
  /** undici's raw header list (a record is made of it once the reply is complete). */
  readonly rawHeaders: Buffer[];
  readonly body: Uint8Array;
}

/** A raw header name or value as text (undici hands them over as latin1 bytes). */
function headerText(value: Buffer | string | string[]): string {
  if (typeof value === 'string') return value;
  return Array.isArray(value) ? value.join(', ') : value.toString('latin1');
}

/** undici's raw header list as lower-case names, repeated headers joined with `, `. */
function rawHeaders(raw: readonly (Buffer | string | string[])[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = headerText(raw[i] as Buffer).toLowerCase();
    const value = headerText(raw[i + 1] as Buffer);
    const seen = Object.hasOwn(out, name) ? out[name] : undefined;
    if (seen === undefined) {
      if (name === '__proto__')
        Object.defineProperty(out, name, { value, enumerable: true, configurable: true, writable: true });
      else out[name] = value;
    } else out[name] = `${seen}, ${value}`;
  }
  return out;
}

// One handler for every reply's `done.catch` (a rejection nobody awaited is not an error here).
const ignore = (): undefined => undefined;

/**
 * A dispatch handler that collects the whole reply (status, headers, body chunks)
 * and settles `done` once; the deadline (one queue for all replies) aborts the
 * request through undici's own abort.
 */
class BufferedReply extends Due implements Dispatcher.DispatchHandler {
  readonly done: Promise<BufferedResult>;
  readonly deadline: { fired: boolean; clear(): void } = this;
  fired = false;
  readonly #deadlines: DeadlineQueue;
  #resolve!: (result: BufferedResult) => void;
  #reject!: (error: unknown) => void;
  #abort: ((reason: Error) => void) | undefined;
  #reason: Error | undefined;
  #status = 0;
  #headers: Buffer[] = [];
  readonly #chunks: Buffer[] = [];
  #size = 0;

  constructor(deadlines: DeadlineQueue) {
    super();
    this.done = new Promise<BufferedResult>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.done.catch(ignore);
    this.#deadlines = deadlines;
    deadlines.add(this);
  }

  expire(): void {
    this.fired = true;
    this.#reason = new UpstreamDeadline(this.#deadlines.timeoutMs);
    this.#abort?.(this.#reason);
  }

  clear(): void {
    this.#deadlines.remove(this);
  }

  onConnect(abort: (reason?: Error) => void): void {
    if (this.#reason !== undefined) abort(this.#reason);
    else this.#abort = abort;
  }

  onHeaders(statusCode: number, headers: Buffer[]): boolean {
    if (statusCode < 200) return true; // informational: the real reply follows
    this.#status = statusCode;
    this.#headers = headers;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.#chunks.push(chunk);
    this.#size += chunk.length;
    return true;
  }

  onComplete(): void {
    const chunks = this.#chunks;
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, this.#size);
    this.#resolve({ status: this.#status, rawHeaders: this.#headers, body });
  }

  onError(error: Error): void {
    this.#reject(error);
  }
}

/**
 * A buffered reply as the caller sees it. Its headers are decoded on first read (most
 * replies are reshaped without them) by a getter on this class's prototype: one shared
 * hidden class, unlike an object literal with a getter, which costs a new map and
 * accessor pair in the old generation per reply (osproxy README, "Fourth round").
 */
class BufferedResponse implements UpstreamResponse {
  readonly status: number;
  readonly reused: boolean;
  readonly body: Uint8Array;
  readonly #raw: readonly Buffer[];
  #headers: Record<string, string> | undefined;

  constructor(status: number, reused: boolean, raw: readonly Buffer[], body: Uint8Array) {
    this.status = status;
    this.reused = reused;
    this.#raw = raw;
    this.body = body;
  }

  get headers(): Readonly<Record<string, string>> {
    this.#headers ??= rawHeaders(this.#raw);
    return this.#headers;
  }
}

export class UndiciUpstream implements Upstream {
  private readonly pools: ClusterPools;
  private readonly breakers = new Map<ClusterId, CircuitBreaker>();
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly deadlines: DeadlineQueue;
  /** Buffered requests sent and not yet answered, over every cluster. */
  private inFlight = 0;
  private readonly breakerThreshold: number;
  private readonly breakerCooldownMs: number;
  private closed = false;

  constructor(options: UndiciUpstreamOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.deadlines = new DeadlineQueue(this.timeoutMs);
    this.breakerThreshold = options.breakerThreshold ?? 5;
    this.breakerCooldownMs = options.breakerCooldownMs ?? 10_000;
    this.pools = new ClusterPools({
      clusters: options.clusters ?? new Map(),
      keepAliveTimeoutMs: options.keepAliveTimeoutMs ?? 10_000,
      ...(options.tls === undefined ? {} : { tls: options.tls }),
    });
  }

  write(op: WriteOp): Promise<UpstreamResponse> {
    return this.send(op);
  }

  bulk(op: BulkOp): Promise<UpstreamResponse> {
    return this.send(op);
  }

  read(op: ReadOp): Promise<UpstreamResponse> {
    return this.send(op);
  }

  search(op: SearchOp): Promise<UpstreamResponse> {
    return this.send(op);
  }

  cursor(op: CursorOp): Promise<UpstreamResponse> {
    return this.send(op);
  }

  forward(op: ForwardOp): Promise<UpstreamResponse> {
    return this.send(op);
  }

  async forwardStream(op: ForwardOp, body: AsyncIterable<Uint8Array>): Promise<StreamedUpstreamResponse> {
    const request = buildUpstreamRequest(op, true);
    const cluster = op.target.cluster;
    const { breaker, dispatch } = this.prepare(op, request);
    let sourceFailed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        yield* body;
      } catch (error) {
        sourceFailed = true;
        throw error;
      }
    }
    const deadline = new Deadline(this.timeoutMs);
    try {
      const { tag, result } = dispatch({
        body: Readable.from(source(), { objectMode: false }),
        signal: deadline.signal,
        bodyTimeout: this.timeoutMs,
      });
      const res = await result;
      breaker.success();
      return {
        status: res.statusCode,
        reused: tag.resolveReused(),
        headers: flattenHeaders(res.headers),
        body: relayBody(res.body, cluster),
      };
    } catch (error) {
      // The caller's own body failed: nothing was learned about the upstream.
      if (sourceFailed) {
        breaker.release();
        throw error;
      }
      throw this.failed(breaker, cluster, deadline, error);
    } finally {
      deadline.clear();
    }
  }

  /** Connection counters of a cluster's pool; `undefined` before its first dispatch. */
  poolStats(cluster: ClusterId): PoolStats | undefined {
    return this.pools.stats(cluster);
  }

  breakerState(cluster: ClusterId): BreakerState {
    return this.breakers.get(cluster)?.state ?? 'closed';
  }

  /** Clusters that have a pool, for metrics. */
  clusters(): ClusterId[] {
    return this.pools.clusters();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.pools.close();
  }

  private async send(op: UpstreamOp): Promise<UpstreamResponse> {
    const request = buildUpstreamRequest(op);
    const cluster = op.target.cluster;
    const { breaker, pool, counters, handback } = this.admit(op);
    const settling = handback.settled();
    if (settling !== undefined) await settling;
    const reply = new BufferedReply(this.deadlines);
    this.inFlight += 1;
    try {
      // `dispatch` with a handler that keeps the reply's chunks: no response stream,
      // no AbortSignal, one copy of the body.
      const { tag } = tagDispatch(counters, () =>
        pool.dispatch(
          {
            method: request.method as Dispatcher.HttpMethod,
            path: request.path,
            headers: request.headers,
            body: op.body,
          },
          reply,
        ),
      );
      const res = await reply.done;
      breaker.success();
      // undici hands the connection back to the pool in an immediate after the reply ends.
      // Busy (other requests out): continue after it, with the other replies of this loop
      // turn, so a next request rides this connection. Idle: continue at once (the reply
      // reaches its caller a loop phase sooner), and a request sent before then waits instead.
      if (this.inFlight > 1) await new Promise<void>((resolve) => setImmediate(resolve));
      else handback.ended();
      return new BufferedResponse(res.status, tag.resolveReused(), res.rawHeaders, res.body);
    } catch (error) {
      throw this.failed(breaker, cluster, reply.deadline, error);
    } finally {
      this.inFlight -= 1;
      reply.deadline.clear();
    }
  }

  /** Resolve the pool and pass the breaker; nothing is dispatched when either refuses. */
  private admit(op: UpstreamOp) {
    const cluster = op.target.cluster;
    if (this.closed) {
      throw new UpstreamError('closed', 'upstream is closed', {
        context: { cluster, reason: 'closed' },
      });
    }
    const { pool, counters, handback } = this.pools.acquire(cluster, op.target.endpoint);
    const breaker = this.breakerFor(cluster);
    if (!breaker.admit()) {
      throw new UpstreamError('circuit_open', `circuit open for cluster ${cluster}`, {
        context: { cluster, reason: 'circuit_open' },
      });
    }
    return { breaker, pool, counters, handback };
  }

  /** `admit`, plus a `pool.request` dispatcher for the streamed forward. */
  private prepare(op: UpstreamOp, request: UpstreamRequest) {
    const { breaker, pool, counters } = this.admit(op);
    const dispatch = (extra: {
      body: Uint8Array | Readable | null;
      signal: AbortSignal;
      bodyTimeout?: number;
    }) =>
      tagDispatch(counters, () =>
        pool.request({
          method: request.method as Dispatcher.HttpMethod,
          path: request.path,
          headers: request.headers,
          ...extra,
        }),
      );
    return { breaker, dispatch };
  }

  private failed(
    breaker: CircuitBreaker,
    cluster: ClusterId,
    deadline: { readonly fired: boolean },
    error: unknown,
  ): UpstreamError {
    if (!deadline.fired && isInvalidRequest(error)) {
      breaker.release();
      return new UpstreamError('refused_request', 'the upstream request could not be built', {
        context: { cluster, reason: 'invalid_request' },
        cause: error,
      });
    }
    breaker.failure();
    return transportError(deadline.fired ? new UpstreamDeadline(this.timeoutMs) : error, cluster);
  }

  private breakerFor(cluster: ClusterId): CircuitBreaker {
    let breaker = this.breakers.get(cluster);
    if (breaker === undefined) {
      breaker = new CircuitBreaker({
        clock: this.clock,
        threshold: this.breakerThreshold,
        cooldownMs: this.breakerCooldownMs,
      });
      this.breakers.set(cluster, breaker);
    }
    return breaker;
  }
}

/** The reply body as a stream, transport failures mapped to UpstreamError. */
async function* relayBody(body: AsyncIterable<Uint8Array>, cluster: ClusterId): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of body) yield chunk;
  } catch (error) {
    throw transportError(error, cluster);
  }
}
