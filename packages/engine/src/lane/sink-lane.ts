// One lane per sink: a bounded queue drained in order by a single worker that
// applies, flushes once per item, decides rejections by FailurePolicy, and acks
// live batches to the watermark only after their flush. A full lane blocks
// ingest (`block`) or, for a best-effort sink, drops the live batch (`drop`).

import type { FlushReport, Sink } from '@flusso/core';
import { type FailurePolicies, FlussoError, policyFor } from '@flusso/core';
import type { DeadLetterStore } from '../dead-letters/dead-letter-store.js';
import { BoundedQueue, queueEnd } from '../queue/bounded-queue.js';
import type { Watermark } from '../watermark/watermark.js';
import { flushWithRetry, type RetryContext } from './flush-with-retry.js';
import type { LaneItem } from './lane-item.js';
import { quarantine } from './quarantine.js';

/** What a lane does with a live batch when its queue is full. */
export type OnFull = 'block' | 'drop';

export interface SinkLaneOptions extends RetryContext {
  readonly sink: Sink;
  readonly policies: FailurePolicies;
  readonly watermark: Watermark;
  readonly capacity: number;
  readonly onFull?: OnFull;
  readonly deadLetters?: DeadLetterStore | null;
}

export class SinkLane {
  readonly queue: BoundedQueue<LaneItem>;

  constructor(private readonly options: SinkLaneOptions) {
    this.queue = new BoundedQueue(options.capacity);
  }

  get name(): string {
    return this.options.sink.name;
  }

  /**
   * Queue `item`, waiting for room; under `drop` a full lane instead drops a
   * live batch (counted, and acked so it never holds the watermark). Backfill
   * pages and controls always wait.
   */
  push(item: LaneItem): Promise<boolean> {
    const { onFull, sink, watermark, observer } = this.options;
    const full = this.queue.size >= this.queue.capacity && !this.queue.closed;
    if (onFull === 'drop' && full && item.kind === 'documents' && item.ticket !== undefined) {
      observer.onBatchDropped?.(sink.name, item.documents.length);
      watermark.ack(sink.name, item.ticket);
      return Promise.resolve(true);
    }
    return this.queue.push(item);
  }

  /** Drain the lane until it is closed; rejects (leaving later items unacked) on failure. */
  async run(): Promise<void> {
    for (;;) {
      const item = await this.queue.take();
      if (item === queueEnd) return;
      await this.apply(item);
    }
  }

  private async apply(item: LaneItem): Promise<void> {
    const { sink, watermark } = this.options;
    if (item.kind === 'reindex') return sink.reindex(item.index);
    if (item.kind === 'seeded') {
      await sink.markSeeded(item.index);
      return item.done();
    }
    if (item.documents.length > 0) {
      const started = this.options.clock.monotonic();
      const report = await flushWithRetry(sink, item.documents, item.caughtUp, this.options);
      const micros = Math.round((this.options.clock.monotonic() - started) * 1000);
      this.options.observer.onFlushed?.({ sink: sink.name, documents: item.documents.length, micros });
      await this.decideRejections(report, item);
    }
    if (item.ticket !== undefined) watermark.ack(sink.name, item.ticket);
    item.durable?.();
  }

  /** `stop` anywhere halts before any quarantine is reported; otherwise all are quarantined. */
  private async decideRejections(
    report: FlushReport,
    item: Extract<LaneItem, { kind: 'documents' }>,
  ): Promise<void> {
    const { sink, policies, observer, clock } = this.options;
    if (report.rejections.length === 0) return;
    const stopping = report.rejections.filter((r) => policyFor(policies, r.index) === 'stop');
    const first = stopping[0];
    if (first) {
      throw new FlussoError(
        'sink_rejected',
        `sink ${sink.name} rejected ${stopping.length} document(s); first: index ${first.index} id ${first.id} (${first.reason})`,
        { context: { sink: sink.name, count: stopping.length, index: first.index, type: first.type } },
      );
    }
    const store = this.options.deadLetters ?? null;
    await quarantine({ sink: sink.name, store, clock, observer }, item, report.rejections);
  }
}
