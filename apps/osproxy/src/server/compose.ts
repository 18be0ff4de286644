// The composition root: settings → upstream pools, reference tenancy, cursor
// sealer, pipeline, metrics. The only place that names concrete backends.
import { randomUUID } from 'node:crypto';
import {
  type ClusterId,
  FlussoError,
  parseClusterId,
  systemClock,
  type UpstreamEndpoint,
} from '@flusso/core';
import {
  CursorSealer,
  docIdCodec,
  headerAllowlist,
  hmacSha256,
  ProxyPipeline,
  parseTimeValue,
  ReferenceTenancy,
  SearchContexts,
} from '@flusso/proxy';
import type { WriteQueue } from '@flusso/sinks';
import { type ClusterEndpoint, UndiciUpstream } from '@flusso/sinks/upstream';
import type { Logger } from 'pino';
import { kafkaConnectionOf } from '../config/kafka-connection.js';
import { readSettingFile } from '../config/setting-file.js';
import type { Settings } from '../config/settings.js';
import { parseTokens } from '../config/tokens.js';
import { ExplainStore } from '../explain/explain-store.js';
import { InflightLimiter } from '../ingress/inflight-limiter.js';
import { createProxyMetrics } from '../telemetry/metrics.js';
import type { RequestTraces } from '../telemetry/request-traces.js';
import { tracedUpstream } from '../telemetry/traced-upstream.js';
import type { AdminDeps } from './admin-listener.js';
import { checkTenancyIndex } from './ensure-index.js';
import { checkPassthroughSettings } from './passthrough-settings.js';
import { dedicatedPlacements, reservedIndices } from './placement-settings.js';
import type { HandlerDeps } from './proxy-handler.js';
import { TenancyGate } from './tenancy-gate.js';

const DEFAULT_CLUSTER = parseClusterId('default');

export interface Composed {
  readonly deps: HandlerDeps;
  readonly admin: AdminDeps;
  readonly upstream: UndiciUpstream;
  readonly queue: WriteQueue | undefined;
  /** Checks the shared index at start, then holds tenant traffic until it is safe. */
  readonly tenancyGate: TenancyGate;
}

function endpoint(url: string, h2: boolean): UpstreamEndpoint {
  return { url, protocol: h2 ? 'h2' : 'http1' };
}

export async function compose(settings: Settings, logger: Logger, traces?: RequestTraces): Promise<Composed> {
  const tokens = parseTokens(settings.tokens);
  checkPassthroughSettings(settings);
  const passthroughCluster = settings.passthrough_cluster
    ? parseClusterId(settings.passthrough_cluster)
    : DEFAULT_CLUSTER;
  const clusters = new Map<ClusterId, ClusterEndpoint>([
    [DEFAULT_CLUSTER, endpoint(settings.upstream, settings.upstream_http2)],
  ]);
  if (settings.passthrough_endpoint !== undefined) {
    clusters.set(passthroughCluster, endpoint(settings.passthrough_endpoint, false));
  } else if (!clusters.has(passthroughCluster)) {
    throw new FlussoError('config_invalid', 'passthrough_cluster: needs passthrough_endpoint');
  }
  const upstream = new UndiciUpstream({
    clusters,
    timeoutMs: settings.upstream_timeout_ms,
    breakerThreshold: settings.breaker_threshold,
    breakerCooldownMs: settings.breaker_cooldown_ms,
    ...upstreamTlsOf(settings),
  });
  const tenancy = new ReferenceTenancy({
    index: settings.index,
    cluster: DEFAULT_CLUSTER,
    // Refuses to start (config_invalid) when these make an index collision certain.
    entries: dedicatedPlacements(settings.dedicated_indices, DEFAULT_CLUSTER),
    reserved: reservedIndices(settings, DEFAULT_CLUSTER, passthroughCluster),
    ...(settings.id_from_body === undefined ? {} : { idFromBody: settings.id_from_body }),
  });
  const explain = settings.debug_endpoints ? new ExplainStore() : undefined;
  const headerAllow = headerAllowlist(settings.forward_header_allow);
  const key = settings.cursor_affinity_key;
  const queue = await writeQueue(settings);
  // Tenant traffic (pipeline and passthrough) is traced; the proxy's own checks are not.
  const tenantUpstream = traces === undefined ? upstream : tracedUpstream(upstream, traces);
  const pipeline = new ProxyPipeline({
    tenancy,
    upstream: tenantUpstream,
    ids: docIdCodec(tenancy.docIdRule),
    sealer: new CursorSealer(key === undefined ? undefined : hmacSha256(key)),
    endpoints: new Map(clusters),
    newId: randomUUID,
    headerAllow,
    classify: { adminPrefixes: settings.admin_prefixes, passthroughPrefixes: settings.passthrough_indices },
    adminCluster: DEFAULT_CLUSTER,
    ...(explain === undefined ? {} : { observer: explain }),
    ...(queue === undefined ? {} : { queue }),
    asyncDefault: settings.async_default,
    maxQueryDepth: settings.max_query_depth,
    contexts: new SearchContexts({
      maxPerTenant: settings.max_open_contexts_per_tenant,
      maxKeepAliveMs: keepAliveMs(settings.max_context_keep_alive),
      clock: systemClock,
    }),
  });
  const metrics = createProxyMetrics();
  const limiter = new InflightLimiter({
    maxBytes: settings.max_inflight_bytes,
    maxBytesPerTenant: settings.max_inflight_bytes_per_tenant,
  });
  if (tokens.size === 0) {
    logger.warn('OPEN DEV MODE: no tokens configured, every request is trusted to name its own tenant');
  }
  if (key === undefined) logger.warn('no cursor_affinity_key: scroll and point-in-time requests are refused');
  const tenancyGate = new TenancyGate(
    () => checkTenancyIndex(upstream, DEFAULT_CLUSTER, settings.index),
    logger,
  );
  return {
    upstream,
    queue,
    tenancyGate,
    deps: {
      tenancyGate,
      pipeline,
      tokens,
      limiter,
      metrics,
      logger,
      maxBodyBytes: settings.max_body_bytes,
      bodyTimeoutMs: settings.body_timeout_ms,
      allowCleartextMutation: settings.allow_cleartext_mutation,
      passthrough: {
        upstream: tenantUpstream,
        cluster: passthroughCluster,
        headerAllow,
        policy: { prefixes: settings.passthrough_indices, principals: settings.passthrough_principals },
      },
      explain,
      ...(traces === undefined ? {} : { traces }),
    },
    admin: {
      metrics,
      explain,
      adminToken: settings.admin_token,
      beforeScrape: () => {
        for (const cluster of upstream.clusters()) {
          const stats = upstream.poolStats(cluster);
          if (stats !== undefined) {
            for (const stat of ['opened', 'dispatched', 'reused'] as const) {
              metrics.pool.set({ cluster, stat }, stats[stat]);
            }
          }
          metrics.breakerOpen.set({ cluster }, upstream.breakerState(cluster) === 'open' ? 1 : 0);
        }
        metrics.tenancyIndexReady.set(tenancyGate.ready ? 1 : 0);
        metrics.inflightBytes.set(limiter.bytes);
      },
    },
  };
}

function keepAliveMs(text: string): number {
  const ms = parseTimeValue(text);
  if (ms === undefined)
    throw new FlussoError('config_invalid', 'max_context_keep_alive: expected a time value');
  return ms;
}

/** The Kafka write queue for async writes, when brokers are configured; kafkajs loads only then. */
async function writeQueue(settings: Settings): Promise<WriteQueue | undefined> {
  const connection = kafkaConnectionOf(settings);
  if (connection === undefined) return undefined;
  const { KafkaWriteQueue } = await import('@flusso/sinks/kafka');
  return new KafkaWriteQueue({ ...connection, topic: settings.kafka_topic });
}

export function readTls(settings: Settings): { cert: Buffer; key: Buffer; ca?: Buffer } | undefined {
  if (settings.tls_cert === undefined || settings.tls_key === undefined) return undefined;
  return {
    cert: readSettingFile(settings.tls_cert, 'tls_cert'),
    key: readSettingFile(settings.tls_key, 'tls_key'),
    ...(settings.tls_client_ca === undefined
      ? {}
      : { ca: readSettingFile(settings.tls_client_ca, 'tls_client_ca') }),
  };
}

/** TLS to the upstream cluster: a private CA when `upstream_tls_ca` names one. */
export function upstreamTlsOf(settings: Settings): { tls?: { ca: Buffer } } {
  const ca = settings.upstream_tls_ca;
  return ca === undefined ? {} : { tls: { ca: readSettingFile(ca, 'upstream_tls_ca') } };
}
