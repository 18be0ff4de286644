// Resolve → dedupe → build once: a batch of changes becomes the set of root
// documents it touches, each built once however often it was touched and however
// many sinks will receive it.
import type { BuiltDocument, DocumentBuilder, IndexName } from '@flusso/core';
import type { Observer } from '../observer/observer.js';
import type { ChangeBatch } from './batcher.js';

export interface BuiltBatch {
  readonly documents: readonly BuiltDocument[];
  /** Indexes to rebuild whole before this batch is applied (TRUNCATE). */
  readonly rebuild: ReadonlySet<IndexName>;
}

export async function buildBatch(
  builder: DocumentBuilder,
  batch: ChangeBatch,
  observer: Observer,
): Promise<BuiltBatch> {
  const resolution = await builder.resolve(batch.changes.map((c) => c.event));
  const documents: BuiltDocument[] = [];
  for (const [index, ids] of resolution.documents) {
    // A rebuilt index is rewritten from current rows anyway.
    if (ids.size === 0 || resolution.rebuild.has(index)) continue;
    const built = await builder.build(index, [...ids]);
    observer.onDocumentsBuilt?.(index, built.length);
    documents.push(...built);
  }
  return { documents, rebuild: resolution.rebuild };
}
