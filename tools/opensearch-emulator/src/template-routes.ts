// Composable index templates: PUT/GET/HEAD/DELETE `/_index_template/{name}` (names may be wildcards).
import { OsError } from './errors.js';
import { ok, type Req, type Res } from './req-res.js';
import type { Store } from './store.js';
import { parseComponentTemplate, parseTemplate } from './templates.js';
import { wildcardRegExp } from './wildcard.js';

export function indexTemplates(store: Store, req: Req, name: string | undefined): Res {
  const m = req.method;
  if (name !== undefined && (m === 'PUT' || m === 'POST')) {
    if (req.query.get('create') === 'true' && store.templates.has(name))
      throw new OsError(400, 'illegal_argument_exception', `index template [${name}] already exists`);
    const body = req.json();
    if (!Array.isArray(body.index_patterns) && typeof body.index_patterns !== 'string')
      throw new OsError(
        400,
        'action_request_validation_exception',
        'Validation Failed: 1: index patterns are missing;',
      );
    store.templates.set(name, parseTemplate(body));
    return ok({ acknowledged: true });
  }
  const patterns = name === undefined ? ['*'] : name.split(',');
  const named = [...store.templates.keys()]
    .filter((n) => patterns.some((p) => wildcardRegExp(p).test(n)))
    .sort();
  if (name !== undefined && named.length === 0 && !(m === 'DELETE' && name.includes('*'))) {
    if (m === 'HEAD') return ok(null, 404);
    throw new OsError(404, 'resource_not_found_exception', `index template matching [${name}] not found`);
  }
  if (m === 'DELETE') {
    for (const n of named) store.templates.delete(n);
    return ok({ acknowledged: true });
  }
  if (m === 'HEAD') return ok(null, 200);
  return ok({
    index_templates: named.map((n) => ({ name: n, index_template: store.templates.get(n)?.body ?? {} })),
  });
}

/** `PUT /_component_template/{name}`. */
export function componentTemplates(store: Store, req: Req, name: string | undefined): Res {
  if (name === undefined)
    throw new OsError(400, 'illegal_argument_exception', 'a component template name is required');
  if (req.method === 'PUT' || req.method === 'POST') {
    store.componentTemplates.set(name, parseComponentTemplate(req.json()));
    return ok({ acknowledged: true });
  }
  if (req.method === 'DELETE') {
    if (!store.componentTemplates.delete(name))
      throw new OsError(
        404,
        'resource_not_found_exception',
        `component template matching [${name}] not found`,
      );
    return ok({ acknowledged: true });
  }
  const t = store.componentTemplates.get(name);
  if (!t)
    throw new OsError(404, 'resource_not_found_exception', `component template matching [${name}] not found`);
  return ok({ component_templates: [{ name, component_template: t }] });
}
