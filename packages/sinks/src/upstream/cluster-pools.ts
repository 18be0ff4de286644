// One undici Pool per cluster, created on first use from the op's endpoint or the
// configured one. HTTP/1.1 keep-alive by default; `h2` negotiates HTTP/2 by ALPN
// over TLS and uses prior knowledge (h2c) over plain HTTP. TLS options (CA, client
// certificate) go to undici's connector.
import type { ClusterId, UpstreamEndpoint } from '@flusso/core';
import { ConnectionHandback } from './connection-handback.js';
import { Pool } from './lean-pool.js';
import { CountingClient, PoolCounters, type PoolStats } from './pool-stats.js';
import { UpstreamError } from './upstream-error.js';

/** TLS to an upstream cluster: PEM strings or buffers. */
export interface UpstreamTls {
  readonly ca?: string | Buffer | ReadonlyArray<string | Buffer>;
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
  /** Verify the cluster's certificate (default true). */
  readonly rejectUnauthorized?: boolean;
  /** SNI / certificate name to verify when it differs from the URL host. */
  readonly servername?: string;
}

export type ClusterEndpoint = UpstreamEndpoint & { readonly tls?: UpstreamTls };

export interface ClusterPoolsOptions {
  readonly clusters: ReadonlyMap<ClusterId, ClusterEndpoint>;
  /** TLS for clusters whose entry has none. */
  readonly tls?: UpstreamTls;
  /** How long an idle pooled connection is kept (undici `keepAliveTimeout`). */
  readonly keepAliveTimeoutMs: number;
}

/** A cluster's pool, its counters and its connection handback, as `acquire` hands them out. */
export interface ClusterPool {
  readonly url: string;
  readonly protocol: UpstreamEndpoint['protocol'];
  readonly pool: Pool;
  readonly counters: PoolCounters;
  readonly handback: ConnectionHandback;
}

export class ClusterPools {
  private readonly entries = new Map<ClusterId, ClusterPool>();
  private readonly counters = new Map<ClusterId, PoolCounters>();

  constructor(private readonly options: ClusterPoolsOptions) {}

  /** The cluster's pool and counters (the same object while its endpoint stays); throws `bad_endpoint` (unconfigured) when no endpoint is known. */
  acquire(cluster: ClusterId, endpoint: UpstreamEndpoint | undefined): ClusterPool {
    const configured = this.options.clusters.get(cluster);
    const resolved = endpoint ?? configured;
    if (resolved === undefined) {
      throw new UpstreamError('bad_endpoint', `no endpoint for cluster ${cluster}`, {
        context: { cluster, reason: 'unconfigured' },
      });
    }
    const current = this.entries.get(cluster);
    if (current !== undefined && current.url === resolved.url && current.protocol === resolved.protocol) {
      return current;
    }
    const counters = this.countersFor(cluster);
    // A new endpoint for the cluster (placement moved it): drain the old pool.
    if (current !== undefined) void current.pool.close().catch(() => undefined);
    const pool = this.createPool(resolved, configured?.tls ?? this.options.tls, counters);
    const entry: ClusterPool = {
      url: resolved.url,
      protocol: resolved.protocol,
      pool,
      counters,
      handback: current?.handback ?? new ConnectionHandback(),
    };
    this.entries.set(cluster, entry);
    return entry;
  }

  stats(cluster: ClusterId): PoolStats | undefined {
    return this.counters.get(cluster)?.snapshot();
  }

  clusters(): ClusterId[] {
    return [...this.counters.keys()];
  }

  async close(): Promise<void> {
    const pools = [...this.entries.values()].map((e) => e.pool);
    this.entries.clear();
    await Promise.all(pools.map((p) => p.close().catch(() => undefined)));
  }

  private countersFor(cluster: ClusterId): PoolCounters {
    let counters = this.counters.get(cluster);
    if (counters === undefined) {
      counters = new PoolCounters();
      this.counters.set(cluster, counters);
    }
    return counters;
  }

  private createPool(endpoint: UpstreamEndpoint, tls: UpstreamTls | undefined, counters: PoolCounters): Pool {
    let origin: URL;
    try {
      origin = new URL(endpoint.url);
    } catch (cause) {
      throw new UpstreamError('bad_endpoint', 'invalid upstream endpoint url', {
        context: { reason: 'invalid_endpoint' },
        cause,
      });
    }
    if (origin.protocol !== 'http:' && origin.protocol !== 'https:') {
      throw new UpstreamError('bad_endpoint', 'upstream endpoint must be http or https', {
        context: { reason: 'invalid_endpoint' },
      });
    }
    const h2 = endpoint.protocol === 'h2';
    const connect: Record<string, unknown> = {};
    if (tls !== undefined && origin.protocol === 'https:') {
      if (tls.ca !== undefined) connect.ca = tls.ca;
      if (tls.cert !== undefined) connect.cert = tls.cert;
      if (tls.key !== undefined) connect.key = tls.key;
      if (tls.rejectUnauthorized !== undefined) connect.rejectUnauthorized = tls.rejectUnauthorized;
      if (tls.servername !== undefined) connect.servername = tls.servername;
    }
    // h2 over plain HTTP: prior knowledge (undici's `useH2c`, not in its Pool typings).
    if (h2 && origin.protocol === 'http:') connect.useH2c = true;
    const pool = new Pool(origin.origin, {
      allowH2: h2,
      connect,
      keepAliveTimeout: this.options.keepAliveTimeoutMs,
      // The per-request deadline is enforced by the upstream; undici's own stays out of the way.
      headersTimeout: 0,
      bodyTimeout: 0,
      // Its clients count the requests each connection carried (pool stats: reused).
      factory: (origin, options) => new CountingClient(origin, options, counters),
    });
    pool.on('connect', () => {
      counters.opened += 1;
    });
    return pool;
  }
}
