// Which keys each field kind accepts: one table drives validation and the JSON
// Schema for editors, so the two can never disagree.
import { scalarTypes } from '@flusso/core';

/** A Postgres identifier as a schema names it (lower-cased; at most 63 characters). */
export const pgIdentPattern = /^[a-z_][a-z0-9_]*$/;
/** A document field name (at most 63 characters). */
export const fieldNamePattern = /^[a-zA-Z_]\w*$/;
export const MAX_NAME_LENGTH = 63;

export const joinVerbs = ['belongs_to', 'has_one', 'has_many', 'many_to_many'] as const;
export const aggregateFns = ['count', 'sum', 'avg', 'min', 'max', 'ids'] as const;

const scalarSiblings = ['column', 'required', 'options', 'transforms', 'default'];

export const siblingsByTypeKey: Readonly<Record<string, readonly string[]>> = {
  ...Object.fromEntries(scalarTypes.map((t) => [t, scalarSiblings])),
  enum: [...scalarSiblings, 'variants'],
  custom: [...scalarSiblings, 'postgres', 'opensearch'],
  constant: ['value'],
  object: ['fields', 'options'],
  map: ['column', 'values', 'required'],
  geo: ['column', 'lat', 'lon', 'required'],
  belongs_to: ['table', 'schema', 'primary_key', 'column', 'filters', 'required', 'fields'],
  has_one: ['table', 'schema', 'primary_key', 'foreign_key', 'filters', 'order_by', 'required', 'fields'],
  has_many: ['table', 'schema', 'primary_key', 'foreign_key', 'filters', 'order_by', 'limit', 'fields'],
  many_to_many: ['table', 'schema', 'primary_key', 'through', 'filters', 'order_by', 'limit', 'fields'],
  ...Object.fromEntries(
    aggregateFns.map((f) => [
      f,
      [
        'table',
        'schema',
        'column',
        'value_type',
        'element_type',
        'foreign_key',
        'through',
        'primary_key',
        'filters',
      ],
    ]),
  ),
};

export const typeKeys = Object.keys(siblingsByTypeKey);
export const topLevelKeys = [
  'version',
  'table',
  'schema',
  'primary_key',
  'soft_delete',
  'tenant',
  'filters',
  'fields',
];
