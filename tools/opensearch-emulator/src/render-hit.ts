// One hit as a search reply shows it, for `_search` pages, scroll and `top_hits`:
// the stored `_source` bytes (or a filtered lossless copy), fields and metadata.

import { fieldFormat, fieldType, sortValueOf } from './field-types.js';
import type { NestedPlace } from './nested.js';
import type { Hit } from './query.js';
import { sortFields, sortValues } from './query.js';
import { filteredSource, filterPlain, sourceSpec } from './source-filter.js';
import { type Index, type StoredDoc, sourceEnabled } from './store.js';
import { docvalueFields, storedFields } from './stored-fields.js';

export type RenderableHit = Hit & {
  readonly index: string;
  readonly doc?: StoredDoc;
  /** Set on a nested object's hit (from a `nested` aggregation): `_nested` and its own `_source`. */
  readonly nested?: NestedPlace;
};

export interface HitSpec {
  readonly _source?: unknown;
  readonly sort?: unknown;
  readonly docvalue_fields?: unknown;
  readonly stored_fields?: unknown;
  readonly version?: unknown;
  readonly seq_no_primary_term?: unknown;
}

export interface RenderOptions {
  readonly q?: URLSearchParams;
  readonly indexOf?: (name: string) => Index | undefined;
}

function storedList(spec: unknown): string[] | undefined {
  if (spec === undefined || spec === null) return undefined;
  return Array.isArray(spec) ? spec.map(String) : String(spec).split(',');
}

export function renderHit(
  h: RenderableHit,
  spec: HitSpec,
  options: RenderOptions = {},
): Record<string, unknown> {
  const stored = storedList(spec.stored_fields ?? options.q?.get('stored_fields') ?? undefined);
  const sourceRequested =
    spec._source !== undefined || options.q?.has('_source') || options.q?.has('_source_includes');
  const noSource =
    stored !== undefined && !stored.includes('_source') && (!sourceRequested || stored.includes('_none_'));
  const wanted = noSource
    ? { fetch: false, includes: [], excludes: [] }
    : sourceSpec(spec._source, options.q);
  const index = options.indexOf?.(h.index);
  const source = !sourceEnabled(index)
    ? undefined
    : h.nested
      ? filterPlain(h.nested.object, wanted)
      : h.doc
        ? filteredSource(h.doc.raw, wanted)
        : filterPlain(h.source, wanted);
  const fields = spec.sort === undefined ? [] : sortFields(spec.sort);
  const sort = sortValues(h, spec.sort, (_, field) => fieldType(index, field))?.map((v, i) =>
    sortValueOf(v, fieldType(index, fields[i] ?? ''), fieldFormat(index, fields[i] ?? '')),
  );
  const fetched = {
    ...(index && stored && !stored.includes('_none_') ? storedFields(index, h.source, stored) : {}),
    ...(index && spec.docvalue_fields ? docvalueFields(index, h.source, spec.docvalue_fields) : {}),
  };
  const withVersion = spec.version === true || options.q?.get('version') === 'true';
  const withSeqNo = spec.seq_no_primary_term === true || options.q?.get('seq_no_primary_term') === 'true';
  return {
    _index: h.index,
    _id: h.id,
    ...(h.nested ? { _nested: { field: h.nested.field, offset: h.nested.offset } } : {}),
    ...(withVersion && h.doc ? { _version: h.doc.version } : {}),
    ...(withSeqNo && h.doc ? { _seq_no: h.doc.seqNo, _primary_term: h.doc.primaryTerm } : {}),
    _score: spec.sort ? null : 1,
    ...(h.doc?.routing !== undefined && stored?.includes('_none_') !== true
      ? { _routing: h.doc.routing }
      : {}),
    ...(source === undefined ? {} : { _source: source }),
    ...(Object.keys(fetched).length > 0 ? { fields: fetched } : {}),
    ...(sort ? { sort } : {}),
  };
}
