// The worker role assembled from the lock: the builder and sinks, the consumer
// group, build versions, dead letters, and re-reading index layouts after a rebalance.
import type { IndexName, IndexSpec } from '@flusso/core';
import { FlussoError, systemClock } from '@flusso/core';
import { failurePolicies, pollDeadLetterCounts, resolveSourceUrl } from '@flusso/daemon';
import { KafkaWriteConsumer } from '@flusso/sinks/kafka';
import pg from 'pg';
import { ConcreteBackends } from '../backends.js';
import { readBuildVersion } from './build-version.js';
import { KafkaTopicProgress } from './change-topic-admin.js';
import { ensureIndexes } from './ensure-indexes.js';
import { changeTopicOf } from './kafka-connection.js';
import { applyBatch, serialized } from './kafka-worker.js';
import { openProbes, openSinks, type RoleContext, skipsAny } from './role-context.js';
import { pollWorkerProgress, sampleWorkerProgress } from './worker-progress.js';

/** Partitions a worker applies at once. */
const WORKER_CONCURRENCY = 4;

/** One run of the worker role, until shutdown or a failure. */
export async function workerOnce(o: RoleContext): Promise<void> {
  const { state } = o;
  if (o.role === 'worker') state.status.phase = 'starting';
  state.workerStarted();
  const backends = new ConcreteBackends(o.io.env, o.log);
  const builder = await backends.builder(o.lock);
  const sinks = await openSinks(o, backends, state);
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
    // The consumer gave up for good (a non-retriable broker answer): the role fails and restarts.
    onCrash: (error) =>
      crashed(
        new FlussoError('sink_transient', 'the change topic consumer stopped', {
          context: { topic: pipeline.topic, reason: (error as { name?: string }).name ?? 'error' },
          cause: error,
        }),
      ),
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
  let progress: (() => Promise<void>) | null = null;
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
          onRebuilt: (index, documents) => state.buildRebuilt(index, documents),
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
    state.roleRunning('worker');
    if (o.role === 'worker') progress = await watchProgress(o, backends, builder.indexes());
    await Promise.race([
      crash,
      // A shutdown may have come while the consumer was still joining its group.
      new Promise((resolve) => {
        if (o.io.shutdown.aborted) resolve(undefined);
        else o.io.shutdown.addEventListener('abort', resolve, { once: true });
      }),
    ]);
  } finally {
    await consumer.stop(10_000).catch(() => undefined);
    await progress?.();
    sampling.abort();
    await counts;
    await deadLetters?.close().catch(() => undefined);
    for (const sink of sinks) await sink.close().catch(() => undefined);
    await versions.end().catch(() => undefined);
    await backends.close();
  }
}

/**
 * A worker-only process samples the live state (layouts, journal, group offsets)
 * every poll interval, from its first sample on; returns the stop function.
 */
async function watchProgress(
  o: RoleContext,
  backends: ConcreteBackends,
  specs: readonly IndexSpec[],
): Promise<() => Promise<void>> {
  // Probes never write: no write aliases or settings to keep up on every sample.
  const probes = await openProbes(o, backends);
  const journal = await backends.reindexJournal(o.lock, {
    slot: o.slot,
    publication: o.publication,
    managePublication: o.lock.config.source.manage_publication,
  });
  const pipeline = o.lock.config.pipeline;
  const group = await KafkaTopicProgress.open(
    changeTopicOf(pipeline, o.io.env),
    pipeline.group,
    systemClock,
    'flusso-worker-admin',
  );
  const parts = { state: o.state, probes, specs, journal, group, log: o.log };
  // The first sample before the phase shows: a worker is `live` only on current state.
  await sampleWorkerProgress(parts).catch(() => undefined);
  if (o.state.status.phase === 'starting') o.state.status.phase = 'live';
  const stop = new AbortController();
  const polling = pollWorkerProgress(parts, { intervalMs: o.pollMs, signal: stop.signal });
  return async () => {
    stop.abort();
    await polling;
    await group.close();
    await journal.close().catch(() => undefined);
    for (const sink of probes) await sink.close().catch(() => undefined);
  };
}
