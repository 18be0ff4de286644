// The backfill limit: the exact json_build_object SELECT flusso's PgDocumentBuilder
// runs (captured from the builder, not re-derived), fetched bare through `pg` in
// keyset-paginated chunks of the builder's size, with no OpenSearch behind it.
import { documentIdFromTexts, parseIndexName } from '@flusso/core';
import { loadSchemaFile } from '@flusso/daemon';
import { PgDocumentBuilder } from '@flusso/sources';
import pg from 'pg';
import type { Rig } from './rig.js';

const chunk = 500; // PgDocumentBuilder's default chunkSize

interface DocumentQuery {
  readonly text: string;
  readonly params: readonly unknown[];
}

/** Let the builder build one document and keep the SQL it sent. */
async function captureDocumentQuery(rig: Rig): Promise<DocumentQuery> {
  let captured: DocumentQuery | undefined;
  const db = {
    query: async (text: string, params: unknown[] = []) => {
      if (text.includes('json_build_object')) captured = { text, params: params.slice(1) };
      return { rows: await rig.db.sql(text, params) };
    },
  };
  const name = parseIndexName('users');
  const builder = new PgDocumentBuilder({ db, indexes: [{ name, schema: loadSchemaFile(rig.schemaFile) }] });
  await builder.build(name, [documentIdFromTexts(['1'])]);
  if (!captured) throw new Error('the document builder sent no json_build_object query');
  return captured;
}

/**
 * The live limit: the documents `changes` cdc updates touch (the same ids, cycling
 * over 2..rows), built by one bare query per batch of `perBatch` ids (the batch
 * window); `named` runs it as one prepared statement (as flusso's builder does), else
 * sends it whole each time; returns [documents, seconds].
 */
export async function selectBatchedDocuments(
  rig: Rig,
  changes: number,
  perBatch = 256,
  named = false,
): Promise<[number, number]> {
  const query = await captureDocumentQuery(rig);
  const span = Math.max(1, rig.rows - 1);
  // Named: one statement prepared on its own connection, as flusso's builder runs it.
  const client = named ? new pg.Client({ connectionString: rig.db.url }) : null;
  await client?.connect();
  try {
    const run = async (values: unknown[]) =>
      client
        ? (await client.query({ name: 'bench_document_sql', text: query.text, values })).rows
        : await rig.db.sql(query.text, values);
    const start = performance.now();
    let documents = 0;
    for (let done = 0; done < changes; done += perBatch) {
      const size = Math.min(perBatch, changes - done);
      const ids = [...new Set(Array.from({ length: size }, (_, k) => String(2 + ((done + k) % span))))];
      documents += (await run([ids, ...query.params])).length;
    }
    return [documents, (performance.now() - start) / 1000];
  } finally {
    await client?.end();
  }
}

/** Build every document with the builder's SQL; returns [documents, seconds]. */
export async function selectAllDocuments(rig: Rig): Promise<[number, number]> {
  const query = await captureDocumentQuery(rig);
  const start = performance.now();
  let documents = 0;
  for (let last = 0; ; ) {
    const keys = await rig.db.sql<{ id: number }>('SELECT id FROM users WHERE id > $1 ORDER BY id LIMIT $2', [
      last,
      chunk,
    ]);
    const lastKey = keys.at(-1);
    if (!lastKey) break;
    const ids = keys.map((k) => String(k.id));
    documents += (await rig.db.sql(query.text, [ids, ...query.params])).length;
    last = lastKey.id;
  }
  return [documents, (performance.now() - start) / 1000];
}
