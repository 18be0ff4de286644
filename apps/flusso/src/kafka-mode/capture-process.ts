// The capture role assembled from the lock: the replication capture and builder,
// the record producer and topic progress, slot sampling, and the TRUNCATE rebuild.
import { formatLsn, type IndexName, systemClock } from '@flusso/core';
import { failurePolicies, resolveSourceUrl } from '@flusso/daemon';
import pg from 'pg';
import { ConcreteBackends } from '../backends.js';
import { readBuildVersion } from './build-version.js';
import { runCaptureRole } from './capture-role.js';
import { KafkaTopicProgress } from './change-topic-admin.js';
import { changeTopicOf } from './kafka-connection.js';
import { KafkaReindexer } from './kafka-reindex.js';
import { serialized } from './kafka-worker.js';
import { KafkaRecordProducer } from './record-producer.js';
import { openSinks, type RoleContext, skipsAny } from './role-context.js';
import { pollSlot } from './slot-poll.js';
import { rebuildIndex } from './truncate-rebuild.js';

/** One run of the capture role, until shutdown or a failure. */
export async function captureOnce(o: RoleContext): Promise<void> {
  const backends = new ConcreteBackends(o.io.env, o.log);
  const capture = await backends.capture(o.lock, {
    slot: o.slot,
    publication: o.publication,
    managePublication: o.lock.config.source.manage_publication,
  });
  const builder = await backends.builder(o.lock);
  const sinks = await openSinks(o, backends, o.state);
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
  const readVersion = () => readBuildVersion(slotDb);
  const onRebuilt = (index: IndexName, documents: number) => o.state.buildRebuilt(index, documents);
  const onRejection = (i: IndexName) => policies.perIndex[i] ?? policies.default;
  const turn = serialized();
  const sinkTurn = serialized();
  const journal = await backends.reindexJournal(o.lock, {
    slot: o.slot,
    publication: o.publication,
    managePublication: o.lock.config.source.manage_publication,
  });
  const reindexer = new KafkaReindexer({
    ...{ capture, builder, sinks, records, topic: progress, log: o.log, observer: o.state.observer },
    ...{ journal, turn, sinkTurn, readVersion, onRebuilt, onRejection, deadLetters },
  });
  const sampling = new AbortController();
  const slot = pollSlot(slotDb, o.slot, (s) => o.state.slotSampled(s.lagBytes, s.confirmedLsn), {
    clock: systemClock,
    intervalMs: o.pollMs,
    signal: sampling.signal,
  });
  try {
    const captured = runCaptureRole(
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
        turn,
        beforeAck: (documents) => reindexer.beforeAck(documents),
        onLive: () => {
          o.state.roleRunning('capture');
          o.reindexer.current = reindexer;
          reindexer.start();
        },
        rebuild: async (index) => {
          // A reindex under way staged a generation that may hold rows the TRUNCATE
          // removed: the first rebuild swaps it in, the second builds a fresh one.
          const passes = reindexer.isStaged(index) ? 2 : 1;
          for (let pass = 0; pass < passes; pass += 1)
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
                readVersion,
                onRebuilt,
                onRejection,
                deadLetters,
                exclusive: sinkTurn,
              },
              index,
            );
        },
      },
      o.io.shutdown,
    );
    captured.catch(() => undefined);
    // A failed reindex fails the role (it restarts, and resumes the reindex from the journal).
    await Promise.race([captured, reindexer.failed]);
  } finally {
    if (o.reindexer.current === reindexer) o.reindexer.current = null;
    await reindexer.stop();
    await journal.close().catch(() => undefined);
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
