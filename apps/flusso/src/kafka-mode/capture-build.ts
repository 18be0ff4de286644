// What the capture role does when it rebuilds an index itself (a TRUNCATE rebuild,
// a reindex): page the root table's current keys with backfill progress, and build,
// version, write and flush each page into the capture's own sinks.
import type { ChangeCapture, DocumentBuilder, DocumentId, IndexName, Sink } from '@flusso/core';
import type { Observer } from '@flusso/engine';
import type { CaptureRoleLog } from './capture-role.js';
import type { TopicProgress } from './change-topic-admin.js';
import { buildVersioned, writeFresh } from './fresh-builds.js';
import type { WorkerParts } from './kafka-worker.js';
import type { RecordSink } from './record-producer.js';

/** What the capture role builds and writes with when it rebuilds an index itself. */
export interface CaptureBuildParts
  extends Pick<WorkerParts, 'onRejection' | 'deadLetters' | 'readVersion' | 'maxBuildAgeMs' | 'onRebuilt'> {
  readonly capture: ChangeCapture;
  readonly builder: DocumentBuilder;
  /** The capture's own sinks (a reindex's staged generation lives there). */
  readonly sinks: readonly Sink[];
  readonly records: RecordSink;
  readonly topic: TopicProgress;
  readonly log: CaptureRoleLog;
  readonly observer?: Observer;
}

/**
 * Pages `index`'s root keys from current rows and hands each page's ids to `onPage`,
 * reporting backfill start and progress; resolves with the rows read.
 */
export async function forEachRootPage(
  parts: CaptureBuildParts,
  index: IndexName,
  pageSize: number,
  onPage: (ids: readonly DocumentId[]) => Promise<void>,
): Promise<number> {
  const { capture, builder, sinks, observer } = parts;
  const scope = builder.backfillScope(index);
  const estimate = await capture.estimateRows(scope);
  observer?.onBackfillStarted?.(
    index,
    sinks.map((s) => s.name),
    estimate,
  );
  let rows = 0;
  for await (const page of capture.snapshot(scope, pageSize)) {
    await onPage(builder.idsFromKeys(index, page.keys));
    rows += page.keys.length;
    observer?.onBackfillProgress?.(index, rows, estimate);
  }
  return rows;
}

/**
 * Builds `ids` from current rows, stamped with the version read before the build (as a
 * worker does), writes them to every capture sink and flushes under the failure policy
 * (a build too old for the tombstone window is rebuilt first, as a worker's is).
 */
export async function buildWriteFlush(
  parts: CaptureBuildParts,
  index: IndexName,
  ids: readonly DocumentId[],
): Promise<void> {
  const build = await buildVersioned(parts, index, ids);
  await writeFresh(parts, [build], null, false);
}
