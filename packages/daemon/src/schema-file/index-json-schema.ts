// The JSON Schema of `*.schema.yml` for editors (`flusso schema index`), generated
// from the same key table the parser validates with.
import { filterOps, scalarTypes } from '@flusso/core';
import { siblingsByTypeKey, typeKeys } from './field-keys.js';

/** One key column, or a composite key as a list of columns (its `_id` joins their values with ':'). */
const key = {
  anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }],
};

const filter = {
  oneOf: [
    {
      type: 'object',
      required: ['column', 'op'],
      additionalProperties: false,
      properties: { column: { type: 'string' }, op: { enum: [...filterOps] }, value: {} },
    },
    {
      type: 'object',
      required: ['raw'],
      additionalProperties: false,
      properties: { raw: { type: 'string' } },
    },
  ],
};

const siblingSchema: Record<string, unknown> = {
  column: { type: 'string' },
  required: { type: 'boolean' },
  options: { type: 'object' },
  transforms: { type: 'array', items: { enum: ['lowercase', 'trim'] } },
  default: { type: ['string', 'number', 'boolean'] },
  variants: { type: 'array', items: { type: 'string' } },
  postgres: { type: 'array', items: { type: 'string' } },
  opensearch: { type: ['string', 'object'] },
  value: {},
  fields: { $ref: '#/$defs/fields' },
  values: { enum: [...scalarTypes] },
  lat: { type: 'string' },
  lon: { type: 'string' },
  table: { type: 'string' },
  schema: { type: 'string' },
  primary_key: key,
  foreign_key: key,
  through: {
    type: 'object',
    required: ['table', 'left_key', 'right_key'],
    additionalProperties: false,
    properties: { table: { type: 'string' }, left_key: key, right_key: key },
  },
  filters: { type: 'array', items: filter },
  order_by: {
    type: 'array',
    items: {
      type: 'object',
      required: ['column'],
      additionalProperties: false,
      properties: { column: { type: 'string' }, direction: { enum: ['asc', 'desc'] } },
    },
  },
  limit: { type: 'integer', minimum: 1 },
  value_type: { enum: [...scalarTypes] },
  element_type: { enum: [...scalarTypes] },
};

export function indexSchemaJsonSchema(): Record<string, unknown> {
  const fieldVariants = typeKeys.map((typeKey) => ({
    type: 'object',
    required: [typeKey],
    additionalProperties: false,
    properties: Object.fromEntries([
      [typeKey, { type: 'string', pattern: '^[a-zA-Z_]\\w*$' }],
      ...(siblingsByTypeKey[typeKey] ?? []).map((k) => [k, siblingSchema[k] ?? {}]),
    ]),
  }));
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'flusso index schema (*.schema.yml)',
    type: 'object',
    required: ['version', 'table', 'fields'],
    additionalProperties: false,
    properties: {
      version: { const: 1 },
      table: { type: 'string' },
      schema: { type: 'string' },
      primary_key: key,
      soft_delete: {
        type: 'object',
        additionalProperties: false,
        properties: {
          column: { type: 'string' },
          field: { type: 'string' },
          when: { type: 'array', items: filter },
        },
      },
      tenant: {
        type: 'object',
        additionalProperties: false,
        required: ['column'],
        properties: { column: { type: 'string' }, path: { type: 'array', items: { type: 'string' } } },
      },
      filters: { type: 'array', items: filter },
      fields: { $ref: '#/$defs/fields' },
    },
    $defs: { fields: { type: 'array', items: { oneOf: fieldVariants } } },
  };
}
