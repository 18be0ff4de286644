// The worker role assembled from the lock: the builder and sinks, the consumer
// group, build versions, dead letters, and re-reading index layouts after a rebalance.
import type { IndexName, Sink } from '@flusso/core';
import { systemClock } from '@flusso/core';
import { failurePolicies, pollDeadLetterCounts, resolveSourceUrl } from '@flusso/daemon';
import { KafkaWriteConsumer } from '@flusso/sinks/kafka';
import pg from 'pg';
import { ConcreteBackends } from '../backends.js';
import { readBuildVersion } from './build-version.js';
import { ensureIndexes } from './ensure-indexes.js';
import { changeTopicOf } from './kafka-connection.js';
import type { KafkaStatus } from './kafka-status.js';
import { applyBatch, serialized } from './kafka-worker.js';
import { openSinks, type RoleContext, skipsAny } from './role-context.js';

/** Partitions a worker applies at once. */
const WORKER_CONCURRENCY = 4;

/** One run of the worker role, until shutdown or a failure. */
export async function workerOnce(o: RoleContext): Promise<void> {
  const { state } = o;
  if (o.role === 'worker') state.status.phase = 'starting';
  state.workerStarted();
  const backends = new ConcreteBackends(o.io.env, o.log);
  const builder = await backends.builder(o.lock);
  const sinks = await openSinks(o, backends);
  await ensureIndexes(builder.indexes(), sinks);
  // Only `skip` writes dead letters: a stop-only config needs no store (as in one-process mode).
  const policies = failurePolicies(o.lock);
  const deadLetters = skipsAny(o.lock) ? await backends.deadLetters(o.lock) : null;
  const sampling = new AbortController();
  const counts = deadLetters
    ? pollDeadLetterCounts(deadLetters, (c) => state.observer.onDeadLetterCounts?.(c), {
        clock: systemClock,
        intervalMs: o.pollMs,
        signal: sampling.signal,
      })
    : Promise.resolve();
  const versions = new pg.Pool({
    connectionString: resolveSourceUrl(o.lock.config.source, o.io.env),
    max: 1,
  });
  versions.on('error', (error) => o.log.warn({ err: error.message }, 'postgres pool connection error'));
  const pipeline = o.lock.config.pipeline;
  let crashed: (error: unknown) => void = () => undefined;
  const crash = new Promise<never>((_, reject) => {
    crashed = reject;
  });
  let layoutStale = false;
  const consumer = new KafkaWriteConsumer({
    ...changeTopicOf(pipeline, o.io.env),
    clientId: 'flusso-worker',
    groupId: pipeline.group,
    sessionTimeoutMs: pipeline.session_timeout_secs * 1000,
    onCrash: (error) => crashed(error),
    onCommitted: (topic, partition, offset, lag) => state.committed(topic, partition, offset, lag),
    // Partitions that moved here may have been written under a layout this worker
    // never saw (a TRUNCATE rebuild swapped generations): re-read it before writing.
    onGroupJoin: () => {
      layoutStale = true;
      // The status lists the partitions this member committed since its last (re)join.
      state.workerStarted();
    },
    // Partitions' builds overlap (the builder's pool has 4 connections); writes and flushes take turns.
    partitionsConsumedConcurrently: WORKER_CONCURRENCY,
  });
  const exclusive = serialized();
  try {
    await consumer.run((batch) =>
      applyBatch(
        {
          builder,
          sinks,
          readVersion: () => readBuildVersion(versions),
          onRejection: (index: IndexName) => policies.perIndex[index] ?? policies.default,
          log: o.log,
          deadLetters,
          observer: state.observer,
          onFlushed: (consumed, documents) =>
            state.batchFlushed(consumed.partition, consumed.records.length, documents),
          exclusive: (step) =>
            exclusive(async () => {
              if (layoutStale) {
                layoutStale = false;
                await ensureIndexes(builder.indexes(), sinks);
              }
              return step();
            }),
          relayout: (index) =>
            ensureIndexes(
              builder.indexes().filter((spec) => spec.name === index),
              sinks,
            ),
        },
        batch,
      ),
    );
    o.log.info({ group: pipeline.group }, 'worker joined the consumer group');
    if (o.role === 'worker') await markWorkerLive(state, sinks, builder.indexes());
    await Promise.race([
      crash,
      new Promise((resolve) => o.io.shutdown.addEventListener('abort', resolve, { once: true })),
    ]);
  } finally {
    await consumer.stop(10_000).catch(() => undefined);
    sampling.abort();
    await counts;
    await deadLetters?.close().catch(() => undefined);
    for (const sink of sinks) await sink.close().catch(() => undefined);
    await versions.end().catch(() => undefined);
    await backends.close();
  }
}

/** A worker-only process is live once it joined; its indexes show the sinks' seeded state. */
async function markWorkerLive(
  state: KafkaStatus,
  sinks: readonly Sink[],
  specs: readonly { readonly name: IndexName }[],
): Promise<void> {
  for (const spec of specs) {
    let seeded = true;
    for (const sink of sinks) seeded = seeded && (await sink.isSeeded(spec.name));
    state.status.indexes.set(spec.name, seeded ? 'seeded' : 'pending');
  }
  state.status.phase = 'live';
}
