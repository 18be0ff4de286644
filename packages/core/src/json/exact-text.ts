// Exact JSON text remembered beside the value it spells, by identity: a document
// the builder wrote as text (straight from the JSON Postgres printed) goes into the
// bulk body as that text, never parsed and re-serialised. Values are immutable
// (ExactJson is readonly), so a remembered text cannot go stale; a copy or a
// changed document is a new object with nothing remembered.

const valueTexts = new WeakMap<object, string>();
const documentTexts = new WeakMap<object, string>();

/** Remembers that `stringifyExact(value)` is `text`; returns `value`. */
export function rememberExactText<T extends object>(value: T, text: string): T {
  valueTexts.set(value, text);
  return value;
}

/** The text remembered for `value` by rememberExactText, if any. */
export function rememberedExactText(value: object): string | undefined {
  return valueTexts.get(value);
}

/**
 * Remembers that the `document` of `holder` (a built write) serialises to `text`, so a
 * sink reads the text without touching `document` (which may be parsed only on read).
 */
export function rememberDocumentText<T extends object>(holder: T, text: string): T {
  documentTexts.set(holder, text);
  return holder;
}

/** The document text remembered for `holder` by rememberDocumentText, if any. */
export function rememberedDocumentText(holder: object): string | undefined {
  return documentTexts.get(holder);
}
