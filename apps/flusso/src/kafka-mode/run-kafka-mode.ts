// `flusso run` with `[pipeline] mode = "kafka"`: `--role capture` streams changes
// into the change topic, `--role worker` joins the consumer group and builds and
// flushes, `--role all` (the default) runs both in this process. Runs until
// SIGINT/SIGTERM; a transient failure restarts the role with backoff.

import type { Sink } from '@flusso/core';
import {
  backoffDelay,
  describeError,
  FlussoError,
  formatLsn,
  type IndexName,
  isFlussoError,
  systemClock,
} from '@flusso/core';
import {
  configuredSinks,
  enabledIndexes,
  type FlussoLock,
  failurePolicies,
  pollDeadLetterCounts,
  resolveSourceUrl,
} from '@flusso/daemon';
import { KafkaWriteConsumer } from '@flusso/sinks/kafka';
import pg from 'pg';
import type { Logger } from 'pino';
import { ConcreteBackends } from '../backends.js';
import { type FlagValues, stringFlag } from '../cli/flags.js';
import type { CliIo } from '../cli/io.js';
import { serveSurfaces } from '../http/serve-surfaces.js';
import { readBuildVersion } from './build-version.js';
import { runCaptureRole } from './capture-role.js';
import { KafkaTopicProgress } from './change-topic-admin.js';
import { ensureIndexes } from './ensure-indexes.js';
import { changeTopicOf } from './kafka-connection.js';
import { type KafkaRole, KafkaStatus } from './kafka-status.js';
import { applyBatch, serialized } from './kafka-worker.js';
import { KafkaRecordProducer } from './record-producer.js';
import { pollSlot } from './slot-poll.js';
import { rebuildIndex } from './truncate-rebuild.js';

export type { KafkaRole } from './kafka-status.js';

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
  /** The `run` flags: HTTP addresses, admin credentials, lag poll interval. */
  readonly values: FlagValues;
}

/** A role's view of the process: its options, the shared status, and the sampling interval. */
interface RoleContext extends KafkaModeOptions {
  readonly state: KafkaStatus;
  readonly pollMs: number;
}

/** Partitions a worker applies at once. */
const WORKER_CONCURRENCY = 4;

const BACKOFF = { initialMs: 1000, maxMs: 30_000, factor: 2, maxRetries: Number.POSITIVE_INFINITY };

async function openSinks(o: KafkaModeOptions, backends: ConcreteBackends): Promise<Sink[]> {
  const sinks: Sink[] = [];
  for (const [name, config] of configuredSinks(o.lock)) sinks.push(await backends.sink(name, config, o.lock));
  return sinks;
}

function skipsAny(lock: FlussoLock): boolean {
  const policies = failurePolicies(lock);
  return policies.default === 'skip' || Object.values(policies.perIndex).includes('skip');
}

async function captureOnce(o: RoleContext): Promise<void> {
  const backends = new ConcreteBackends(o.io.env, o.log);
  const capture = await backends.capture(o.lock, {
    slot: o.slot,
    publication: o.publication,
    managePublication: o.lock.config.source.manage_publication,
  });
  const builder = await backends.builder(o.lock);
  const sinks = await openSinks(o, backends);
  const topic = changeTopicOf(o.lock.config.pipeline, o.io.env);
  const records = await KafkaRecordProducer.open(topic);
  const progress = await KafkaTopicProgress.open(topic, o.lock.config.pipeline.group).catch(
    async (error: unknown) => {
      await records.close();
      throw error;
    },
  );
  const policies = failurePolicies(o.lock);
  // A TRUNCATE rebuild writes like a worker, so `skip` rejections need the store too.
  const deadLetters = skipsAny(o.lock) ? await backends.deadLetters(o.lock) : null;
  const slotDb = new pg.Pool({ connectionString: resolveSourceUrl(o.lock.config.source, o.io.env), max: 1 });
  slotDb.on('error', (error) => o.log.warn({ err: error.message }, 'postgres pool connection error'));
  const sampling = new AbortController();
  const slot = pollSlot(slotDb, o.slot, (s) => o.state.slotSampled(s.lagBytes, s.confirmedLsn), {
    clock: systemClock,
    intervalMs: o.pollMs,
    signal: sampling.signal,
  });
  try {
    await runCaptureRole(
      {
        capture,
        builder,
        records,
        sinks,
        log: o.log,
        skipBackfill: o.skipBackfill,
        observer: o.state.observer,
        onBatchAcked: (changes, produced, position) =>
          o.state.batchProduced(changes, produced, formatLsn(position)),
        rebuild: async (index) => {
          await rebuildIndex(
            {
              capture,
              builder,
              sinks,
              records,
              topic: progress,
              log: o.log,
              observer: o.state.observer,
              signal: o.io.shutdown,
              readVersion: () => readBuildVersion(slotDb),
              onRejection: (i: IndexName) => policies.perIndex[i] ?? policies.default,
              deadLetters,
            },
            index,
          );
        },
      },
      o.io.shutdown,
    );
  } finally {
    sampling.abort();
    await slot;
    await slotDb.end().catch(() => undefined);
    await deadLetters?.close().catch(() => undefined);
    await progress.close();
    await records.close();
    await capture.close().catch(() => undefined);
    for (const sink of sinks) await sink.close().catch(() => undefined);
    await backends.close();
  }
}

async function workerOnce(o: RoleContext): Promise<void> {
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

/** Runs `once` until shutdown, restarting it with backoff after a failure. */
async function supervised(name: string, o: RoleContext, once: () => Promise<void>): Promise<void> {
  let attempt = 0;
  while (!o.io.shutdown.aborted) {
    const startedAt = Date.now();
    try {
      await once();
      if (o.io.shutdown.aborted) return;
    } catch (error) {
      if (o.io.shutdown.aborted) return;
      o.state.observer.onError?.(isFlussoError(error) ? error.code : 'internal', describeError(error));
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
  const pipeline = o.lock.config.pipeline;
  const state = new KafkaStatus(o.role, enabledIndexes(o.lock), {
    group: pipeline.group,
    topic: pipeline.topic,
  });
  const ctx: RoleContext = {
    ...o,
    state,
    pollMs: Number(stringFlag(o.values, 'lag-poll-secs') ?? '15') * 1000,
  };
  const surfaces = await serveSurfaces({
    values: o.values,
    lock: o.lock,
    status: state.status,
    registry: state.metrics.registry,
    log: o.log,
    io: o.io,
    // A reindex in Kafka mode is not offered yet: the private surface answers 503.
    reindex: () => null,
    details: () => ({ ...state.details() }),
  });
  try {
    const roles: Promise<void>[] = [];
    if (o.role !== 'worker') roles.push(supervised('capture', ctx, () => captureOnce(ctx)));
    if (o.role !== 'capture') roles.push(supervised('worker', ctx, () => workerOnce(ctx)));
    await Promise.all(roles);
    return 0;
  } finally {
    state.observer.onStopped?.();
    await surfaces.close();
  }
}
