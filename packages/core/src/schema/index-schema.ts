// The index schema model: what a `*.schema.yml` declares, after validation. Field
// kinds are a discriminated union so every consumer (SQL, mapping, coercion,
// resolution) handles each kind explicitly.
import type { JsonObject, JsonValue } from '../values/json.js';
import type { TenantSpec } from './tenant.js';

export const scalarTypes = [
  'text',
  'identifier',
  'keyword',
  'enum',
  'uuid',
  'boolean',
  'short',
  'integer',
  'long',
  'float',
  'double',
  'decimal',
  'date',
  'timestamp',
  'binary',
  'json',
  'custom',
] as const;
export type ScalarType = (typeof scalarTypes)[number];

export const filterOps = [
  'eq',
  'neq',
  'lt',
  'lte',
  'gt',
  'gte',
  'like',
  'ilike',
  'in',
  'not_in',
  'between',
  'is_null',
  'is_not_null',
] as const;
export type FilterOp = (typeof filterOps)[number];

export type Filter =
  | { readonly column: string; readonly op: FilterOp; readonly value?: JsonValue }
  | { readonly raw: string };

export interface OrderBy {
  readonly column: string;
  readonly direction: 'asc' | 'desc';
}

/**
 * Key columns: one column as a string, a composite key as a list (two or more,
 * in order; a document `_id` joins their values with ':').
 */
export type KeyColumns = string | readonly string[];

/** The columns of a key, in order. */
export function keyColumns(key: KeyColumns | undefined): readonly string[] {
  if (key === undefined) return [];
  return typeof key === 'string' ? [key] : key;
}

export interface Through {
  readonly table: string;
  readonly leftKey: KeyColumns;
  readonly rightKey: KeyColumns;
}

export interface ScalarField {
  readonly kind: 'scalar';
  readonly name: string;
  readonly type: ScalarType;
  readonly column: string;
  readonly required: boolean;
  readonly transforms: readonly ('lowercase' | 'trim')[];
  readonly default?: JsonValue;
  readonly options?: JsonObject;
  readonly variants?: readonly string[];
  readonly postgres?: readonly string[];
  readonly opensearch?: JsonObject;
}

export interface ConstantField {
  readonly kind: 'constant';
  readonly name: string;
  readonly value: JsonValue;
}

export interface ObjectField {
  readonly kind: 'object';
  readonly name: string;
  readonly fields: readonly Field[];
  readonly options?: JsonObject;
}

export interface MapField {
  readonly kind: 'map';
  readonly name: string;
  readonly column: string;
  readonly values: ScalarType;
  readonly required: boolean;
}

export interface GeoField {
  readonly kind: 'geo';
  readonly name: string;
  readonly column?: string;
  readonly lat?: string;
  readonly lon?: string;
  readonly required: boolean;
}

export type JoinVerb = 'belongs_to' | 'has_one' | 'has_many' | 'many_to_many';

export interface JoinField {
  readonly kind: 'join';
  readonly verb: JoinVerb;
  readonly name: string;
  readonly table: string;
  readonly schema: string;
  readonly primaryKey: KeyColumns;
  /** belongs_to: this table's column(s) pointing at the related row. */
  readonly column?: KeyColumns;
  /** has_one / has_many: the related table's column(s) pointing back. */
  readonly foreignKey?: KeyColumns;
  readonly through?: Through;
  readonly filters: readonly Filter[];
  readonly orderBy: readonly OrderBy[];
  readonly limit?: number;
  readonly required: boolean;
  readonly fields: readonly Field[];
}

export type AggregateFn = 'count' | 'sum' | 'avg' | 'min' | 'max' | 'ids';

export interface AggregateField {
  readonly kind: 'aggregate';
  readonly fn: AggregateFn;
  readonly name: string;
  readonly table: string;
  readonly schema: string;
  readonly column?: string;
  readonly valueType?: ScalarType;
  readonly elementType?: ScalarType;
  readonly foreignKey?: KeyColumns;
  readonly through?: Through;
  /** The related table's key (for `ids` and `through`); defaults to `id`. */
  readonly primaryKey: KeyColumns;
  readonly filters: readonly Filter[];
}

export type Field =
  | ScalarField
  | ConstantField
  | ObjectField
  | MapField
  | GeoField
  | JoinField
  | AggregateField;

export interface SoftDelete {
  readonly column: string;
  readonly when: readonly Filter[];
}

export interface IndexSchema {
  readonly version: 1;
  readonly table: string;
  readonly schema: string;
  readonly primaryKey: KeyColumns;
  readonly softDelete?: SoftDelete;
  /** The tenant column (osproxy layout); the parser also adds the hidden `_tenant` field. */
  readonly tenant?: TenantSpec;
  readonly filters: readonly Filter[];
  readonly fields: readonly Field[];
}
