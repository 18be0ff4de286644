// A built document stamped with its external version. A plain spread would read
// `document`, which for a document held as Postgres's text means parsing it only to
// copy it; the copy here keeps the text remembered for the bulk body instead and
// reads `document` only if a sink does.
import { rememberDocumentText, rememberedDocumentText } from '../json/exact-text.js';
import type { BuiltDocument } from './document-builder.js';

/** `doc` with `version` (`external_gte`), its remembered document text kept. */
export function withVersion(doc: BuiltDocument, version: bigint): BuiltDocument {
  const text = doc.op === 'upsert' ? rememberedDocumentText(doc) : undefined;
  if (doc.op === 'delete' || text === undefined) return { ...doc, version };
  const { index, id } = doc;
  return rememberDocumentText(
    {
      op: 'upsert' as const,
      index,
      id,
      version,
      get document() {
        return doc.document;
      },
    },
    text,
  );
}
