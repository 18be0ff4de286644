// What the SQL says every document of a composite-keyed schema is right now, as
// the exact JSON text the bulk body must carry, keyed by `_id` (the key's texts in the
// session every flusso connection opens with).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type IndexSchema, keyColumns, parseIndexName, quoteIdent, stringifyExact } from '@flusso/core';
import { loadSchemaFile } from '@flusso/daemon';
import { PgDocumentBuilder, sourceSessionOptions } from '@flusso/sources';
import pg from 'pg';

export async function sqlTruth(dbUrl: string, schemaYaml: string): Promise<Map<string, string>> {
  const file = join(mkdtempSync(join(tmpdir(), 'flusso-truth-')), 'truth.schema.yml');
  writeFileSync(file, schemaYaml);
  const schema = loadSchemaFile(file) as IndexSchema;
  const pool = new pg.Pool({ connectionString: dbUrl, options: sourceSessionOptions });
  try {
    const name = parseIndexName('truth');
    const builder = new PgDocumentBuilder({ db: pool, indexes: [{ name, schema }] });
    const id = keyColumns(schema.primaryKey)
      .map((c) => `${quoteIdent(c)}::text`)
      .join(` || ':' || `);
    const ids = (
      await pool.query(`SELECT ${id} AS id FROM ${quoteIdent(schema.schema)}.${quoteIdent(schema.table)}`)
    ).rows.map((r) => r.id);
    const docs = await builder.build(name, ids);
    return new Map(docs.flatMap((d) => (d.op === 'upsert' ? [[d.id, stringifyExact(d.document)]] : [])));
  } finally {
    await pool.end();
  }
}
