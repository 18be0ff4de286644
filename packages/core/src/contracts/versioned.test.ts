import { describe, expect, it } from 'vitest';
import type { ExactObject } from '../json/exact-json.js';
import { rememberDocumentText, rememberedDocumentText } from '../json/exact-text.js';
import { parseExactJson } from '../json/parse-exact.js';
import { stringifyExact } from '../json/stringify-exact.js';
import { parseIndexName } from '../names/names.js';
import { documentIdFromTexts } from '../values/document-id.js';
import type { BuiltDocument } from './document-builder.js';
import { withVersion } from './versioned.js';

const index = parseIndexName('users');
const id = documentIdFromTexts(['7']);
const text = '{"id":7,"big":1234567890123456789,"f":1.0}';

/** An upsert held as text, counting how often its document is parsed. */
function textDoc(): { doc: BuiltDocument; reads: () => number } {
  let reads = 0;
  const doc = rememberDocumentText(
    {
      op: 'upsert' as const,
      index,
      id,
      get document() {
        reads += 1;
        return parseExactJson(text) as ExactObject;
      },
    },
    text,
  );
  return { doc, reads: () => reads };
}

describe('withVersion', () => {
  it('stamps a text-held upsert without parsing it, and keeps its text', () => {
    const { doc, reads } = textDoc();
    const versioned = withVersion(doc, 42n);
    expect(versioned).toMatchObject({ op: 'upsert', index, id, version: 42n });
    expect(rememberedDocumentText(versioned)).toBe(text);
    expect(reads()).toBe(0);
    // A sink that looks inside still gets the document, exact.
    if (versioned.op !== 'upsert') throw new Error('upsert expected');
    expect(stringifyExact(versioned.document)).toBe(text);
  });

  it('stamps plain upserts and deletes as a copy', () => {
    const plain: BuiltDocument = { op: 'upsert', index, id, document: { a: 1 } };
    expect(withVersion(plain, 3n)).toEqual({ ...plain, version: 3n });
    const gone: BuiltDocument = { op: 'delete', index, id };
    expect(withVersion(gone, 4n)).toEqual({ op: 'delete', index, id, version: 4n });
  });
});
