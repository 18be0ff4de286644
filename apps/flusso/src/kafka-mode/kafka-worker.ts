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

import type { DocumentBuilder, ItemRejection, Sink } from '@flusso/core';
import { type DocumentId, type FailurePolicy, FlussoError, type IndexName } from '@flusso/core';
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
  /** `stop`: a rejected document fails the batch (it is redelivered); `skip`: logged and dropped. */
  readonly onRejection: (index: IndexName) => FailurePolicy;
  readonly log: WorkerLog;
  /** Called after a batch is flushed to every sink (before its offsets are committed). */
  readonly onFlushed?: (records: number, documents: number) => void;
}

/** The documents a batch asks for: each (index, id) once. */
export function documentsOf(batch: ConsumedBatch): Map<IndexName, Set<DocumentId>> {
  const wanted = new Map<IndexName, Set<DocumentId>>();
  for (const record of batch.records) {
    const decoded = decodeRecord(record.value);
    const ids = wanted.get(decoded.index) ?? new Set<DocumentId>();
    if (decoded.kind === 'change') ids.add(decoded.id);
    else for (const id of decoded.ids) ids.add(id);
    wanted.set(decoded.index, ids);
  }
  return wanted;
}

function checkRejections(parts: WorkerParts, sink: Sink, rejections: readonly ItemRejection[]): void {
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
    parts.log.warn(fields, 'document rejected by the sink; skipped');
  }
}

/** Builds and flushes one consumed batch; resolves with no records to produce (commit follows). */
export async function applyBatch(parts: WorkerParts, batch: ConsumedBatch): Promise<readonly never[]> {
  const wanted = documentsOf(batch);
  let documents = 0;
  for (const [index, ids] of wanted) {
    const version = await parts.readVersion();
    const built = await parts.builder.build(index, [...ids]);
    documents += built.length;
    for (const doc of built) for (const sink of parts.sinks) sink.write({ ...doc, version });
    await batch.heartbeat();
  }
  for (const sink of parts.sinks) {
    const report = await sink.flush(batch.lag === 0);
    checkRejections(parts, sink, report.rejections);
  }
  parts.onFlushed?.(batch.records.length, documents);
  return [];
}
