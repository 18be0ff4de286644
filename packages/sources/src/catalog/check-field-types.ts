// `flusso check`: every declared scalar (and map) field against its column's
// catalog type — domains by their base type, arrays by their element (arrays
// become JSON arrays, OpenSearch fields are multi-valued), enums as enums —
// naming the types that would accept the column.
import { type Field, type IndexSchema, type ScalarType, scalarTypes } from '@flusso/core';
import type { BuilderIndex, Queryable } from '../builder/pg-document-builder.js';
import { type ColumnTypes, columnKey, loadColumnTypes, type PgColumnType } from '../types/pg-column-type.js';
import { acceptsColumn } from '../types/scalar-descriptors.js';
import type { Finding } from './check-catalog.js';

interface Declared {
  readonly table: string;
  readonly column: string;
  readonly type: ScalarType | 'map';
  readonly custom: readonly string[];
  readonly path: string;
}

function declared(schema: IndexSchema): Declared[] {
  const out: Declared[] = [];
  const walk = (fields: readonly Field[], table: string, prefix: string) => {
    for (const f of fields) {
      const path = prefix ? `${prefix}.${f.name}` : f.name;
      if (f.kind === 'scalar')
        out.push({ table, column: f.column, type: f.type, custom: f.postgres ?? [], path });
      else if (f.kind === 'map') out.push({ table, column: f.column, type: 'map', custom: [], path });
      else if (f.kind === 'object') walk(f.fields, table, path);
      else if (f.kind === 'join') walk(f.fields, `${f.schema}.${f.table}`, path);
    }
  };
  walk(schema.fields, `${schema.schema}.${schema.table}`, '');
  return out;
}

function accepts(d: Declared, pg: PgColumnType): boolean {
  if (d.type === 'map') return !pg.isArray && (pg.base === 'json' || pg.base === 'jsonb');
  return acceptsColumn(d.type, pg, d.custom);
}

function mismatch(index: string, d: Declared, pg: PgColumnType): Finding {
  const fitting = scalarTypes.filter((t) => t !== 'custom' && acceptsColumn(t, pg));
  const what = pg.isEnum ? `enum ${pg.base}` : pg.base;
  const shape = pg.isArray ? `an array of ${what}` : what;
  const via = pg.declared !== pg.base && !pg.isArray ? ` (${pg.declared})` : '';
  return {
    level: 'error',
    index,
    path: d.path,
    message: `field ${d.path} is declared ${d.type} but ${d.table}.${d.column} is ${shape}${via}`,
    fix:
      fitting.length > 0
        ? `declare it as ${fitting.join(' or ')}${pg.isArray ? ' (arrays take their element type)' : ''}`
        : `declare it as custom with postgres: ["${pg.declared}"] and its opensearch mapping`,
  };
}

/** Findings for declared field types the columns' catalog types do not fit. */
export async function checkFieldTypes(db: Queryable, indexes: readonly BuilderIndex[]): Promise<Finding[]> {
  const wanted = indexes.map((i) => ({ name: i.name, fields: declared(i.schema) }));
  const tables = new Set(wanted.flatMap((w) => w.fields.map((f) => f.table)));
  const types: ColumnTypes = await loadColumnTypes(db, [...tables]);
  const findings: Finding[] = [];
  for (const { name, fields } of wanted) {
    for (const d of fields) {
      const [schema = '', table = ''] = d.table.split('.');
      const pg = types.get(columnKey(schema, table, d.column));
      if (pg && !accepts(d, pg)) findings.push(mismatch(name, d, pg));
    }
  }
  return findings;
}
