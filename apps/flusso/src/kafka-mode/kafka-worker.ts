// The worker role of `[pipeline] mode = "kafka"`: a consumer group member. Per
// fetched batch it dedupes the records by (index, id), builds each document once
// from CURRENT rows, writes it to every sink with an external version, flushes
// every sink, and only then lets the consumer commit the batch's offsets. A
// worker that dies mid-batch committed nothing of it: the batch is redelivered to
// whichever member gets the partition.
//
// Versions (no stale overwrite): before building, the worker reads the WAL
// insert position (`readBuildVersion`); every snapshot the build then takes is later, so it
// sees every commit that was visible when the version was read. A build with a
// higher version was started (its version read) later, so it sees at least what
// any lower-version build saw before that moment, plus later commits. Writes use
// `version_type = external_gte`: a build flushed after a higher-version one gets a
// version conflict, which the sink counts as superseded (done). Deletes are
// versioned too (a tombstone), so an older build cannot resurrect a document.

import type { BuiltDocument, DocumentBuilder, ItemRejection, Sink } from '@flusso/core';
import {
  type Clock,
  type DocumentId,
  type FailurePolicy,
  FlussoError,
  type IndexName,
  type Lsn,
  maxLsn,
  systemClock,
  withVersion,
} from '@flusso/core';
import type { DeadLetter, DeadLetterStore, Observer } from '@flusso/engine';
import type { ConsumedBatch } from '@flusso/sinks/kafka';
import { decodeRecord } from './pipeline-record.js';

export interface WorkerLog {
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface WorkerParts {
  readonly builder: DocumentBuilder;
  readonly sinks: readonly Sink[];
  /** The version of a build about to start: the current WAL insert position. */
  readonly readVersion: () => Promise<bigint>;
  /**
   * `stop`: a rejected document fails the batch (it is redelivered, the partition
   * waits); `skip`: the document is recorded as a dead letter, then the batch commits.
   */
  readonly onRejection: (index: IndexName) => FailurePolicy;
  readonly log: WorkerLog;
  /** Where `skip` keeps rejected documents (the one-process store); null: only logged and counted. */
  readonly deadLetters?: DeadLetterStore | null;
  /** Build, flush and quarantine events (status and metrics). */
  readonly observer?: Observer;
  readonly clock?: Clock;
  /** Called after a batch is flushed to every sink (before its offsets are committed). */
  readonly onFlushed?: (batch: ConsumedBatch, documents: number) => void;
  /** Re-read the layout of `index` in every sink (a `layout` record: the capture swapped a generation). */
  readonly relayout?: (index: IndexName) => Promise<void>;
  /**
   * Runs the sink half of a batch (write, flush, dead letters) alone, when batches
   * of several partitions are applied at once: builds overlap, sink buffers do not.
   */
  readonly exclusive?: <T>(step: () => Promise<T>) => Promise<T>;
}

/** One step at a time, in call order: the `exclusive` of concurrently applied batches. */
export function serialized(): <T>(step: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(step: () => Promise<T>): Promise<T> => {
    const run = tail.then(step, step);
    tail = run.catch(() => undefined);
    return run;
  };
}

/** The documents a batch asks for: each (index, id) once. */
export function documentsOf(batch: ConsumedBatch): Map<IndexName, Set<DocumentId>> {
  return wantedOf(batch).wanted;
}

interface Wanted {
  readonly wanted: Map<IndexName, Set<DocumentId>>;
  /** The highest change LSN in the batch; null: backfill only. */
  readonly lsn: Lsn | null;
  /** Indexes whose layout changed (a `layout` record). */
  readonly relayout: Set<IndexName>;
}

function wantedOf(batch: ConsumedBatch): Wanted {
  const wanted = new Map<IndexName, Set<DocumentId>>();
  const relayout = new Set<IndexName>();
  let lsn: Lsn | null = null;
  for (const record of batch.records) {
    const decoded = decodeRecord(record.value);
    if (decoded.kind === 'layout') {
      relayout.add(decoded.index);
      continue;
    }
    const ids = wanted.get(decoded.index) ?? new Set<DocumentId>();
    if (decoded.kind === 'change') {
      ids.add(decoded.id);
      lsn = lsn === null ? decoded.lsn : maxLsn(lsn, decoded.lsn);
    } else for (const id of decoded.ids) ids.add(id);
    wanted.set(decoded.index, ids);
  }
  return { wanted, lsn, relayout };
}

/** Under `stop` a rejection fails the batch; under `skip` it is returned to be dead-lettered. */
function checkRejections(
  parts: Pick<WorkerParts, 'onRejection' | 'log'>,
  sink: Sink,
  rejections: readonly ItemRejection[],
): ItemRejection[] {
  const skipped: ItemRejection[] = [];
  for (const r of rejections) {
    const fields = { sink: sink.name, index: r.index, status: r.status, type: r.type, reason: r.reason };
    if (parts.onRejection(r.index) === 'stop') {
      throw new FlussoError(
        'sink_rejected',
        `sink ${sink.name}: a document of ${r.index} was rejected (${r.type})`,
        {
          context: fields,
        },
      );
    }
    parts.log.warn(fields, 'document rejected by the sink; kept as a dead letter');
    skipped.push(r);
  }
  return skipped;
}

/** Record the skipped rejections durably (before the commit), then report each as quarantined. */
async function quarantine(
  parts: Pick<WorkerParts, 'deadLetters' | 'observer' | 'clock'>,
  sink: Sink,
  rejected: readonly ItemRejection[],
  built: ReadonlyMap<string, BuiltDocument>,
  lsn: Lsn | null,
): Promise<void> {
  if (rejected.length === 0) return;
  const at = (parts.clock ?? systemClock).now();
  const letters = rejected.map((r): DeadLetter => {
    const doc = built.get(builtKey(r));
    return {
      sink: sink.name,
      index: r.index,
      id: r.id,
      op: r.op,
      rejection: { type: r.type, reason: r.reason, status: r.status },
      lsn,
      at,
      document: doc?.op === 'upsert' ? doc.document : null,
    };
  });
  if (parts.deadLetters) {
    try {
      await parts.deadLetters.record(letters);
    } catch (error) {
      throw new FlussoError(
        'source_failed',
        `sink ${sink.name}: could not record ${letters.length} dead letter(s); the batch stays uncommitted`,
        { cause: error, context: { sink: sink.name, count: letters.length } },
      );
    }
  }
  for (const r of rejected)
    parts.observer?.onDocumentQuarantined?.(sink.name, r.index, r.id, `${r.type}: ${r.reason}`);
}

/** Builds and flushes one consumed batch; resolves with no records to produce (commit follows). */
export async function applyBatch(parts: WorkerParts, batch: ConsumedBatch): Promise<readonly never[]> {
  const { wanted, lsn, relayout } = wantedOf(batch);
  const built = new Map<string, BuiltDocument>();
  const versioned: BuiltDocument[] = [];
  for (const [index, ids] of wanted) {
    const version = await parts.readVersion();
    const docs = await parts.builder.build(index, [...ids]);
    parts.observer?.onDocumentsBuilt?.(index, docs.length);
    for (const doc of docs) {
      built.set(builtKey(doc), doc);
      versioned.push(withVersion(doc, version));
    }
    await batch.heartbeat();
  }
  const exclusive = parts.exclusive ?? ((step) => step());
  await exclusive(async () => {
    // Everything before a layout record was committed before the capture swapped
    // generations, so the layout is re-read before any write of this batch.
    for (const index of relayout) await parts.relayout?.(index);
    for (const doc of versioned) for (const sink of parts.sinks) sink.write(doc);
    await flushWritten(parts, built, lsn, batch.lag === 0);
  });
  parts.onFlushed?.(batch, built.size);
  return [];
}

/**
 * Flush what was written to every sink, then apply the failure policy to what they
 * rejected. Every sink flushes (and decides) before any dead letter is written: a
 * `stop` rejection anywhere fails with nothing reported as quarantined.
 */
export async function flushWritten(
  parts: Pick<WorkerParts, 'sinks' | 'onRejection' | 'log' | 'deadLetters' | 'observer' | 'clock'>,
  built: ReadonlyMap<string, BuiltDocument>,
  lsn: Lsn | null,
  caughtUp: boolean,
): Promise<void> {
  const skipped: [Sink, ItemRejection[]][] = [];
  for (const sink of parts.sinks) {
    const started = performance.now();
    const report = await sink.flush(caughtUp);
    parts.observer?.onFlushed?.({
      sink: sink.name,
      documents: built.size,
      micros: Math.round((performance.now() - started) * 1000),
    });
    skipped.push([sink, checkRejections(parts, sink, report.rejections)]);
  }
  for (const [sink, rejected] of skipped) await quarantine(parts, sink, rejected, built, lsn);
}

/** The key of a built document in the map `flushWritten` takes. */
export function builtKey(doc: Pick<BuiltDocument, 'index' | 'id'>): string {
  return `${doc.index}\u0000${doc.id}`;
}
