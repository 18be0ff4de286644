// The composition root of `osproxy apply`: settings → the upstream client, the
// bulk applier, the consumer group on the async-write topic, and an admin
// listener serving the applier's metrics.

import { FlussoError, parseClusterId } from '@flusso/core';
import { KafkaWriteConsumer } from '@flusso/sinks/kafka';
import { UndiciUpstream } from '@flusso/sinks/upstream';
import type { Logger } from 'pino';
import { kafkaConnectionOf } from '../config/kafka-connection.js';
import type { Settings } from '../config/settings.js';
import { adminBindOf, startAdminListener } from '../server/admin-listener.js';
import { upstreamTlsOf } from '../server/compose.js';
import { createApplyMetrics } from '../telemetry/apply-metrics.js';
import { type ApplyTopics, applyBatchHandler } from './apply-batch.js';
import { upstreamTransport } from './upstream-transport.js';
import { BulkWriteApplier } from './write-applier.js';

const CLUSTER = parseClusterId('default');

export interface RunningApplier {
  readonly adminUrl: string | undefined;
  /** Resolves with the error when the consumer stopped on its own. */
  readonly crashed: Promise<unknown>;
  /** Finishes the batch in flight (committing it), leaves the group, closes connections. */
  stop(): Promise<void>;
}

export function applyTopicsOf(settings: Settings): ApplyTopics {
  return {
    outcomes: settings.apply_outcome_topic ?? `${settings.kafka_topic}-outcomes`,
    deadLetters: settings.apply_dead_letter_topic ?? `${settings.kafka_topic}-dead-letters`,
  };
}

function adminListener(settings: Settings, metrics: ReturnType<typeof createApplyMetrics>) {
  const bind = adminBindOf(settings.apply_admin_bind, settings.admin_token, 'apply_admin_bind');
  return startAdminListener(bind, {
    metrics,
    explain: undefined,
    beforeScrape: () => undefined,
    adminToken: settings.admin_token,
  });
}

export async function startApplier(settings: Settings, logger: Logger): Promise<RunningApplier> {
  const connection = kafkaConnectionOf(settings);
  if (connection === undefined)
    throw new FlussoError('config_invalid', 'kafka_brokers: osproxy apply needs brokers');
  const metrics = createApplyMetrics();
  const upstream = new UndiciUpstream({
    clusters: new Map([
      [CLUSTER, { url: settings.upstream, protocol: settings.upstream_http2 ? 'h2' : 'http1' }],
    ]),
    timeoutMs: settings.upstream_timeout_ms,
    breakerThreshold: settings.breaker_threshold,
    breakerCooldownMs: settings.breaker_cooldown_ms,
    ...upstreamTlsOf(settings),
  });
  const applier = new BulkWriteApplier({
    transport: upstreamTransport(upstream, CLUSTER),
    onRetry: ({ attempt, reason, pending }) => {
      metrics.retries.inc();
      logger.warn({ attempt, reason, pending }, 'bulk retry');
    },
  });
  const topics = applyTopicsOf(settings);
  let crash: (error: unknown) => void = () => undefined;
  const crashed = new Promise<unknown>((resolve) => {
    crash = resolve;
  });
  const consumer = new KafkaWriteConsumer({
    ...connection,
    topic: settings.kafka_topic,
    groupId: settings.apply_group,
    sessionTimeoutMs: settings.apply_session_timeout_ms,
    onCrash: crash,
  });
  const admin = await adminListener(settings, metrics);
  try {
    await consumer.run(applyBatchHandler({ applier, topics, metrics, logger }));
  } catch (error) {
    admin.server?.close();
    await upstream.close();
    throw error;
  }
  logger.info(
    { topic: settings.kafka_topic, group: settings.apply_group, ...topics, adminUrl: admin.url },
    'osproxy apply consuming',
  );
  return {
    adminUrl: admin.url,
    crashed,
    async stop() {
      await consumer.stop();
      admin.server?.close();
      admin.server?.closeAllConnections();
      await upstream.close();
    },
  };
}
