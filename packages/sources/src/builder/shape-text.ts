// The declared document written straight from the JSON text the document SQL
// printed, without building it as objects. A walk that follows the schema
// (text-plan.ts) cuts Postgres's spaces out as it goes, checks every value, and
// splices in only those the coercion changes: a zone-less
// timestamp, a BC date, NaN, a transform, a default, a constant field. Numbers
// keep their digits and plain strings their bytes because they are never
// rewritten. A free-shape value (json, map, geo, custom), or any value not shaped
// as the SQL promises, goes through the exact reader, coerceField and the exact
// writer, as the old path does. So the text is byte for byte
// stringifyExact(coerceDocument(fields, parseExactJson(text))) (shape-text.test.ts).
import { type ExactJson, exactNumber, FlussoError, parseExactJson, stringifyExact } from '@flusso/core';
import { coerceTyped, scalarDescriptors } from '../types/scalar-descriptors.js';
import type { ValueNote, ValueNoteSink } from '../types/value-notes.js';
import { coerceField, transform } from './coerce.js';
import { isSpace, numberEnd, stringEnd, UNEXPECTED, Unexpected, valueEnd } from './json-scan.js';
import { TextOut } from './text-out.js';
import type { ScalarRule, TextPlan } from './text-plan.js';

const PLAIN_STRING = /"[^"\\]*"/y;

type KeyedPlan = Exclude<TextPlan, { kind: 'constant' }>;

export class TextShaper implements ValueNoteSink {
  private text = '';
  private pos = 0;
  /** The output so far is what `out` holds + text[from, pos). */
  private readonly out = new TextOut();
  private from = 0;
  // Notes of this document, told to the caller's sink only once the document is done.
  private nonFinite = 0;
  private infinite = 0;

  constructor(private readonly plans: readonly TextPlan[]) {}

  note(kind: ValueNote): void {
    if (kind === 'non_finite_number') this.nonFinite += 1;
    else this.infinite += 1;
  }

  /** The document's text for the bulk body; null when `text` is not one object the plans fit. */
  shape(text: string, notes: ValueNoteSink): string | null {
    this.text = text;
    this.pos = 0;
    this.out.reset(text);
    this.from = 0;
    this.nonFinite = 0;
    this.infinite = 0;
    try {
      this.ws();
      this.object(this.plans);
      this.ws();
      if (this.pos !== this.text.length) return null;
      for (let i = 0; i < this.nonFinite; i++) notes.note('non_finite_number');
      for (let i = 0; i < this.infinite; i++) notes.note('infinite_date');
      // Nothing cut: the text as it is, unless it may hold a lone surrogate (written escaped).
      if (this.from === 0 && this.out.asciiSource()) return text;
      this.out.append(text, this.from, text.length);
      return this.out.text();
    } catch (error) {
      // Malformed text (a bad escape, a bad span): the old path reports it.
      if (error instanceof Unexpected || error instanceof FlussoError || error instanceof SyntaxError)
        return null;
      throw error;
    } finally {
      this.text = '';
    }
  }

  /** Writes `replacement` in place of text[start, end). */
  private splice(replacement: string, start: number, end: number): void {
    this.out.append(this.text, this.from, start);
    this.out.append(replacement, 0, replacement.length);
    this.from = end;
  }

  private object(plans: readonly TextPlan[]): void {
    this.expect(0x7b); // {
    this.ws();
    let wrote = false;
    let read = false;
    for (const plan of plans) {
      if (plan.kind === 'constant') {
        // Not in the SQL's object: inserted before the next key, or before `}`.
        const atKey = this.text.charCodeAt(this.pos) === 0x22 || this.text.charCodeAt(this.pos) === 0x2c;
        const entry = `${plan.key}${plan.text}`;
        if (atKey && read) this.splice(`,${entry}`, this.pos, this.pos);
        else if (atKey) this.splice(`${entry},`, this.pos, this.pos);
        else this.splice(wrote ? `,${entry}` : entry, this.pos, this.pos);
        wrote = true;
        continue;
      }
      // `, "key" : ` as Postgres prints it becomes `,"key":` in one cut.
      const start = this.pos;
      if (read) {
        this.expect(0x2c); // ,
        this.skip();
      }
      if (!this.text.startsWith(plan.quoted, this.pos)) throw UNEXPECTED;
      this.pos += plan.quoted.length;
      this.skip();
      this.expect(0x3a); // :
      this.skip();
      if (this.pos - start !== plan.key.length + (read ? 1 : 0))
        this.splice(read ? plan.commaKey : plan.key, start, this.pos);
      this.field(plan);
      this.ws();
      read = true;
      wrote = true;
    }
    this.expect(0x7d); // }
  }

  /** One field's value: its plan's way, else (nothing written) the old path on its text. */
  private field(plan: KeyedPlan): void {
    const { pos, from, nonFinite, infinite } = this;
    const mark = this.out.mark();
    try {
      this.planned(plan);
      return;
    } catch (error) {
      if (!(error instanceof Unexpected)) throw error;
    }
    this.out.rewind(mark);
    this.from = from;
    this.nonFinite = nonFinite;
    this.infinite = infinite;
    this.pos = pos;
    const end = valueEnd(this.text, this.pos);
    const raw = parseExactJson(this.text.slice(pos, end));
    this.splice(stringifyExact(coerceField(plan.field, raw, this)), pos, end);
    this.pos = end;
  }

  private planned(plan: KeyedPlan): void {
    const c = this.text.charCodeAt(this.pos);
    if (plan.kind === 'scalar') this.scalar(plan.rule, true);
    else if (plan.kind === 'ids' && c === 0x5b) this.scalar(plan.rule, false);
    else if (plan.kind === 'count' && (c === 0x2d || (c >= 0x30 && c <= 0x39)))
      this.pos = numberEnd(this.text, this.pos);
    else if (plan.kind === 'object') this.object(plan.fields);
    else if (plan.kind === 'one' && c === 0x6e) this.literal('null');
    else if (plan.kind === 'one') this.object(plan.fields);
    else if (plan.kind === 'many') this.array(plan.fields, null);
    else throw UNEXPECTED; // spans, and what the plan does not expect
  }

  /** A scalar value, or an array of them element by element (`top`: a null takes the default). */
  private scalar(rule: ScalarRule, top: boolean): void {
    const start = this.pos;
    const c = this.text.charCodeAt(start);
    if (c === 0x22) this.string(rule);
    else if (c === 0x5b) this.array(null, rule);
    else if (c === 0x6e) {
      this.literal('null');
      if (top && rule.field.default !== undefined)
        this.splice(stringifyExact(coerceTyped(rule.type, rule.field.default, this)), start, this.pos);
    } else if (c === 0x74 || c === 0x66) {
      this.literal(c === 0x74 ? 'true' : 'false');
      if (!rule.booleansAsIs) this.coerced(rule, c === 0x74, start);
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      const end = numberEnd(this.text, this.pos);
      const token = rule.numbersAsIs ? '' : this.text.slice(start, end);
      this.pos = end;
      if (!rule.numbersAsIs) this.coerced(rule, exactNumber(token), start);
    } else throw UNEXPECTED;
  }

  /** A string left as printed when the coercion keeps it, else the coerced value spliced in. */
  private string(rule: ScalarRule): void {
    const start = this.pos;
    PLAIN_STRING.lastIndex = start;
    const escaped = !PLAIN_STRING.test(this.text);
    const end = escaped ? stringEnd(this.text, start) : PLAIN_STRING.lastIndex;
    this.pos = end;
    if (!escaped && rule.stringsAsIs) return;
    if (!escaped && rule.canonical !== null) {
      rule.canonical.lastIndex = start;
      if (rule.canonical.test(this.text)) return;
    }
    const token = this.text.slice(start, end);
    const s = escaped ? (JSON.parse(token) as string) : token.slice(1, -1);
    const v = transform(rule, s);
    const coerced = v === null ? null : scalarDescriptors[rule.type].coerce(v, this);
    if (coerced === s && !escaped) return;
    const written = stringifyExact(coerced);
    if (written !== token) this.splice(written, start, end);
  }

  /** Splices in the coercion of the non-string value that ends at `pos`. */
  private coerced(rule: ScalarRule, v: ExactJson, start: number): void {
    const value = transform(rule, v);
    const out = value === null ? null : scalarDescriptors[rule.type].coerce(value, this);
    this.splice(stringifyExact(out), start, this.pos);
  }

  /** An array of objects (`plans`) or of scalars (`rule`); no closure: one would cost an allocation per call. */
  private array(plans: readonly TextPlan[] | null, rule: ScalarRule | null): void {
    this.expect(0x5b); // [
    this.ws();
    if (this.text.charCodeAt(this.pos) === 0x5d) {
      this.pos += 1;
      return;
    }
    for (;;) {
      if (plans !== null) this.object(plans);
      else if (rule !== null) this.scalar(rule, false);
      this.ws();
      const c = this.text.charCodeAt(this.pos++);
      if (c === 0x5d) return;
      if (c !== 0x2c) throw UNEXPECTED;
      this.ws();
    }
  }

  private literal(word: 'true' | 'false' | 'null'): void {
    if (!this.text.startsWith(word, this.pos)) throw UNEXPECTED;
    this.pos += word.length;
  }

  /** Moves past the run of JSON whitespace at `pos` (the caller cuts it). */
  private skip(): void {
    while (isSpace(this.text.charCodeAt(this.pos))) this.pos += 1;
  }

  /** Drops the run of JSON whitespace at `pos` (Postgres prints `"k" : v, `). */
  private ws(): void {
    const start = this.pos;
    let c = this.text.charCodeAt(start);
    if (!isSpace(c)) return;
    do c = this.text.charCodeAt(++this.pos);
    while (isSpace(c));
    this.splice('', start, this.pos);
  }

  private expect(code: number): void {
    if (this.text.charCodeAt(this.pos) !== code) throw UNEXPECTED;
    this.pos += 1;
  }
}
