// Alias APIs: `_aliases` actions (atomic), PUT/DELETE/GET/HEAD `_alias`, with
// alias properties and multi-alias expressions (`_all`, `*`, lists, wildcards).
import { aliasJson, aliasProps } from './aliases.js';
import { OsError } from './errors.js';
import { type Json, ok, type Req, type Res } from './req-res.js';
import type { Store } from './store.js';
import { wildcardRegExp } from './wildcard.js';

const names = (v: unknown): string[] =>
  v === undefined || v === null
    ? []
    : Array.isArray(v)
      ? v.map(String)
      : String(v)
          .split(',')
          .map((s) => s.trim());

const missing = (expr: string) =>
  new OsError(404, 'aliases_not_found_exception', `aliases [${expr}] missing`, {
    'resource.type': 'aliases',
    'resource.id': expr,
  });

/** Aliases on `index` named by `patterns` (`_all`, `*`, wildcards, names). */
function matchingAliases(store: Store, index: string, patterns: string[]): string[] {
  const own = [...store.aliases.ofIndex(index).keys()];
  return own.filter((a) => patterns.some((p) => p === '_all' || wildcardRegExp(p).test(a)));
}

function checkAliasName(alias: string): void {
  if (alias === '' || alias.startsWith('_') || alias.startsWith('-') || /[A-Z\\/*?"<>| ,#]/.test(alias))
    throw new OsError(
      400,
      'invalid_alias_name_exception',
      `Invalid alias name [${alias}], must not contain the following characters [ , \\, /, *, ?, ", <, >, |,  , ,, #]`,
    );
}

function applyAction(store: Store, kind: string, spec: Json, removals: string[]): void {
  if (!spec || typeof spec !== 'object') throw new OsError(400, 'parsing_exception', `[${kind}] malformed`);
  for (const key of ['aliases', 'indices'])
    if (Array.isArray(spec[key]) && (spec[key] as unknown[]).length === 0)
      throw new OsError(400, 'illegal_argument_exception', `[${key}] can't be empty`);
  const indexExprs = [...names(spec.index), ...names(spec.indices)];
  const aliasExprs = [...names(spec.alias), ...names(spec.aliases)];
  if (indexExprs.length === 0)
    throw new OsError(
      400,
      'action_request_validation_exception',
      'Validation Failed: 1: One of [index] or [indices] is required;',
    );
  if (kind !== 'remove_index' && aliasExprs.length === 0)
    throw new OsError(
      400,
      'action_request_validation_exception',
      'Validation Failed: 1: One of [alias] or [aliases] is required;',
    );
  const indices = indexExprs.flatMap((i) => store.resolve(i));
  if (kind === 'add') {
    const props = aliasProps(spec);
    for (const a of aliasExprs) checkAliasName(a);
    for (const index of indices) for (const a of aliasExprs) store.addAlias(a, index, props);
  } else if (kind === 'remove') {
    let removed = 0;
    for (const index of indices)
      for (const a of matchingAliases(store, index, aliasExprs))
        removed += Number(store.aliases.delete(a, index));
    if (removed === 0 && spec.must_exist !== false) throw missing(aliasExprs.join(','));
  } else if (kind === 'remove_index') removals.push(...indices);
  else throw new OsError(400, 'parsing_exception', `Unknown action [${kind}]`);
}

export function updateAliases(store: Store, body: Json): Res {
  const actions = body.actions;
  if (!Array.isArray(actions) || actions.length === 0)
    throw new OsError(
      400,
      'action_request_validation_exception',
      'Validation Failed: 1: Must specify at least one alias action;',
    );
  const backup = store.aliases.snapshot();
  const removals: string[] = [];
  try {
    for (const action of actions as Json[]) {
      const entries = Object.entries(action ?? {});
      if (entries.length !== 1) throw new OsError(400, 'parsing_exception', 'Expected one alias action');
      const [kind, spec] = entries[0] as [string, Json];
      applyAction(store, kind, spec, removals);
    }
  } catch (error) {
    store.aliases.restore(backup);
    throw error;
  }
  for (const index of removals) store.deleteIndex(index);
  return ok({ acknowledged: true });
}

/** GET/HEAD `_alias`: indices → their aliases (those named by `aliasExpr`). */
function getAliases(
  store: Store,
  req: Req,
  indexExpr: string | undefined,
  aliasExpr: string | undefined,
): Res {
  const indices = indexExpr === undefined ? [...store.indexes.keys()].sort() : store.resolve(indexExpr);
  const patterns = aliasExpr === undefined ? ['_all'] : names(aliasExpr);
  const out: Json = {};
  const seen = new Set<string>();
  for (const index of indices) {
    const aliases: Json = {};
    for (const a of matchingAliases(store, index, patterns).sort()) {
      aliases[a] = aliasJson(store.aliases.props(a, index) ?? {});
      seen.add(a);
    }
    if (aliasExpr === undefined || Object.keys(aliases).length > 0) out[index] = { aliases };
  }
  const absent = patterns.filter((p) => !p.includes('*') && p !== '_all' && !seen.has(p));
  if (req.method === 'HEAD') return ok(null, Object.keys(out).length > 0 && absent.length === 0 ? 200 : 404);
  if (aliasExpr !== undefined && absent.length > 0) {
    const error = `alias [${absent.join(',')}] missing`;
    return ok({ error, status: 404, ...out }, 404);
  }
  return ok(out);
}

/** `/_alias...`, `/{index}/_alias...` (and `_aliases`). */
export function aliasRoutes(
  store: Store,
  req: Req,
  indexExpr: string | undefined,
  aliasExpr: string | undefined,
): Res {
  const m = req.method;
  if (m === 'GET' || m === 'HEAD') return getAliases(store, req, indexExpr, aliasExpr);
  if (m === 'PUT' || m === 'POST') {
    const body = req.json();
    const known = [
      'index',
      'indices',
      'alias',
      'aliases',
      'filter',
      'routing',
      'index_routing',
      'search_routing',
      'is_write_index',
      'is_hidden',
      'must_exist',
    ];
    for (const key of Object.keys(body))
      if (!known.includes(key))
        throw new OsError(400, 'x_content_parse_exception', `[1:2] [alias] unknown field [${key}]`);
    const alias = body.alias === undefined ? aliasExpr : String(body.alias);
    const index = body.index === undefined ? indexExpr : String(body.index);
    if (alias === undefined || index === undefined)
      throw new OsError(
        400,
        'action_request_validation_exception',
        'Validation Failed: 1: [alias] and [index] are required;',
      );
    return updateAliases(store, { actions: [{ add: { ...body, index, alias } }] });
  }
  if (m === 'DELETE') {
    if (indexExpr === undefined || aliasExpr === undefined)
      throw new OsError(400, 'illegal_argument_exception', 'index and alias are required');
    const indices = store.resolve(indexExpr);
    let removed = 0;
    for (const index of indices)
      for (const a of matchingAliases(store, index, names(aliasExpr)))
        removed += Number(store.aliases.delete(a, index));
    if (removed === 0) throw missing(aliasExpr);
    return ok({ acknowledged: true });
  }
  throw new OsError(
    405,
    'method_not_allowed',
    `Incorrect HTTP method for uri [${req.parts.join('/')}] and method [${m}]`,
  );
}
