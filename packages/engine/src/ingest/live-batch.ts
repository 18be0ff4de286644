// Resolve → dedupe → build once: a batch of changes becomes the set of root
// documents it touches, each built once however often it was touched and however
// many sinks will receive it.
import type { BuiltDocument, DocumentBuilder, IndexName } from '@flusso/core';
import { type BuildFailure, buildIsolating } from '../build-failures/isolate.js';
import type { Observer } from '../observer/observer.js';
import type { ChangeBatch } from './batcher.js';

export interface BuiltBatch {
  readonly documents: readonly BuiltDocument[];
  /** Indexes to rebuild whole before this batch is applied (TRUNCATE). */
  readonly rebuild: ReadonlySet<IndexName>;
  /** Documents whose build failed on their data; their index's on_error decides. */
  readonly failed: readonly BuildFailure[];
}

export async function buildBatch(
  builder: DocumentBuilder,
  batch: ChangeBatch,
  observer: Observer,
): Promise<BuiltBatch> {
  const resolution = await builder.resolve(batch.changes.map((c) => c.event));
  const documents: BuiltDocument[] = [];
  const failed: BuildFailure[] = [];
  for (const [index, ids] of resolution.documents) {
    // A rebuilt index is rewritten from current rows anyway.
    if (ids.size === 0 || resolution.rebuild.has(index)) continue;
    const built = await buildIsolating(builder, index, [...ids]);
    observer.onDocumentsBuilt?.(index, built.documents.length);
    documents.push(...built.documents);
    failed.push(...built.failed);
  }
  return { documents, rebuild: resolution.rebuild, failed };
}
