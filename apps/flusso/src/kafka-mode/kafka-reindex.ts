// Reindex in Kafka mode, coordinated by the capture role (it owns the slot and the
// layout). Workers keep applying live changes to the serving generation throughout;
// only the capture knows the staged one (a sink's staged generation lives in the
// process that staged it), so the capture keeps it current itself:
//   1. stage (between two capture batches): every capture sink stages a fresh
//      generation; from the next batch on, the capture builds every document a
//      batch touches in the reindexed index and writes it (versioned, like a
//      worker) before acking the batch;
//   2. backfill beside the live stream: the root table's current keys page by page,
//      each page built from current rows and written. A change committed before a
//      page is read is in that page; one committed after is in a later batch, which
//      the capture builds. Versions order the two writers, so neither is overwritten
//      by an older build;
//   3. swap (between two batches again): wait until the workers' group committed
//      the topic (nothing of the old layout is in flight; the pause lasts a drain),
//      swap the alias (`markSeeded` drops the old generation), then produce a
//      `layout` record to every partition so each worker re-reads the layout before
//      anything after it; the request leaves the journal.
// A request is journaled (`flusso.reindex_requests`) before it starts; a capture
// that dies mid-way finds it there and starts it again in a fresh generation. A
// worker-only process journals a request and the capture picks it up on its next
// poll of the journal.
import type { DocumentId, IndexName } from '@flusso/core';
import { type Clock, FlussoError, systemClock } from '@flusso/core';
import type { ReindexJournal } from '@flusso/daemon';
import { buildWriteFlush, type CaptureBuildParts, forEachRootPage } from './capture-build.js';
import { encodeRecord } from './pipeline-record.js';

export type Exclusive = <T>(step: () => Promise<T>) => Promise<T>;

export interface KafkaReindexParts extends CaptureBuildParts {
  readonly journal: ReindexJournal | null;
  /** The capture loop's turn: a stage or a swap runs between two batches. */
  readonly turn: Exclusive;
  /** Writes and flushes of the capture's sinks, one at a time. */
  readonly sinkTurn: Exclusive;
  readonly pageSize?: number;
  /** How often the journal is read for requests made elsewhere (a worker-only process). */
  readonly pollMs?: number;
  readonly clock?: Clock;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export class KafkaReindexer {
  private readonly queue: IndexName[] = [];
  private readonly waiters = new Map<IndexName, Waiter[]>();
  /** Indexes whose staged generation the capture keeps current. */
  private readonly staged = new Set<IndexName>();
  private wake: () => void = () => undefined;
  private running: Promise<void> | null = null;
  private readonly stopping = new AbortController();
  private fail: (error: unknown) => void = () => undefined;
  /** Never resolves; rejects when a started reindexer fails (the capture role fails with it). */
  readonly failed: Promise<never>;

  constructor(private readonly parts: KafkaReindexParts) {
    this.failed = new Promise<never>((_, reject) => {
      this.fail = reject;
    });
    this.failed.catch(() => undefined);
  }

  /** Start serving requests: once the capture is live (its sinks know every layout). */
  start(): void {
    if (this.running !== null || this.stopping.signal.aborted) return;
    this.running = this.run(this.stopping.signal);
    this.running.catch((error: unknown) => this.fail(error));
  }

  /** Stop between pages; a reindex under way is left to the journal (the next capture redoes it). */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.wake();
    await this.running?.catch(() => undefined);
  }

  /** Journal a reindex of `index` and queue it; resolves once swapped in. */
  async request(index: IndexName): Promise<void> {
    await this.parts.journal?.requested(index);
    return new Promise<void>((resolve, reject) => {
      const waiting = this.waiters.get(index) ?? [];
      waiting.push({ resolve, reject });
      this.waiters.set(index, waiting);
      this.enqueue(index);
    });
  }

  private enqueue(index: IndexName): void {
    if (!this.queue.includes(index)) this.queue.push(index);
    this.wake();
  }

  /** Whether the capture is keeping a staged generation of `index` current (a reindex under way). */
  isStaged(index: IndexName): boolean {
    return this.staged.has(index);
  }

  /** The capture's batch hook: documents of staged indexes are built into every generation. */
  async beforeAck(documents: ReadonlyMap<IndexName, ReadonlySet<DocumentId>>): Promise<void> {
    for (const index of this.staged) {
      const ids = documents.get(index);
      if (ids && ids.size > 0) await this.buildInto(index, [...ids]);
    }
  }

  /** Serves requests (and journaled ones) until `signal` aborts; rejects when a reindex fails. */
  private async run(signal: AbortSignal): Promise<void> {
    const clock = this.parts.clock ?? systemClock;
    const onAbort = () => this.wake();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      while (!signal.aborted) {
        for (const index of (await this.parts.journal?.pending()) ?? []) {
          if (this.parts.builder.indexes().some((s) => s.name === index)) this.enqueue(index);
        }
        const index = this.queue[0];
        if (index === undefined) {
          const woken = new Promise<void>((r) => {
            this.wake = r;
          });
          await Promise.race([woken, clock.sleep(this.parts.pollMs ?? 1_000, signal).catch(() => undefined)]);
          continue;
        }
        await this.reindex(index, signal);
        this.queue.shift();
        for (const w of this.waiters.get(index)?.splice(0) ?? []) w.resolve();
      }
    } catch (error) {
      for (const waiting of this.waiters.values()) for (const w of waiting.splice(0)) w.reject(error);
      throw error;
    } finally {
      signal.removeEventListener('abort', onAbort);
      const stopped = new FlussoError('shutdown', 'capture stopped');
      for (const waiting of this.waiters.values()) for (const w of waiting.splice(0)) w.reject(stopped);
    }
  }

  private async reindex(index: IndexName, signal: AbortSignal): Promise<void> {
    const { sinks, observer, log } = this.parts;
    log.info({ index }, 'reindex: staging a new generation beside the live stream');
    await this.parts.turn(async () => {
      for (const sink of sinks) await this.parts.sinkTurn(() => sink.reindex(index));
      this.staged.add(index);
      // After a capture died between a swap and its layout records, workers catch up here.
      await this.announceLayout(index);
    });
    try {
      const rows = await forEachRootPage(this.parts, index, this.parts.pageSize ?? 1000, async (ids) => {
        if (signal.aborted) throw new FlussoError('shutdown', `reindex of ${index} stopped`);
        await this.buildInto(index, ids);
      });
      await this.parts.turn(() => this.swap(index, signal));
      observer?.onBackfillFinished?.(index, rows);
      log.info({ index, rows }, 'reindex: new generation swapped in');
    } finally {
      this.staged.delete(index);
    }
  }

  /** Build `ids` from current rows and write them to every generation of the capture's sinks. */
  private async buildInto(index: IndexName, ids: readonly DocumentId[]): Promise<void> {
    await this.parts.sinkTurn(() => buildWriteFlush(this.parts, index, ids));
  }

  private async swap(index: IndexName, signal: AbortSignal): Promise<void> {
    await this.parts.topic.drained(signal, (behind) =>
      this.parts.log.info({ index, behind }, 'reindex: waiting for the workers to commit before the swap'),
    );
    for (const sink of this.parts.sinks) await this.parts.sinkTurn(() => sink.markSeeded(index));
    await this.announceLayout(index);
    await this.parts.journal?.finished(index);
  }

  private async announceLayout(index: IndexName): Promise<void> {
    const partitions = await this.parts.topic.partitions();
    await this.parts.records.send(
      partitions.map((partition) => ({ ...encodeRecord({ kind: 'layout', index }), partition })),
    );
  }
}
