// The IndexSchema model as it is inlined in flusso.lock, re-validated on read:
// the same names, types and cross-key rules the schema file parser enforces, so
// a hand-edited lock never reaches the builder unchecked.
import { type Field, filterOps, type IndexSchema, type JsonValue, scalarTypes } from '@flusso/core';
import { z } from 'zod';
import {
  aggregateFns,
  fieldNamePattern,
  joinVerbs,
  MAX_NAME_LENGTH,
  pgIdentPattern,
} from '../schema-file/field-keys.js';

const ident = z
  .string()
  .regex(pgIdentPattern, 'must be a Postgres identifier (^[a-z_][a-z0-9_]*$)')
  .max(MAX_NAME_LENGTH);
const fieldName = z
  .string()
  .regex(fieldNamePattern, 'must be a field name (^[a-zA-Z_]\\w*$)')
  .max(MAX_NAME_LENGTH);
const key = z.union([ident, z.array(ident).min(1)], { error: 'a column or a list of columns' });
const jsonValue = z.json() as z.ZodType<JsonValue>;
const jsonObject = z.record(z.string(), jsonValue);
const scalarType = z.enum(scalarTypes);

const filter = z.union(
  [
    z.strictObject({ column: ident, op: z.enum(filterOps), value: jsonValue.optional() }),
    z.strictObject({ raw: z.string() }),
  ],
  { error: '{ column, op, value } or { raw }' },
);
const filters = z.array(filter);
const through = z.strictObject({ table: ident, leftKey: key, rightKey: key });

const fieldSchema: z.ZodType<Field> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('scalar'),
      name: fieldName,
      type: scalarType,
      column: ident,
      required: z.boolean(),
      transforms: z.array(z.enum(['lowercase', 'trim'])),
      default: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
      options: jsonObject.optional(),
      variants: z.array(z.string()).optional(),
      postgres: z.array(z.string()).optional(),
      opensearch: jsonObject.optional(),
    }),
    z.strictObject({ kind: z.literal('constant'), name: fieldName, value: jsonValue }),
    z.strictObject({
      kind: z.literal('object'),
      name: fieldName,
      fields: fieldList,
      options: jsonObject.optional(),
    }),
    z.strictObject({
      kind: z.literal('map'),
      name: fieldName,
      column: ident,
      values: scalarType,
      required: z.boolean(),
    }),
    z.strictObject({
      kind: z.literal('geo'),
      name: fieldName,
      column: ident.optional(),
      lat: ident.optional(),
      lon: ident.optional(),
      required: z.boolean(),
    }),
    z.strictObject({
      kind: z.literal('join'),
      verb: z.enum(joinVerbs),
      name: fieldName,
      table: ident,
      schema: ident,
      primaryKey: key,
      column: key.optional(),
      foreignKey: key.optional(),
      through: through.optional(),
      filters,
      orderBy: z.array(z.strictObject({ column: ident, direction: z.enum(['asc', 'desc']) })),
      limit: z.number().int().min(1).optional(),
      required: z.boolean(),
      fields: fieldList,
    }),
    z.strictObject({
      kind: z.literal('aggregate'),
      fn: z.enum(aggregateFns),
      name: fieldName,
      table: ident,
      schema: ident,
      column: ident.optional(),
      valueType: scalarType.optional(),
      elementType: scalarType.optional(),
      foreignKey: key.optional(),
      through: through.optional(),
      primaryKey: key,
      filters,
    }),
  ]),
);

/** The rules between keys of one field that the schema file parser applies too. */
function fieldRule(field: Field): string | null {
  switch (field.kind) {
    case 'join':
      if ((field.verb === 'has_one' || field.verb === 'has_many') && field.foreignKey === undefined)
        return `${field.verb} needs foreignKey`;
      if (field.verb === 'many_to_many' && field.through === undefined) return 'many_to_many needs through';
      if (field.verb === 'belongs_to' && field.column === undefined) return 'belongs_to needs column';
      return null;
    case 'aggregate':
      if ((field.foreignKey === undefined) === (field.through === undefined))
        return 'an aggregate takes exactly one of foreignKey or through';
      if (['sum', 'min', 'max', 'avg'].includes(field.fn) && field.column === undefined)
        return `${field.fn} needs column`;
      return null;
    case 'geo':
      return (field.column === undefined) === (field.lat === undefined || field.lon === undefined)
        ? 'geo takes either column, or lat and lon'
        : null;
    default:
      return null;
  }
}

const fieldList: z.ZodType<Field[]> = z.array(fieldSchema).superRefine((fields, ctx) => {
  const seen = new Set<string>();
  for (const [i, field] of fields.entries()) {
    if (seen.has(field.name))
      ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate field "${field.name}"` });
    seen.add(field.name);
    const rule = fieldRule(field);
    if (rule) ctx.addIssue({ code: 'custom', path: [i], message: rule });
  }
});

/** The zod schema of one IndexSchema as the lock stores it. */
export const lockedIndexSchema: z.ZodType<IndexSchema> = z.strictObject({
  version: z.literal(1),
  table: ident,
  schema: ident,
  primaryKey: key,
  softDelete: z.strictObject({ column: ident, when: filters }).optional(),
  filters,
  fields: fieldList,
});
