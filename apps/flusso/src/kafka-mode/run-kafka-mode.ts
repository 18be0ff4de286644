// `flusso run` with `[pipeline] mode = "kafka"`: `--role capture` streams changes
// into the change topic, `--role worker` joins the consumer group and builds and
// flushes, `--role all` (the default) runs both in this process. Runs until
// SIGINT/SIGTERM; a transient failure restarts the role with backoff.

import type { Sink } from '@flusso/core';
import {
  backoffDelay,
  describeError,
  FlussoError,
  type IndexName,
  isFlussoError,
  systemClock,
} from '@flusso/core';
import { configuredSinks, type FlussoLock, resolveSourceUrl } from '@flusso/daemon';
import { KafkaWriteConsumer } from '@flusso/sinks/kafka';
import pg from 'pg';
import type { Logger } from 'pino';
import { ConcreteBackends } from '../backends.js';
import type { CliIo } from '../cli/io.js';
import { readBuildVersion } from './build-version.js';
import { runCaptureRole } from './capture-role.js';
import { ensureIndexes } from './ensure-indexes.js';
import { changeTopicOf } from './kafka-connection.js';
import { applyBatch } from './kafka-worker.js';
import { KafkaRecordProducer } from './record-producer.js';

export type KafkaRole = 'capture' | 'worker' | 'all';

/** `--role`: capture, worker, or all (both in one process). */
export function kafkaRoleOf(flag: string | undefined): KafkaRole {
  const role = flag ?? 'all';
  if (role === 'capture' || role === 'worker' || role === 'all') return role;
  throw new FlussoError('config_invalid', `--role: must be capture, worker or all (got ${role})`);
}

export interface KafkaModeOptions {
  readonly lock: FlussoLock;
  readonly role: KafkaRole;
  readonly io: CliIo;
  readonly log: Logger;
  readonly slot: string;
  readonly publication: string;
  readonly skipBackfill: boolean;
}

const BACKOFF = { initialMs: 1000, maxMs: 30_000, factor: 2, maxRetries: Number.POSITIVE_INFINITY };

async function openSinks(o: KafkaModeOptions, backends: ConcreteBackends): Promise<Sink[]> {
  const sinks: Sink[] = [];
  for (const [name, config] of configuredSinks(o.lock)) sinks.push(await backends.sink(name, config, o.lock));
  return sinks;
}

async function captureOnce(o: KafkaModeOptions): Promise<void> {
  const backends = new ConcreteBackends(o.io.env, o.log);
  const capture = await backends.capture(o.lock, {
    slot: o.slot,
    publication: o.publication,
    managePublication: o.lock.config.source.manage_publication,
  });
  const builder = await backends.builder(o.lock);
  const sinks = await openSinks(o, backends);
  const records = await KafkaRecordProducer.open(changeTopicOf(o.lock.config.pipeline, o.io.env));
  try {
    await runCaptureRole(
      { capture, builder, records, sinks, log: o.log, skipBackfill: o.skipBackfill },
      o.io.shutdown,
    );
  } finally {
    await records.close();
    await capture.close().catch(() => undefined);
    for (const sink of sinks) await sink.close().catch(() => undefined);
    await backends.close();
  }
}

async function workerOnce(o: KafkaModeOptions): Promise<void> {
  const backends = new ConcreteBackends(o.io.env, o.log);
  const builder = await backends.builder(o.lock);
  const sinks = await openSinks(o, backends);
  await ensureIndexes(builder.indexes(), sinks);
  const versions = new pg.Pool({
    connectionString: resolveSourceUrl(o.lock.config.source, o.io.env),
    max: 1,
  });
  versions.on('error', (error) => o.log.warn({ err: error.message }, 'postgres pool connection error'));
  const pipeline = o.lock.config.pipeline;
  const policies = new Map<string, 'stop' | 'skip'>(
    o.lock.indexes.map((i) => [i.name, i.on_error ?? o.lock.config.on_error]),
  );
  let crashed: (error: unknown) => void = () => undefined;
  const crash = new Promise<never>((_, reject) => {
    crashed = reject;
  });
  const consumer = new KafkaWriteConsumer({
    ...changeTopicOf(pipeline, o.io.env),
    clientId: 'flusso-worker',
    groupId: pipeline.group,
    sessionTimeoutMs: pipeline.session_timeout_secs * 1000,
    onCrash: (error) => crashed(error),
  });
  try {
    await consumer.run((batch) =>
      applyBatch(
        {
          builder,
          sinks,
          readVersion: () => readBuildVersion(versions),
          onRejection: (index: IndexName) => policies.get(index) ?? o.lock.config.on_error,
          log: o.log,
        },
        batch,
      ),
    );
    o.log.info({ group: pipeline.group }, 'worker joined the consumer group');
    await Promise.race([
      crash,
      new Promise((resolve) => o.io.shutdown.addEventListener('abort', resolve, { once: true })),
    ]);
  } finally {
    await consumer.stop(10_000).catch(() => undefined);
    for (const sink of sinks) await sink.close().catch(() => undefined);
    await versions.end().catch(() => undefined);
    await backends.close();
  }
}

/** Runs `once` until shutdown, restarting it with backoff after a failure. */
async function supervised(name: string, o: KafkaModeOptions, once: () => Promise<void>): Promise<void> {
  let attempt = 0;
  while (!o.io.shutdown.aborted) {
    const startedAt = Date.now();
    try {
      await once();
      if (o.io.shutdown.aborted) return;
    } catch (error) {
      if (o.io.shutdown.aborted) return;
      // A config or schema error will not heal by itself: stop the process.
      if (isFlussoError(error) && !error.retryable) throw error;
      if (Date.now() - startedAt >= BACKOFF.maxMs) attempt = 0;
      const delay = backoffDelay(BACKOFF, attempt);
      attempt += 1;
      o.log.warn(
        { role: name, err: describeError(error), delayMs: delay },
        'role stopped on a failure; restarting',
      );
      await systemClock.sleep(delay, o.io.shutdown).catch(() => undefined);
    }
  }
}

export async function runKafkaMode(o: KafkaModeOptions): Promise<number> {
  const roles: Promise<void>[] = [];
  if (o.role !== 'worker') roles.push(supervised('capture', o, () => captureOnce(o)));
  if (o.role !== 'capture') roles.push(supervised('worker', o, () => workerOnce(o)));
  await Promise.all(roles);
  return 0;
}
