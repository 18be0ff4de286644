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
// versioned too (a tombstone), so an older build cannot resurrect a document while
// OpenSearch remembers the tombstone (`index.gc_deletes`): a build too old for that
// window is rebuilt from current rows (`fresh-builds.ts`). Writes to a generation a
// reindex dropped since are dropped as superseded by the sink (write aliases).

import type { DocumentBuilder, Sink } from '@flusso/core';
import {
  type Clock,
  type DocumentId,
  type FailurePolicy,
  type IndexName,
  type Lsn,
  maxLsn,
} from '@flusso/core';
import type { DeadLetterStore, Observer } from '@flusso/engine';
import type { ConsumedBatch } from '@flusso/sinks/kafka';
import { buildVersioned, type VersionedBuild, writeFresh } from './fresh-builds.js';
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
  /** Oldest a build may be at its write and at its flush's answer (default `MAX_BUILD_AGE_MS`). */
  readonly maxBuildAgeMs?: number;
  /** A build was too old to write (or flushed too late) and was rebuilt from current rows. */
  readonly onRebuilt?: (index: IndexName, documents: number) => void;
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

/** Builds and flushes one consumed batch; resolves with no records to produce (commit follows). */
export async function applyBatch(parts: WorkerParts, batch: ConsumedBatch): Promise<readonly never[]> {
  const { wanted, lsn, relayout } = wantedOf(batch);
  const builds: VersionedBuild[] = [];
  for (const [index, ids] of wanted) {
    builds.push(await buildVersioned(parts, index, [...ids]));
    await batch.heartbeat();
  }
  const exclusive = parts.exclusive ?? ((step) => step());
  const documents = await exclusive(async () => {
    // Everything before a layout record was committed before the capture swapped
    // generations, so the layout is re-read before any write of this batch.
    for (const index of relayout) await parts.relayout?.(index);
    return writeFresh(parts, builds, lsn, batch.lag === 0);
  });
  parts.onFlushed?.(batch, documents);
  return [];
}
