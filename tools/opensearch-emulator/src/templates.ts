// Composable index templates (`/_index_template/{name}`) and the component
// templates they are composed of: an index created with a name a template's
// patterns match starts from the components' then the template's settings,
// mappings and aliases; the create request's own body wins. Highest `priority` first.
import { aliasJson, aliasProps } from './aliases.js';
import { OsError } from './errors.js';
import { normalizeSettings } from './index-settings.js';
import { wildcardRegExp } from './wildcard.js';

type Json = Record<string, unknown>;

export interface IndexTemplate {
  readonly indexPatterns: readonly string[];
  readonly priority: number;
  readonly composedOf: readonly string[];
  readonly template: Json;
  /** The body as GET returns it (patterns as a list, settings normalised). */
  readonly body: Json;
}

function normalizeTemplate(t: unknown): Json {
  const template = (t && typeof t === 'object' ? t : {}) as Json;
  const aliases = template.aliases as Record<string, Json> | undefined;
  return {
    ...template,
    ...(aliases && typeof aliases === 'object'
      ? {
          aliases: Object.fromEntries(
            Object.entries(aliases).map(([a, p]) => [a, aliasJson(aliasProps(p ?? {}))]),
          ),
        }
      : {}),
    ...(template.settings === undefined ? {} : { settings: { index: normalizeSettings(template.settings) } }),
  };
}

export function parseTemplate(body: Json): IndexTemplate {
  const raw = body.index_patterns;
  const patterns = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.split(',') : [];
  if (patterns.length === 0)
    throw new OsError(
      400,
      'action_request_validation_exception',
      'Validation Failed: 1: index patterns are missing;',
    );
  const template = normalizeTemplate(body.template);
  const composedOf = Array.isArray(body.composed_of) ? body.composed_of.map(String) : [];
  return {
    indexPatterns: patterns,
    priority: typeof body.priority === 'number' ? body.priority : 0,
    composedOf,
    template,
    body: { ...body, index_patterns: patterns, ...(body.template === undefined ? {} : { template }) },
  };
}

export function parseComponentTemplate(body: Json): Json {
  if (!body.template || typeof body.template !== 'object')
    throw new OsError(
      400,
      'action_request_validation_exception',
      'Validation Failed: 1: template is missing;',
    );
  return { ...body, template: normalizeTemplate(body.template) };
}

/** The template that applies to a new index `name`, if any. */
export function matchingTemplate(
  templates: ReadonlyMap<string, IndexTemplate>,
  name: string,
): IndexTemplate | undefined {
  return [...templates.values()]
    .filter((t) => t.indexPatterns.some((p) => wildcardRegExp(p).test(name)))
    .sort((a, b) => b.priority - a.priority)[0];
}

function isObject(v: unknown): v is Json {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function deepMerge(a: Json, b: Json): Json {
  const out: Json = { ...a };
  for (const [k, v] of Object.entries(b))
    out[k] = isObject(v) && isObject(out[k]) ? deepMerge(out[k] as Json, v) : v;
  return out;
}

function layer(acc: Json, t: Json): Json {
  return {
    settings: deepMerge((acc.settings ?? {}) as Json, { index: normalizeSettings(t.settings ?? {}) }),
    mappings: deepMerge((acc.mappings ?? {}) as Json, (t.mappings ?? {}) as Json),
    aliases: { ...((acc.aliases ?? {}) as Json), ...((t.aliases ?? {}) as Json) },
  };
}

/** A create body on top of a template and its components: later layers win, mappings merge deeply. */
export function withTemplate(
  body: Json,
  template: IndexTemplate | undefined,
  components: ReadonlyMap<string, Json>,
): Json {
  if (template === undefined) return body;
  let acc: Json = {};
  for (const name of template.composedOf) {
    const c = components.get(name);
    if (c) acc = layer(acc, (c.template ?? {}) as Json);
  }
  acc = layer(acc, template.template);
  acc = layer(acc, body);
  return { ...body, ...acc };
}
