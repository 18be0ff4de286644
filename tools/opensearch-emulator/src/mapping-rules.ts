// Checks a mappings body as OpenSearch's mapper does before accepting it:
// no type level, known root parameters, named fields of known types.
import { OsError } from './errors.js';
import { stringifyLossless } from './json/lossless.js';

type Json = Record<string, unknown>;

const ROOT = new Set([
  'properties',
  'dynamic',
  '_source',
  '_routing',
  '_meta',
  'dynamic_templates',
  'date_detection',
  'numeric_detection',
  'dynamic_date_formats',
  '_field_names',
  'enabled',
  'derived',
  '_size',
  '_data_stream_timestamp',
]);

const TYPES = new Set([
  'text',
  'keyword',
  'long',
  'integer',
  'short',
  'byte',
  'double',
  'float',
  'half_float',
  'scaled_float',
  'unsigned_long',
  'boolean',
  'date',
  'date_nanos',
  'object',
  'nested',
  'flat_object',
  'geo_point',
  'geo_shape',
  'ip',
  'binary',
  'alias',
  'join',
  'completion',
  'search_as_you_type',
  'token_count',
  'integer_range',
  'long_range',
  'float_range',
  'double_range',
  'date_range',
  'ip_range',
  'rank_feature',
  'rank_features',
  'percolator',
  'knn_vector',
  'match_only_text',
  'wildcard',
  'constant_keyword',
  'derived',
  'star_tree',
  'semantic',
  'murmur3',
]);

function checkField(name: string, spec: unknown): void {
  if (name === '')
    throw new OsError(400, 'illegal_argument_exception', 'field name cannot be an empty string');
  if (/^\.+$/.test(name))
    throw new OsError(400, 'illegal_argument_exception', 'field name cannot contain only the character [.]');
  if (!spec || typeof spec !== 'object' || Array.isArray(spec))
    throw new OsError(
      400,
      'mapper_parsing_exception',
      `Expected map for property [fields] on field [${name}] but got a class java.lang.String`,
    );
  const s = spec as Json;
  const type = s.type === undefined ? (s.properties ? 'object' : 'object') : String(s.type);
  if (!TYPES.has(type))
    throw new OsError(
      400,
      'mapper_parsing_exception',
      `No handler for type [${type}] declared on field [${name}]`,
    );
  if (s.properties !== undefined) checkProperties(s.properties);
}

export function checkProperties(props: unknown): void {
  if (!props || typeof props !== 'object' || Array.isArray(props))
    throw new OsError(400, 'mapper_parsing_exception', 'Expected map for property [properties]');
  for (const [name, spec] of Object.entries(props)) checkField(name, spec);
}

/** `a.b: {...}` in properties means `a: {properties: {b: {...}}}`. */
export function expandDotted(props: Json): Json {
  const out: Json = {};
  for (const [name, spec] of Object.entries(props)) {
    const s = (spec && typeof spec === 'object' ? { ...(spec as Json) } : spec) as Json;
    if (s && typeof s === 'object' && s.properties && typeof s.properties === 'object')
      s.properties = expandDotted(s.properties as Json);
    const [head, ...rest] = name.split('.');
    if (rest.length === 0 || head === '' || rest.some((p) => p === '')) {
      out[name] = s;
      continue;
    }
    const parent = (out[head as string] ?? { properties: {} }) as Json;
    const inner = expandDotted({ [rest.join('.')]: s });
    out[head as string] = { ...parent, properties: { ...((parent.properties ?? {}) as Json), ...inner } };
  }
  return out;
}

export function checkMappings(mappings: unknown, put = false): void {
  if (mappings === undefined || mappings === null) return;
  if (typeof mappings !== 'object' || Array.isArray(mappings))
    throw new OsError(400, 'mapper_parsing_exception', 'Failed to parse mapping: mappings must be an object');
  const m = mappings as Json;
  const keys = Object.keys(m);
  if (
    keys.length === 1 &&
    !ROOT.has(keys[0] as string) &&
    m[keys[0] as string] &&
    typeof m[keys[0] as string] === 'object'
  )
    throw new OsError(
      400,
      'illegal_argument_exception',
      put
        ? 'Types cannot be provided in put mapping requests'
        : `The mapping definition cannot be nested under a type [${keys[0]}] unless include_type_name is set to true.`,
    );
  const unknown = keys.filter((k) => !ROOT.has(k));
  if (unknown.length > 0)
    throw new OsError(
      400,
      'mapper_parsing_exception',
      `Root mapping definition has unsupported parameters:  [${unknown.map((k) => `${k} : ${stringifyLossless(m[k])}`).join(', ')}]`,
    );
  if (m.properties !== undefined) checkProperties(m.properties);
}
