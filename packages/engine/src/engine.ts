// The flusso pipeline: ensure indexes, establish continuity, backfill what each
// sink lacks, then follow live changes. Ingest builds each batch once and hands
// it to one lane per sink; the source is confirmed only up to the watermark.

import type { Change, Continuity } from '@flusso/core';
import { FlussoError, type IndexName, policyFor } from '@flusso/core';
import { type BackfillParts, backfillIndex } from './backfill/backfill.js';
import { ReindexWorker } from './backfill/reindex-worker.js';
import { type SettleContext, settleBuildFailures } from './build-failures/settle-failures.js';
import { type EngineOptions, type ResolvedEngineOptions, resolveEngineOptions } from './engine-options.js';
import { type ChangeBatch, nextBatch } from './ingest/batcher.js';
import { pumpChanges } from './ingest/change-pump.js';
import { type BuiltBatch, buildBatch } from './ingest/live-batch.js';
import { SinkLane } from './lane/sink-lane.js';
import { BoundedQueue } from './queue/bounded-queue.js';
import { Tripwire } from './queue/tripwire.js';
import { Turn } from './queue/turn.js';
import { Watermark } from './watermark/watermark.js';

export class Engine {
  private readonly o: ResolvedEngineOptions;
  private readonly reindexer = new ReindexWorker();

  constructor(options: EngineOptions) {
    this.o = resolveEngineOptions(options);
  }

  /**
   * Rebuild `index` in every sink into a fresh generation while reads stay on the
   * old one; resolves once every sink swapped. Runs beside the live loop: live
   * batches keep flowing (into the serving generation and the staged one).
   */
  reindex(index: IndexName): Promise<void> {
    if (!this.o.builder.indexes().some((s) => s.name === index)) {
      return Promise.reject(
        new FlussoError('config_invalid', `unknown index ${index}`, { context: { index } }),
      );
    }
    return this.reindexer.request(index);
  }

  /** Run until the change stream ends or `signal` aborts; rejects when a sink or the source fails. */
  async run(signal: AbortSignal = new AbortController().signal): Promise<void> {
    const { sinks, builder, capture, observer } = this.o;
    const specs = builder.indexes();
    for (const sink of sinks) for (const spec of specs) await sink.ensureIndex(spec);
    observer.onIndexesEnsured?.(specs.length);
    const continuity = await capture.prepare(builder.tables());
    observer.onContinuity?.(continuity.resumed);

    const stop = new AbortController();
    const onAbort = () => stop.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    const watermark = new Watermark(sinks.map((s) => s.name));
    const lanes = sinks.map(
      (sink) =>
        new SinkLane({
          ...this.o,
          sink,
          watermark,
          capacity: this.o.laneCapacity,
          signal: stop.signal,
          onFull: this.o.onFull[sink.name] ?? 'block',
        }),
    );
    const laneRuns = lanes.map((lane) => lane.run());
    const laneFailure = Promise.race(
      laneRuns.map((run) => run.then(() => new Promise<never>(() => undefined))),
    );
    laneFailure.catch(() => stop.abort());
    try {
      await Promise.race([this.feed(lanes, watermark, continuity, stop.signal), laneFailure]);
      for (const lane of lanes) lane.queue.close();
      await Promise.race([Promise.all(laneRuns), laneFailure]);
    } catch (error) {
      // A requested stop abandons the in-flight batch unconfirmed: not an error.
      if (!signal.aborted) {
        observer.onError?.(error instanceof FlussoError ? error.code : 'internal', String(error));
        throw error;
      }
    } finally {
      stop.abort();
      for (const lane of lanes) lane.queue.close();
      signal.removeEventListener('abort', onAbort);
      this.reindexer.rejectAll(new FlussoError('shutdown', 'engine stopped'));
      observer.onStopped?.();
    }
  }

  private async feed(lanes: SinkLane[], watermark: Watermark, continuity: Continuity, signal: AbortSignal) {
    if (!this.o.skipBackfill) await this.initialBackfill(lanes, continuity);
    const queue = new BoundedQueue<Change>(this.o.queueCapacity);
    const pump = pumpChanges(this.o.capture, queue, this.o.observer, signal);
    // Awaited at the end; if the loop fails first (a build on the same dropped
    // connection), the stream's failure must not surface as unhandled meanwhile.
    pump.catch(() => undefined);
    const turn = new Turn();
    const reindexing = this.reindexer.run(this.backfillParts(), lanes, turn, signal);
    // Any batch's failure (a build on a connection the server ended, say at a shutdown) stops
    // the loop at once, not when it next awaits that batch: a quiet stream brings no next
    // batch, and its changes would stay unconfirmed while the run waited for one.
    let failBatch: (error: unknown) => void = () => undefined;
    const batchFailed = new Promise<never>((_, reject) => {
      failBatch = reject;
    });
    reindexing.catch(failBatch);
    // Raced once per batch: a Tripwire, not Promise.race, or every batch stays reachable.
    const failed = new Tripwire(batchFailed);
    const aborted = Tripwire.onAbort(signal);
    this.o.observer.onLiveStarted?.();
    // Up to `buildsAhead` batches build at once (one's query runs while another's rows are
    // read); each is queued on the lanes in batch order, in the turn (see queueBatch).
    const steps: Promise<void>[] = [];
    let taken = 0;
    // A batch closes early at an empty queue when no lane has a batch waiting behind the
    // one it flushes (a build is free here: nextBatch runs only below buildsAhead); when
    // the sinks are behind it fills with the load instead.
    const idle = () => lanes.every((lane) => lane.queue.size === 0);
    try {
      while (!signal.aborted) {
        await failed.race(aborted.race(queue.waitForItem()));
        if (signal.aborted) break;
        const batch = await failed.race(nextBatch(queue, this.o.batch, this.o.clock, idle));
        if (!batch) break;
        const seq = ++taken;
        const built = buildBatch(this.o.builder, batch, this.o.observer);
        built.catch(() => undefined); // awaited by its step
        // Caught up: nothing was left behind the batch when it closed, nor is by the time it
        // is queued (no later batch taken, the queue still empty).
        const caughtUp = () => batch.caughtUp && seq === taken && queue.size === 0;
        const previous = steps.at(-1) ?? Promise.resolve();
        const step = previous.then(() =>
          turn.run(() => this.queueBatch(lanes, watermark, batch, built, caughtUp)),
        );
        step.catch(failBatch);
        steps.push(step);
        const done = () => {
          const at = steps.indexOf(step);
          if (at !== -1) steps.splice(at, 1);
        };
        step.then(done, done);
        while (steps.length >= this.o.buildsAhead) await failed.race(Promise.race([step, steps[0]]));
      }
      // Everything built is queued (or failed) before the loop reports its end.
      while (steps.length > 0) await failed.race(steps[0] as Promise<void>);
      // The stream ended: a reindex under way still finishes (its lanes drain after).
      this.reindexer.finish();
      await reindexing;
    } finally {
      // Also on a failure: a closed queue releases a pump waiting for room.
      queue.close();
    }
    await pump;
  }

  /**
   * Queue one live batch's documents on every lane, after the batches before it. Runs in
   * the turn, so a backfill page is never queued between; its build may have started
   * before (while the previous batch built): it still saw every change of the batch,
   * and any later change to its documents is in a later batch, queued after it.
   */
  private async queueBatch(
    lanes: SinkLane[],
    watermark: Watermark,
    batch: ChangeBatch,
    building: Promise<BuiltBatch>,
    caughtUp: () => boolean,
  ): Promise<void> {
    const built = await building;
    const lsn = batch.changes.at(-1)?.position;
    // Before the batch is queued (so before its changes are acked): a dead letter is durable first.
    await settleBuildFailures(
      this.failures(),
      built.failed,
      lanes.map((l) => l.name),
      lsn ?? null,
    );
    for (const index of built.rebuild) await this.rebuild(lanes, index);
    const ticket = watermark.register(() => {
      for (const change of batch.changes) change.ack();
      this.o.observer.onBatchCommitted?.({
        changes: batch.changes.length,
        documents: built.documents.length,
      });
    });
    const upToDate = caughtUp();
    for (const lane of lanes) {
      await lane.push({
        kind: 'documents',
        documents: built.documents,
        caughtUp: upToDate,
        ticket,
        ...(lsn ? { lsn } : {}),
      });
    }
  }

  /** Seed each index into the sinks that lack it; a fresh slot makes seeded ones stale. */
  private async initialBackfill(lanes: SinkLane[], continuity: Continuity): Promise<void> {
    for (const spec of this.o.builder.indexes()) {
      const needing: SinkLane[] = [];
      const restage: SinkLane[] = [];
      for (const [i, lane] of lanes.entries()) {
        const seeded = await this.o.sinks[i]?.isSeeded(spec.name);
        if (seeded && continuity.resumed) continue;
        needing.push(lane);
        if (seeded) restage.push(lane);
      }
      if (needing.length > 0)
        await backfillIndex(this.backfillParts(), { index: spec.name, lanes: needing, restage });
    }
  }

  private rebuild(lanes: SinkLane[], index: IndexName): Promise<number> {
    return backfillIndex(this.backfillParts(), { index, lanes, restage: lanes });
  }

  private backfillParts(): BackfillParts {
    return {
      capture: this.o.capture,
      builder: this.o.builder,
      observer: this.o.observer,
      pageSize: this.o.snapshotPageSize,
      failures: this.failures(),
    };
  }

  private failures(): SettleContext {
    const { policies, deadLetters, clock, observer } = this.o;
    return { policyOf: (index) => policyFor(policies, index), store: deadLetters, clock, observer };
  }
}
