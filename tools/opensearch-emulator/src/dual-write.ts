// `index.dual_write.index_name`: every successful write to an index with this
// setting is mirrored to the named index (deletes as a `_tombstone` document, or
// as a delete when `index.dual_write.soft_deletes_enabled` is false).
import { writeResult } from './docs-api.js';
import { deleteDoc, readDoc, writeDoc } from './documents.js';
import { sourceText } from './source-text.js';
import type { Store } from './store.js';

type Json = Record<string, unknown>;

/** The bulk item of the mirrored write, or undefined when nothing is mirrored. */
export function mirrorWrite(
  store: Store,
  indexName: string,
  id: string,
  result: unknown,
  routing?: string,
): Json | undefined {
  const index = store.indexes.get(indexName);
  const spec = index?.settings.dual_write as Json | undefined;
  const targetName = spec?.index_name;
  if (!index || typeof targetName !== 'string' || targetName === index.name) return undefined;
  const target = store.writeTarget(targetName);
  const options = routing === undefined ? {} : { routing };
  if (result === 'created' || result === 'updated') {
    const doc = readDoc(index, id, routing);
    if (!doc) return undefined;
    const w = writeDoc(target, id, { raw: doc.raw, source: doc.source }, options);
    return {
      index: { ...writeResult(target, id, w.doc, w.result), status: w.result === 'created' ? 201 : 200 },
    };
  }
  if (result !== 'deleted') return undefined;
  if (spec?.soft_deletes_enabled === 'false') {
    const d = deleteDoc(target, id, options);
    return {
      delete: {
        ...writeResult(target, id, d.meta, d.found ? 'deleted' : 'not_found'),
        status: d.found ? 200 : 404,
      },
    };
  }
  const w = writeDoc(target, id, sourceText('{"_tombstone":true}'), options);
  return {
    index: { ...writeResult(target, id, w.doc, w.result), status: w.result === 'created' ? 201 : 200 },
  };
}
