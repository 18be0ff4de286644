// `_update`: a partial `doc` merged into the stored source (numbers kept as
// sent), `upsert`/`doc_as_upsert`, noop detection, and the optional `get` part.
import { type Json, putDoc, readRouting, writeResult } from './docs-api.js';
import { readDoc, type WriteOptions } from './documents.js';
import { OsError } from './errors.js';
import { JsonNumber, parseLossless, stringifyLossless } from './json/lossless.js';
import { filteredSource, type SourceSpec } from './source-filter.js';
import { sourceFromTree } from './source-text.js';
import type { Index, Store } from './store.js';
import { nextVersion } from './versioning.js';

const FIELDS = new Set([
  'doc',
  'upsert',
  'doc_as_upsert',
  'detect_noop',
  'scripted_upsert',
  'script',
  '_source',
  'if_seq_no',
  'if_primary_term',
]);

function isObject(v: unknown): v is Json {
  return !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof JsonNumber);
}

function deepMerge(a: Json, b: Json): Json {
  const out: Json = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    Object.defineProperty(out, k, {
      value: isObject(v) && isObject(prev) ? deepMerge(prev, v) : v,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

export interface UpdateOutcome {
  readonly index: Index;
  readonly status: number;
  readonly body: Json;
}

/** Parses an update body losslessly and checks its fields. */
export function parseUpdateBody(text: string): Json {
  let tree: unknown;
  try {
    tree = text.trim() === '' ? undefined : parseLossless(text);
  } catch {
    throw new OsError(400, 'parse_exception', 'Failed to parse update request body');
  }
  if (!isObject(tree))
    throw new OsError(
      400,
      'action_request_validation_exception',
      'Validation Failed: 1: script or doc is missing;',
    );
  for (const key of Object.keys(tree))
    if (!FIELDS.has(key)) {
      const near = [...FIELDS].find(
        (f) => f.length === key.length && [...f].filter((c, i) => c !== key[i]).length === 1,
      );
      const hint = near === undefined ? '' : ` did you mean [${near}]?`;
      throw new OsError(
        400,
        'x_content_parse_exception',
        `[1:2] [UpdateRequest] unknown field [${key}]${hint}`,
      );
    }
  if (tree.script !== undefined)
    throw new OsError(400, 'illegal_argument_exception', 'scripts are not supported by the emulator');
  if (tree.doc === undefined && tree.upsert === undefined)
    throw new OsError(
      400,
      'action_request_validation_exception',
      'Validation Failed: 1: script or doc is missing;',
    );
  if (tree.doc !== undefined && !isObject(tree.doc))
    throw new OsError(400, 'x_content_parse_exception', '[UpdateRequest] failed to parse field [doc]');
  return tree;
}

function getPart(
  raw: string,
  doc: { seqNo: number; primaryTerm: number },
  spec: SourceSpec | undefined,
): Json {
  if (spec === undefined) return {};
  const source = filteredSource(raw, spec);
  return {
    get: {
      _seq_no: doc.seqNo,
      _primary_term: doc.primaryTerm,
      found: true,
      ...(source === undefined ? {} : { _source: source }),
    },
  };
}

export function updateDoc(
  store: Store,
  target: string,
  id: string,
  body: Json,
  options: WriteOptions & { requireAlias?: boolean; source?: SourceSpec },
): UpdateOutcome {
  if (options.requireAlias && !store.aliases.has(target))
    throw new OsError(
      404,
      'index_not_found_exception',
      `no such index [${target}] and [require_alias] request flag is [true] and [${target}] is not an alias`,
      { index: target },
    );
  const index = store.writeTarget(target);
  const routing = store.writeRouting(target, readRouting(store, target, index, options.routing));
  const opts = { ...options, requireAlias: false, ...(routing === undefined ? {} : { routing }) };
  const existing = readDoc(index, id, routing);
  if (!existing) {
    const seed =
      body.doc_as_upsert === true && isObject(body.doc)
        ? body.doc
        : isObject(body.upsert)
          ? body.upsert
          : undefined;
    if (!seed)
      throw new OsError(404, 'document_missing_exception', `[${id}]: document missing`, {
        index: index.name,
        shard: '0',
        index_uuid: index.uuid,
      });
    const put = putDoc(store, index.name, id, sourceFromTree(seed), opts);
    return {
      index,
      status: 201,
      body: {
        ...writeResult(index, id, put.doc, 'created'),
        ...getPart(put.doc.raw, put.doc, options.source),
      },
    };
  }
  if (options.ifSeqNo !== undefined)
    nextVersion(
      index.name,
      id,
      { ...existing, deleted: false },
      { ifSeqNo: options.ifSeqNo, ifPrimaryTerm: options.ifPrimaryTerm ?? 0 },
    );
  const current = parseLossless(existing.raw) as Json;
  const merged = deepMerge(current, isObject(body.doc) ? body.doc : {});
  const detectNoop = body.detect_noop !== false;
  if (detectNoop && stringifyLossless(merged) === stringifyLossless(current)) {
    const noop = {
      ...writeResult(index, id, existing, 'noop'),
      _shards: { total: 0, successful: 0, failed: 0 },
    };
    return { index, status: 200, body: { ...noop, ...getPart(existing.raw, existing, options.source) } };
  }
  const put = putDoc(store, index.name, id, sourceFromTree(merged), opts);
  return {
    index,
    status: 200,
    body: { ...writeResult(index, id, put.doc, 'updated'), ...getPart(put.doc.raw, put.doc, options.source) },
  };
}
