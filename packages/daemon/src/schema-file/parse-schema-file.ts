// Validates a `*.schema.yml` into the IndexSchema model. Every error names the
// file, the line and the key; unknown keys are errors.
import { readFileSync } from 'node:fs';
import {
  type Field,
  type Filter,
  type FilterOp,
  FlussoError,
  filterOps,
  type IndexSchema,
  type JoinVerb,
  type JsonObject,
  type JsonValue,
  type KeyColumns,
  type OrderBy,
  type ScalarType,
  type TenantSpec,
  type Through,
  tenantDocumentField,
  tenantField,
} from '@flusso/core';
import { scalarDescriptors } from '@flusso/sources';
import {
  aggregateFns,
  fieldNamePattern,
  joinVerbs,
  pgIdentPattern,
  siblingsByTypeKey,
  topLevelKeys,
  typeKeys,
} from './field-keys.js';
import { type LocatedYaml, type Path, parseYamlWithLines } from './yaml-lines.js';

const PG_IDENT = pgIdentPattern;
const FIELD = fieldNamePattern;

type Obj = Record<string, unknown>;

class SchemaReader {
  constructor(
    private readonly file: string,
    private readonly yaml: LocatedYaml,
  ) {}

  fail(path: Path, message: string): never {
    const key = path.filter((p) => typeof p === 'string').at(-1) ?? '';
    const line = this.yaml.lineOf(path);
    throw new FlussoError('schema_invalid', `${this.file}:${line}: ${key ? `${key}: ` : ''}${message}`, {
      context: { file: this.file, line, key: String(key) },
    });
  }

  object(v: unknown, path: Path, allowed: readonly string[], context: string): Obj {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      this.fail(path, `${context} must be a mapping`);
    for (const key of Object.keys(v))
      if (!allowed.includes(key)) this.fail([...path, key], `unknown key "${key}" in ${context}`);
    return v as Obj;
  }

  list(v: unknown, path: Path): unknown[] {
    if (v === undefined) return [];
    if (!Array.isArray(v)) this.fail(path, 'must be a list');
    return v;
  }

  ident(v: unknown, path: Path): string {
    if (typeof v !== 'string') this.fail(path, 'must be a Postgres identifier');
    const lowered = v.toLowerCase();
    if (!PG_IDENT.test(lowered) || lowered.length > 63)
      this.fail(
        path,
        `"${v}" is not a valid Postgres identifier (^[a-z_][a-z0-9_]*$ after folding to lower case, as unquoted SQL does; at most 63): a table or column created quoted with such a name must be renamed, or read through a view with lower-case names`,
      );
    return lowered;
  }

  /** A key: one column, or a list of columns (a composite key, in order). */
  key(v: unknown, path: Path): KeyColumns {
    if (!Array.isArray(v)) return this.ident(v, path);
    if (v.length === 0) this.fail(path, 'a key needs at least one column');
    const cols = v.map((c, i) => this.ident(c, [...path, i]));
    if (new Set(cols).size !== cols.length) this.fail(path, 'a composite key names each column once');
    return cols.length === 1 ? (cols[0] as string) : cols;
  }

  fieldName(v: unknown, path: Path): string {
    if (typeof v !== 'string' || !FIELD.test(v) || v.length > 63)
      this.fail(path, `"${String(v)}" is not a valid field name (^[a-zA-Z_]\\w*$, at most 63)`);
    return v;
  }

  /** A free-form mapping (options, opensearch): any keys, but a mapping. */
  jsonObject(v: unknown, path: Path): JsonObject {
    if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Date)
      this.fail(path, 'must be a mapping');
    return v as JsonObject;
  }

  bool(v: unknown, path: Path, fallback: boolean): boolean {
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') this.fail(path, 'must be true or false');
    return v;
  }

  filters(v: unknown, path: Path): Filter[] {
    return this.list(v, path).map((item, i) => {
      const p = [...path, i];
      const f = this.object(item, p, ['column', 'op', 'value', 'raw'], 'filter');
      if (f.raw !== undefined) {
        if (typeof f.raw !== 'string' || Object.keys(f).length !== 1)
          this.fail(p, 'a raw filter is { raw: "<sql>" } alone');
        return { raw: f.raw };
      }
      const op = f.op;
      if (typeof op !== 'string' || !(filterOps as readonly string[]).includes(op))
        this.fail([...p, 'op'], `must be one of ${filterOps.join(', ')}`);
      const filter: Filter = {
        column: this.ident(f.column, [...p, 'column']),
        op: op as FilterOp,
      };
      return f.value === undefined ? filter : { ...filter, value: f.value as JsonValue };
    });
  }

  orderBy(v: unknown, path: Path): OrderBy[] {
    return this.list(v, path).map((item, i) => {
      const o = this.object(item, [...path, i], ['column', 'direction'], 'order_by entry');
      const direction = o.direction ?? 'asc';
      if (direction !== 'asc' && direction !== 'desc')
        this.fail([...path, i, 'direction'], 'must be asc or desc');
      return { column: this.ident(o.column, [...path, i, 'column']), direction };
    });
  }

  through(v: unknown, path: Path): Through {
    const t = this.object(v, path, ['table', 'left_key', 'right_key'], 'through');
    return {
      table: this.ident(t.table, [...path, 'table']),
      leftKey: this.key(t.left_key, [...path, 'left_key']),
      rightKey: this.key(t.right_key, [...path, 'right_key']),
    };
  }

  scalarType(v: unknown, path: Path): ScalarType {
    // The scalar type descriptors are the one list of types (Postgres types, JSON, mapping).
    if (typeof v !== 'string' || !Object.hasOwn(scalarDescriptors, v))
      this.fail(path, `must be one of ${Object.keys(scalarDescriptors).join(', ')}`);
    return v as ScalarType;
  }

  fields(v: unknown, path: Path): Field[] {
    const items = this.list(v, path);
    const seen = new Set<string>();
    return items.map((item, i) => {
      const field = this.field(item, [...path, i]);
      if (seen.has(field.name)) this.fail([...path, i], `duplicate field "${field.name}"`);
      seen.add(field.name);
      return field;
    });
  }

  field(item: unknown, path: Path): Field {
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      this.fail(path, 'a field must be a mapping like "- keyword: email"');
    const present = Object.keys(item).filter((k) => typeKeys.includes(k));
    if (present.length !== 1)
      this.fail(
        path,
        present.length === 0
          ? `a field needs one type key (${typeKeys.join(', ')})`
          : `a field has exactly one type key, found ${present.join(', ')}`,
      );
    const typeKey = present[0] as string;
    const f = this.object(
      item,
      path,
      [typeKey, ...(siblingsByTypeKey[typeKey] ?? [])],
      `field of type ${typeKey}`,
    );
    const name = this.fieldName(f[typeKey], [...path, typeKey]);
    return buildField(this, typeKey, name, f, path);
  }
}

function buildField(r: SchemaReader, typeKey: string, name: string, f: Obj, path: Path): Field {
  const at = (k: string): Path => [...path, k];
  if ((joinVerbs as readonly string[]).includes(typeKey)) {
    const verb = typeKey as JoinVerb;
    if (verb === 'has_one' || verb === 'has_many')
      if (f.foreign_key === undefined) r.fail(at(typeKey), `${verb} needs foreign_key`);
    if (verb === 'many_to_many' && f.through === undefined) r.fail(at(typeKey), 'many_to_many needs through');
    const limit = f.limit;
    if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1))
      r.fail(at('limit'), 'must be an integer ≥ 1');
    return {
      kind: 'join',
      verb,
      name,
      table: r.ident(f.table, at('table')),
      schema: f.schema === undefined ? 'public' : r.ident(f.schema, at('schema')),
      primaryKey: r.key(f.primary_key ?? 'id', at('primary_key')),
      ...(verb === 'belongs_to' ? { column: r.key(f.column ?? name, at('column')) } : {}),
      ...(f.foreign_key !== undefined ? { foreignKey: r.key(f.foreign_key, at('foreign_key')) } : {}),
      ...(f.through !== undefined ? { through: r.through(f.through, at('through')) } : {}),
      filters: r.filters(f.filters, at('filters')),
      orderBy: r.orderBy(f.order_by, at('order_by')),
      ...(typeof limit === 'number' ? { limit } : {}),
      required: r.bool(f.required, at('required'), false),
      fields: r.fields(f.fields, at('fields')),
    };
  }
  if ((aggregateFns as readonly string[]).includes(typeKey)) {
    if ((f.foreign_key === undefined) === (f.through === undefined))
      r.fail(at(typeKey), 'an aggregate takes exactly one of foreign_key or through');
    if (['sum', 'min', 'max', 'avg'].includes(typeKey) && f.column === undefined)
      r.fail(at(typeKey), `${typeKey} needs column`);
    return {
      kind: 'aggregate',
      fn: typeKey as (typeof aggregateFns)[number],
      name,
      table: r.ident(f.table, at('table')),
      schema: f.schema === undefined ? 'public' : r.ident(f.schema, at('schema')),
      ...(f.column !== undefined ? { column: r.ident(f.column, at('column')) } : {}),
      ...(f.value_type !== undefined ? { valueType: r.scalarType(f.value_type, at('value_type')) } : {}),
      ...(f.element_type !== undefined
        ? { elementType: r.scalarType(f.element_type, at('element_type')) }
        : {}),
      ...(f.foreign_key !== undefined ? { foreignKey: r.key(f.foreign_key, at('foreign_key')) } : {}),
      ...(f.through !== undefined ? { through: r.through(f.through, at('through')) } : {}),
      primaryKey: r.key(f.primary_key ?? 'id', at('primary_key')),
      filters: r.filters(f.filters, at('filters')),
    };
  }
  return buildLeaf(r, typeKey, name, f, path);
}

function buildLeaf(r: SchemaReader, typeKey: string, name: string, f: Obj, path: Path): Field {
  const at = (k: string): Path => [...path, k];
  if (typeKey === 'constant') return { kind: 'constant', name, value: (f.value ?? null) as JsonValue };
  if (typeKey === 'object')
    return {
      kind: 'object',
      name,
      fields: r.fields(f.fields, at('fields')),
      ...(f.options !== undefined ? { options: r.jsonObject(f.options, at('options')) } : {}),
    };
  if (typeKey === 'map')
    return {
      kind: 'map',
      name,
      column: r.ident(f.column ?? name, at('column')),
      values: r.scalarType(f.values, at('values')),
      required: r.bool(f.required, at('required'), false),
    };
  if (typeKey === 'geo') {
    if ((f.column === undefined) === (f.lat === undefined || f.lon === undefined))
      r.fail(at(typeKey), 'geo takes either column, or lat and lon');
    return {
      kind: 'geo',
      name,
      ...(f.column !== undefined
        ? { column: r.ident(f.column, at('column')) }
        : { lat: r.ident(f.lat, at('lat')), lon: r.ident(f.lon, at('lon')) }),
      required: r.bool(f.required, at('required'), false),
    };
  }
  const transforms = r.list(f.transforms, at('transforms')).map((t, i) => {
    if (t !== 'lowercase' && t !== 'trim') r.fail([...path, 'transforms', i], 'must be lowercase or trim');
    return t;
  });
  if (f.default !== undefined && typeof f.default === 'object' && f.default !== null)
    r.fail(at('default'), 'must be a scalar (string, number, bool or date)');
  return {
    kind: 'scalar',
    name,
    type: typeKey as ScalarType,
    column: r.ident(f.column ?? name, at('column')),
    required: r.bool(f.required, at('required'), false),
    transforms,
    ...(f.default !== undefined
      ? {
          default: (f.default instanceof Date
            ? f.default.toISOString().slice(0, 10)
            : f.default) as JsonValue,
        }
      : {}),
    ...(f.options !== undefined ? { options: r.jsonObject(f.options, at('options')) } : {}),
    ...(f.variants !== undefined ? { variants: r.list(f.variants, at('variants')).map(String) } : {}),
    ...(f.postgres !== undefined ? { postgres: r.list(f.postgres, at('postgres')).map(String) } : {}),
    // The reference writes a type name (`opensearch: scaled_float`); a mapping is taken whole.
    ...(f.opensearch !== undefined
      ? {
          opensearch:
            typeof f.opensearch === 'string'
              ? { type: f.opensearch }
              : r.jsonObject(f.opensearch, at('opensearch')),
        }
      : {}),
  };
}

/** Parse schema YAML text read from `file`. */
export function parseSchemaText(file: string, text: string): IndexSchema {
  const yaml = parseYamlWithLines(file, text);
  const r = new SchemaReader(file, yaml);
  const top = r.object(yaml.value, [], topLevelKeys, 'the schema');
  if (top.version !== 1) r.fail(['version'], 'only version 1 is supported');
  if (top.fields === undefined) r.fail([], 'fields is required');
  let softDelete: IndexSchema['softDelete'];
  if (top.soft_delete !== undefined) {
    const sd = r.object(top.soft_delete, ['soft_delete'], ['column', 'field', 'when'], 'soft_delete');
    if ((sd.column === undefined) === (sd.field === undefined))
      r.fail(['soft_delete'], 'takes exactly one of column or field');
    const fields = r.fields(top.fields, ['fields']);
    const column =
      sd.column !== undefined
        ? r.ident(sd.column, ['soft_delete', 'column'])
        : columnOfField(r, fields, sd.field);
    softDelete = { column, when: r.filters(sd.when, ['soft_delete', 'when']) };
  }
  const fields = r.fields(top.fields, ['fields']);
  const tenant = top.tenant === undefined ? undefined : tenantOf(r, top.tenant, fields);
  return {
    version: 1,
    table: r.ident(top.table, ['table']),
    schema: top.schema === undefined ? 'public' : r.ident(top.schema, ['schema']),
    primaryKey: r.key(top.primary_key ?? 'id', ['primary_key']),
    ...(softDelete ? { softDelete } : {}),
    ...(tenant ? { tenant: tenant.spec } : {}),
    filters: r.filters(top.filters, ['filters']),
    fields: tenant ? [...fields, tenant.field] : fields,
  };
}

/** `tenant: { column: org_id }` or `tenant: { path: [account], column: org_id }`. */
function tenantOf(r: SchemaReader, v: unknown, fields: Field[]): { spec: TenantSpec; field: Field } {
  const t = r.object(v, ['tenant'], ['column', 'path'], 'tenant');
  const spec: TenantSpec = {
    column: r.ident(t.column, ['tenant', 'column']),
    path: r.list(t.path, ['tenant', 'path']).map((step, i) => r.fieldName(step, ['tenant', 'path', i])),
  };
  if (fields.some((f) => f.name === tenantDocumentField))
    r.fail(['tenant'], `the field name "${tenantDocumentField}" is reserved for the tenant`);
  const field = tenantField(spec, fields);
  if (typeof field === 'string') r.fail(['tenant', 'path'], field);
  return { spec, field };
}

function columnOfField(r: SchemaReader, fields: Field[], name: unknown): string {
  const field = fields.find((f) => f.name === name);
  if (field?.kind !== 'scalar')
    r.fail(['soft_delete', 'field'], `"${String(name)}" is not a scalar field of this schema`);
  return field.column;
}

export function loadSchemaFile(file: string): IndexSchema {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new FlussoError('schema_invalid', `${file}: cannot read schema file`, {
      cause: error,
      context: { file },
    });
  }
  return parseSchemaText(file, text);
}
