// The proxy's upstream on undici: one keep-alive Pool per cluster (HTTP/1.1, or
// HTTP/2 when the cluster's endpoint says `h2`), per-pool stats, a per-request
// deadline, and a per-cluster circuit breaker on transport failures. An HTTP
// error status is a reply; only a missing reply throws.
import { Readable } from 'node:stream';
import { type Clock, type ClusterId, systemClock } from '@flusso/core';
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

export class UndiciUpstream implements Upstream {
  private readonly pools: ClusterPools;
  private readonly breakers = new Map<ClusterId, CircuitBreaker>();
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly breakerThreshold: number;
  private readonly breakerCooldownMs: number;
  private closed = false;

  constructor(options: UndiciUpstreamOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.timeoutMs = options.timeoutMs ?? 30_000;
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
    const { breaker, dispatch } = this.prepare(op, request);
    const deadline = new Deadline(this.timeoutMs);
    try {
      const { tag, result } = dispatch({ body: op.body, signal: deadline.signal });
      const res = await result;
      const body = new Uint8Array(await res.body.arrayBuffer());
      breaker.success();
      // undici marks the connection idle in a microtask after the body ends; let it,
      // so a caller's next request rides this connection instead of opening another.
      await new Promise<void>((resolve) => setImmediate(resolve));
      return {
        status: res.statusCode,
        reused: tag.resolveReused(),
        headers: flattenHeaders(res.headers),
        body,
      };
    } catch (error) {
      throw this.failed(breaker, cluster, deadline, error);
    } finally {
      deadline.clear();
    }
  }

  /** Resolve the pool and pass the breaker; nothing is dispatched when either refuses. */
  private prepare(op: UpstreamOp, request: UpstreamRequest) {
    const cluster = op.target.cluster;
    if (this.closed) {
      throw new UpstreamError('closed', 'upstream is closed', {
        context: { cluster, reason: 'closed' },
      });
    }
    const { pool, counters } = this.pools.acquire(cluster, op.target.endpoint);
    const breaker = this.breakerFor(cluster);
    if (!breaker.admit()) {
      throw new UpstreamError('circuit_open', `circuit open for cluster ${cluster}`, {
        context: { cluster, reason: 'circuit_open' },
      });
    }
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
    deadline: Deadline,
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
