// TRUNCATE in Kafka mode, with the one-process engine's effect: the index is
// rebuilt whole into a new generation (documents whose rows are gone disappear,
// documents whose joined rows are gone are rebuilt), then swapped in.
//
// Several processes write the index, and a worker writes only the generations its
// own sink knows. So the capture (one process) does the rebuild itself, in order:
//   1. drain: stop producing and wait until the workers' group has committed every
//      record in the topic; no worker writes any more (nothing is left to read);
//   2. stage a new generation in every sink, page the root table's current keys,
//      build and write each page (versioned, like a worker), flush;
//   3. swap (markSeeded: the alias moves, the old generation is dropped);
//   4. produce a `layout` record to every partition: a worker re-reads the layout
//      before anything after it, so no write goes to the dropped generation.
// The TRUNCATE's batch is acknowledged to the source only after all of this, so a
// capture that dies mid-way sees the TRUNCATE again and rebuilds again.
import {
  type ChangeCapture,
  type DocumentBuilder,
  type IndexName,
  type Sink,
  withVersion,
} from '@flusso/core';
import type { Observer } from '@flusso/engine';
import type { CaptureRoleLog } from './capture-role.js';
import type { TopicProgress } from './change-topic-admin.js';
import { builtKey, flushWritten, type WorkerParts } from './kafka-worker.js';
import { encodeRecord } from './pipeline-record.js';
import type { RecordSink } from './record-producer.js';

/** What the capture role builds and writes with when it rebuilds an index itself (TRUNCATE, reindex). */
export interface CaptureBuildParts extends Pick<WorkerParts, 'onRejection' | 'deadLetters' | 'readVersion'> {
  readonly capture: ChangeCapture;
  readonly builder: DocumentBuilder;
  /** The capture's own sinks (a reindex's staged generation lives there). */
  readonly sinks: readonly Sink[];
  readonly records: RecordSink;
  readonly topic: TopicProgress;
  readonly log: CaptureRoleLog;
  readonly observer?: Observer;
}

export interface RebuildParts extends CaptureBuildParts {
  readonly signal: AbortSignal;
  readonly pageSize?: number;
  /** Writes and flushes of the capture's sinks, one at a time (a reindex writes them too). */
  readonly exclusive?: <T>(step: () => Promise<T>) => Promise<T>;
}

export async function rebuildIndex(parts: RebuildParts, index: IndexName): Promise<number> {
  const { capture, builder, sinks, observer } = parts;
  await parts.topic.drained(parts.signal, (behind) =>
    parts.log.info(
      { index, behind },
      'TRUNCATE: waiting for the workers to commit the topic before the rebuild',
    ),
  );
  const exclusive = parts.exclusive ?? ((step) => step());
  for (const sink of sinks) await exclusive(() => sink.reindex(index));
  const scope = builder.backfillScope(index);
  const estimate = await capture.estimateRows(scope);
  observer?.onBackfillStarted?.(
    index,
    sinks.map((s) => s.name),
    estimate,
  );
  let rows = 0;
  for await (const page of capture.snapshot(scope, parts.pageSize ?? 1000)) {
    await exclusive(async () => {
      const version = await parts.readVersion();
      const docs = await builder.build(index, builder.idsFromKeys(index, page.keys));
      observer?.onDocumentsBuilt?.(index, docs.length);
      const built = new Map(docs.map((d) => [builtKey(d), d]));
      for (const doc of docs) for (const sink of sinks) sink.write(withVersion(doc, version));
      await flushWritten({ ...parts, ...(observer ? { observer } : {}) }, built, null, false);
    });
    rows += page.keys.length;
    observer?.onBackfillProgress?.(index, rows, estimate);
  }
  for (const sink of sinks) await exclusive(() => sink.markSeeded(index));
  const partitions = await parts.topic.partitions();
  await parts.records.send(
    partitions.map((partition) => ({ ...encodeRecord({ kind: 'layout', index }), partition })),
  );
  observer?.onBackfillFinished?.(index, rows);
  return rows;
}
