// A built upsert whose document is held as the exact text the bulk body carries:
// sinks that write text read it (rememberedDocumentText) without the document
// ever being parsed; `document` is parsed on first read, for the sinks that look
// inside (a tenant field, a stdout envelope), and equals what the old path built.
import type { BuiltDocument, DocumentId, ExactObject, IndexName } from '@flusso/core';
import { isExactObject, parseExactJson, rememberDocumentText, rememberExactText } from '@flusso/core';

export function textUpsert(index: IndexName, id: DocumentId, text: string): BuiltDocument {
  let document: ExactObject | undefined;
  const write = {
    op: 'upsert' as const,
    index,
    id,
    get document(): ExactObject {
      document ??= rememberExactText(objectOf(parseExactJson(text)), text);
      return document;
    },
  };
  return rememberDocumentText(write, text);
}

function objectOf(value: ReturnType<typeof parseExactJson>): ExactObject {
  // The shaper only ever writes an object; anything else is a bug worth a loud stop.
  if (!isExactObject(value)) throw new TypeError('a shaped document is not an object');
  return value;
}
