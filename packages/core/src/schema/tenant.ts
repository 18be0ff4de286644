// The tenant of an index's documents: a column of the root table, or a column
// reached through `belongs_to` joins of the root (`path`, field names in order).
// The parser adds a hidden `_tenant` field (a keyword, or a belongs_to chain
// ending in one) so every document carries its tenant; `tenantOfDocument` reads
// it back, whatever the chain.
import { type ExactJson, type ExactObject, RawNumber } from '../json/exact-json.js';
import type { Field, JoinField, ScalarField } from './index-schema.js';

/** The document field holding the tenant (removed or replaced by the osproxy layout). */
export const tenantDocumentField = '_tenant';

export interface TenantSpec {
  /** The tenant column (on the root table, or on the last table of `path`). */
  readonly column: string;
  /** belongs_to field names from the root to the table holding `column`; empty for the root. */
  readonly path: readonly string[];
}

function leaf(column: string): ScalarField {
  return {
    kind: 'scalar',
    name: tenantDocumentField,
    type: 'keyword',
    column,
    required: true,
    transforms: [],
  };
}

/**
 * The hidden field carrying the tenant, or a message naming the step of `path`
 * that is not a belongs_to field.
 */
export function tenantField(spec: TenantSpec, fields: readonly Field[]): Field | string {
  let level = fields;
  const joins: JoinField[] = [];
  for (const step of spec.path) {
    const join = level.find((f) => f.name === step);
    if (join?.kind !== 'join' || join.verb !== 'belongs_to') return `"${step}" is not a belongs_to field`;
    joins.push(join);
    level = join.fields;
  }
  let field: Field = leaf(spec.column);
  for (const join of joins.reverse())
    field = { ...join, name: tenantDocumentField, required: true, filters: [], fields: [field] };
  return field;
}

/** The tenant a built document names (descending a belongs_to chain), or undefined. */
export function tenantOfDocument(document: ExactObject): string | undefined {
  let value: ExactJson | undefined = document[tenantDocumentField];
  while (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof RawNumber)
  )
    value = (value as ExactObject)[tenantDocumentField];
  if (value instanceof RawNumber || typeof value === 'number') return String(value);
  return typeof value === 'string' ? value : undefined;
}
