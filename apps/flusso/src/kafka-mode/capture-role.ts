// The capture role of `[pipeline] mode = "kafka"`: reads pgoutput, resolves each
// batch of changes to the documents it touches (the engine's resolution: the
// builder's `resolve`), produces one record per (index, document id), and acks the
// batch's changes only once the broker acknowledged every record of it. The source
// confirms an LSN to Postgres only up to contiguous acked commits, and batches are
// sent one after another, so a confirmed LSN always means: every record of every
// transaction up to it is in the topic.
//
// Backfill (slot created fresh, or an index not seeded): after `prepare`, the
// root table's keys are paged and each page becomes one `backfill` record. The
// exported snapshot dies with the capture's transaction, so workers build those
// documents from CURRENT rows; live changes after the slot's consistent point are
// in the topic too, so every document converges (a build from current rows is
// never older than the slot position, and versions order builds: see kafka-worker).

import type { Change, ChangeCapture, DocumentBuilder, Sink } from '@flusso/core';
import { type DocumentId, formatLsn, type IndexName, type Lsn, maxLsn, zeroLsn } from '@flusso/core';
import type { Observer } from '@flusso/engine';
import { changeBatches } from './change-batches.js';
import { ensureIndexes } from './ensure-indexes.js';
import { type EncodedRecord, encodeRecord } from './pipeline-record.js';
import type { RecordSink } from './record-producer.js';

export interface CaptureRoleLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface CaptureRoleParts {
  readonly capture: ChangeCapture;
  readonly builder: DocumentBuilder;
  readonly records: RecordSink;
  /** The sinks whose seeded state decides backfill (and which are marked seeded after it). */
  readonly sinks: readonly Sink[];
  readonly log: CaptureRoleLog;
  readonly skipBackfill?: boolean;
  readonly maxBatch?: number;
  readonly lingerMs?: number;
  /** Close a batch as soon as no further change is ready (default true). */
  readonly closeWhenIdle?: boolean;
  readonly pageSize?: number;
  /** Lifecycle and progress (status and metrics), as the one-process engine reports them. */
  readonly observer?: Observer;
  /**
   * Rebuild `index` whole into a new generation (a TRUNCATE touched one of its
   * tables); the batch is acked only after it. Without it a TRUNCATE is only logged.
   */
  readonly rebuild?: (index: IndexName) => Promise<void>;
  /** Called after each batch is acknowledged by the broker and acked to the source. */
  readonly onBatchAcked?: (changes: number, records: number, position: Lsn) => void;
  /**
   * Runs each batch (from its records to its ack) alone: a reindex swaps
   * generations between batches by taking the same turn (see kafka-reindex).
   */
  readonly turn?: <T>(step: () => Promise<T>) => Promise<T>;
  /** Called with each batch's touched documents before the batch is acked (a reindex's staged generation). */
  readonly beforeAck?: (documents: ReadonlyMap<IndexName, ReadonlySet<DocumentId>>) => Promise<void>;
  /** Called once the capture streams live (the indexes are ensured in `sinks`). */
  readonly onLive?: () => void;
}

/**
 * The records of one batch: each touched (index, id) once, at the batch's highest
 * commit LSN; and the indexes a TRUNCATE in it asks to rebuild whole (their
 * records are left out: the rebuild reads the current rows anyway).
 */
export async function recordsOfBatch(
  builder: DocumentBuilder,
  batch: readonly Change[],
): Promise<{
  records: EncodedRecord[];
  rebuild: ReadonlySet<IndexName>;
  documents: ReadonlyMap<IndexName, ReadonlySet<DocumentId>>;
}> {
  const resolution = await builder.resolve(batch.map((c) => c.event));
  const lsn = batch.reduce<Lsn>((high, c) => maxLsn(high, c.position), batch[0]?.position ?? zeroLsn);
  const records: EncodedRecord[] = [];
  for (const [index, ids] of resolution.documents) {
    if (resolution.rebuild.has(index)) continue;
    for (const id of ids) records.push(encodeRecord({ kind: 'change', index, id, lsn }));
  }
  return { records, rebuild: resolution.rebuild, documents: resolution.documents };
}

async function backfill(parts: CaptureRoleParts, index: IndexName): Promise<number> {
  const { capture, builder, records, observer } = parts;
  const scope = builder.backfillScope(index);
  const estimate = await capture.estimateRows(scope);
  observer?.onBackfillStarted?.(
    index,
    parts.sinks.map((s) => s.name),
    estimate,
  );
  let rows = 0;
  for await (const page of capture.snapshot(scope, parts.pageSize ?? 1000)) {
    const ids = builder.idsFromKeys(index, page.keys);
    if (ids.length > 0) await records.send([encodeRecord({ kind: 'backfill', index, ids })]);
    rows += page.keys.length;
    observer?.onBackfillProgress?.(index, rows, estimate);
  }
  return rows;
}

async function needsBackfill(sinks: readonly Sink[], index: IndexName, resumed: boolean): Promise<boolean> {
  if (!resumed) return true;
  for (const sink of sinks) if (!(await sink.isSeeded(index))) return true;
  return false;
}

export async function runCaptureRole(parts: CaptureRoleParts, signal: AbortSignal): Promise<void> {
  const { capture, builder, sinks, log } = parts;
  const { observer } = parts;
  const continuity = await capture.prepare(builder.tables());
  await ensureIndexes(builder.indexes(), sinks);
  observer?.onIndexesEnsured?.(builder.indexes().length);
  observer?.onContinuity?.(continuity.resumed);
  if (!parts.skipBackfill) {
    for (const spec of builder.indexes()) {
      if (!(await needsBackfill(sinks, spec.name, continuity.resumed))) continue;
      const rows = await backfill(parts, spec.name);
      // Seeded = every chunk is in the topic; workers build them from current rows.
      for (const sink of sinks) await sink.markSeeded(spec.name);
      observer?.onBackfillFinished?.(spec.name, rows);
      log.info({ index: spec.name, rows }, 'backfill chunks produced');
    }
  }
  log.info({ start: formatLsn(continuity.startPosition) }, 'capture streaming into the change topic');
  observer?.onLiveStarted?.();
  parts.onLive?.();
  const turn = parts.turn ?? ((step) => step());
  for await (const batch of changeBatches(
    capture.changes(signal),
    parts.maxBatch ?? 500,
    parts.lingerMs ?? 20,
    parts.closeWhenIdle ?? true,
  )) {
    await turn(() => captureBatch(parts, batch));
    if (signal.aborted) break;
  }
}

/** One batch: its records into the topic, TRUNCATE rebuilds, then the ack to the source. */
async function captureBatch(parts: CaptureRoleParts, batch: readonly Change[]): Promise<void> {
  const { builder, records, log, observer } = parts;
  for (let i = 0; i < batch.length; i += 1) observer?.onChangeCaptured?.();
  const { records: encoded, rebuild, documents } = await recordsOfBatch(builder, batch);
  // The confirm rule: acks (which let the source confirm) only after the broker acked.
  await records.send(encoded);
  await parts.beforeAck?.(documents);
  for (const index of rebuild) {
    if (!parts.rebuild) {
      log.warn({ index }, 'TRUNCATE: rows already deleted are not removed (no rebuild configured)');
      continue;
    }
    log.info({ index }, 'TRUNCATE: rebuilding the index into a new generation');
    await parts.rebuild(index);
  }
  for (const change of batch) change.ack();
  const high = batch.reduce<Lsn>((h, c) => maxLsn(h, c.position), zeroLsn);
  parts.onBatchAcked?.(batch.length, encoded.length, high);
}
