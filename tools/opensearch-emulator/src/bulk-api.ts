// `_bulk`: NDJSON action/source pairs run in order, each with its own result or
// real error body; sources are stored as the exact line the client sent.

import { checkPipeline } from './cluster-settings.js';
import {
  checkedWriteOptions,
  deleteCreatesIndex,
  type Json,
  putDoc,
  removeDoc,
  writeResult,
} from './docs-api.js';
import { mirrorWrite } from './dual-write.js';
import { OsError, ValidationFailed, validationFailed } from './errors.js';
import type { Faults } from './faults.js';
import { parseLossless, toPlain } from './json/lossless.js';
import { sourceSpec } from './source-filter.js';
import { sourceText } from './source-text.js';
import { parseUpdateBody, updateDoc } from './update-api.js';

const OPS = ['index', 'create', 'update', 'delete'];
const META = new Set([
  '_index',
  '_id',
  'routing',
  'version',
  'version_type',
  'if_seq_no',
  'if_primary_term',
  'require_alias',
  'pipeline',
  'retry_on_conflict',
  '_source',
  'op_type',
  '_type',
]);

interface Action {
  readonly op: string;
  readonly meta: Json;
  readonly source: string | null;
  readonly line: number;
}

function malformed(line: number, detail: string): OsError {
  return new OsError(
    400,
    'illegal_argument_exception',
    `Malformed action/metadata line [${line}], ${detail}`,
  );
}

function parseAction(text: string, line: number): [string, Json] {
  let v: unknown;
  try {
    // Lossless: a version past 2^53 stays exact (a bigint).
    v = toPlain(parseLossless(text));
  } catch {
    throw new OsError(400, 'json_parse_exception', `Unexpected character in action/metadata line [${line}]`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw malformed(line, 'expected START_OBJECT but found [VALUE_STRING]');
  const entries = Object.entries(v as Json);
  if (entries.length === 0) throw malformed(line, 'expected FIELD_NAME but found [END_OBJECT]');
  const [op, meta] = entries[0] as [string, unknown];
  if (!OPS.includes(op))
    throw new OsError(
      400,
      'illegal_argument_exception',
      `Action/metadata line [${line}] contains an unknown parameter [${op}]`,
    );
  if (!meta || typeof meta !== 'object' || Array.isArray(meta))
    throw malformed(line, 'expected START_OBJECT but found [VALUE_STRING]');
  for (const key of Object.keys(meta))
    if (!META.has(key))
      throw new OsError(
        400,
        'illegal_argument_exception',
        `Action/metadata line [${line}] contains an unknown parameter [${key}]`,
      );
  return [op, meta as Json];
}

const UNTERMINATED = 'The bulk request must be terminated by a newline [\\n]';

export function parseBulk(text: string, defaultIndex: string | null): Action[] {
  // `BulkRequestParser.findNextMarker`: a last line without its newline refuses the request.
  if (text.length > 0 && !text.endsWith('\n'))
    throw new OsError(400, 'illegal_argument_exception', UNTERMINATED);
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const actions: Action[] = [];
  for (let i = 0; i < lines.length; i++) {
    if ((lines[i] as string).trim() === '') continue;
    const line = i + 1;
    const [op, meta] = parseAction(lines[i] as string, line);
    let source: string | null = null;
    if (op !== 'delete') {
      i++;
      if (i >= lines.length || (lines[i] as string).trim() === '')
        throw new OsError(400, 'illegal_argument_exception', UNTERMINATED);
      source = lines[i] as string;
    }
    actions.push({ op, meta, source, line });
  }
  if (actions.length === 0) throw validationFailed(['no requests added']);
  validateAll(actions, defaultIndex);
  return actions;
}

/**
 * `BulkRequest.validate`: every item's own request validation (index and id present, version
 * values, id length, ...) runs before anything executes, and any failure refuses the whole
 * request with one 400 listing them all; it is never a per-item error.
 */
function validateAll(actions: readonly Action[], defaultIndex: string | null): void {
  const errors: string[] = [];
  for (const a of actions) {
    if (a.meta._index === undefined && !defaultIndex) errors.push('index is missing');
    const id = a.meta._id === undefined || a.meta._id === null ? undefined : String(a.meta._id);
    if (id === undefined && (a.op === 'delete' || a.op === 'update')) errors.push('id is missing');
    try {
      checkedWriteOptions(
        {
          opType: a.op === 'create' ? 'create' : a.meta.op_type,
          ifSeqNo: a.meta.if_seq_no,
          ifPrimaryTerm: a.meta.if_primary_term,
          version: a.meta.version,
          versionType: a.meta.version_type,
        },
        id,
        a.op === 'delete' ? 'delete' : a.op === 'update' ? 'update' : 'index',
      );
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      errors.push(...error.errors);
    }
  }
  if (errors.length > 0) throw validationFailed(errors);
}

export interface BulkContext {
  readonly faults: Faults;
  readonly q: URLSearchParams;
  readonly forced: boolean;
}

/** The item's `require_alias`: its own flag, else the request's (a delete never has one). */
function requiresAlias(a: Action, q: URLSearchParams): boolean {
  if (a.op === 'delete') return false;
  return (
    a.meta.require_alias === true || (a.meta.require_alias === undefined && q.get('require_alias') === 'true')
  );
}

function runOne(
  store: import('./store.js').Store,
  a: Action,
  target: string,
  id: string | undefined,
  ctx: BulkContext,
  aliasRequired: ReadonlySet<string>,
): Json {
  const meta = a.meta;
  const requireAlias = requiresAlias(a, ctx.q);
  const options = checkedWriteOptions(
    {
      routing: meta.routing ?? ctx.q.get('routing') ?? undefined,
      opType: a.op === 'create' ? 'create' : meta.op_type,
      ifSeqNo: meta.if_seq_no,
      ifPrimaryTerm: meta.if_primary_term,
      version: meta.version,
      versionType: meta.version_type,
    },
    id,
    a.op === 'delete' ? 'delete' : a.op === 'update' ? 'update' : 'index',
  );
  if (id === '')
    throw new OsError(400, 'illegal_argument_exception', 'if _id is specified it must not be empty');
  if (a.op === 'delete') {
    if (id === undefined) throw validationFailed(['id is missing']);
    const r = removeDoc(
      store,
      target,
      id,
      options,
      deleteCreatesIndex(options.versionType, aliasRequired.has(target)),
    );
    return { ...r.body, ...(ctx.forced ? { forced_refresh: true } : {}), status: r.found ? 200 : 404 };
  }
  if (a.op === 'update') {
    if (id === undefined) throw validationFailed(['id is missing']);
    const body = parseUpdateBody(a.source ?? '');
    const own = meta._source ?? body._source;
    const asked =
      own !== undefined || ['_source', '_source_includes', '_source_excludes'].some((k) => ctx.q.has(k));
    const out = updateDoc(store, target, id, body, {
      ...options,
      requireAlias,
      ...(asked ? { source: own === undefined ? sourceSpec(undefined, ctx.q) : sourceSpec(own) } : {}),
    });
    return { ...out.body, ...(ctx.forced ? { forced_refresh: true } : {}), status: out.status };
  }
  checkPipeline(store, meta.pipeline ?? ctx.q.get('pipeline') ?? undefined);
  const docId = id ?? randomId();
  const put = putDoc(store, target, docId, sourceText(a.source ?? ''), { ...options, requireAlias });
  return {
    ...writeResult(put.index, docId, put.doc, put.result, ctx.forced),
    status: put.result === 'created' ? 201 : 200,
  };
}

/** Under dual write an update is resolved to the index (or create) it became, as OpenSearch reports it. */
function resolvedKey(store: import('./store.js').Store, key: string, result: Json): string {
  if (key !== 'update' || result.result === 'noop') return key;
  const dual = store.indexes.get(String(result._index))?.settings.dual_write as Json | undefined;
  if (dual?.index_name === undefined) return key;
  return result.result === 'created' ? 'create' : 'index';
}

export function randomId(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(15))).toString('base64url');
}

/** Runs parsed actions; per-item results with real error bodies. */
export function runBulk(
  store: import('./store.js').Store,
  actions: Action[],
  defaultIndex: string | null,
  ctx: BulkContext,
): { items: Json[]; touched: Set<string> } {
  const items: Json[] = [];
  const touched = new Set<string>();
  const targetOf = (a: Action) => String(a.meta._index ?? defaultIndex ?? '');
  const aliasRequired = new Set(actions.filter((a) => requiresAlias(a, ctx.q)).map(targetOf));
  for (const a of actions) {
    const target = targetOf(a);
    const id = a.meta._id === undefined || a.meta._id === null ? undefined : String(a.meta._id);
    const key = a.op === 'index' && a.meta.op_type === 'create' ? 'create' : a.op;
    try {
      const injected = ctx.faults.rejectItem?.(target, id ?? '');
      if (injected)
        throw new OsError(injected.status, injected.type, injected.reason ?? 'rejected by fault injection');
      const result = runOne(store, a, target, id, ctx, aliasRequired);
      touched.add(String(result._index));
      items.push({ [resolvedKey(store, key, result)]: result });
      const routing = a.meta.routing ?? ctx.q.get('routing') ?? undefined;
      const mirrored = mirrorWrite(
        store,
        String(result._index),
        String(result._id),
        result.result,
        routing === undefined ? undefined : String(routing),
      );
      if (mirrored) {
        items.push(mirrored);
        touched.add(String((Object.values(mirrored)[0] as Json)._index));
      }
    } catch (error) {
      if (!(error instanceof OsError)) throw error;
      const index = store.indexes.get(target);
      items.push({
        [key]: {
          _index: target,
          _id: id ?? null,
          status: error.status,
          error: { ...error.item(), ...(index ? { index_uuid: index.uuid, index: index.name } : {}) },
        },
      });
    }
  }
  return { items, touched };
}
