// Byte-exact values from Postgres to the bulk body, on the backfill path (build
// by snapshot keys) and the live path (pgoutput changes resolved and built):
// what is compared is the serialised document text the sinks write.

import type { BuiltDocument } from '@flusso/core';
import { parseIndexName, parseSchemaName, parseTableName, stringifyExact } from '@flusso/core';
import { createTestDatabase, type TestDatabase, testedVersions } from '@flusso/pg-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, newCapture } from '../capture/capture-test-kit.fixture.js';
import { fidelityDoc1, fidelityDoc2, fidelityRows, fidelitySchema, fidelitySql } from './fidelity.fixture.js';
import { PgDocumentBuilder } from './pg-document-builder.js';

const vals = parseIndexName('vals');
const table = (name: string) => ({ schema: parseSchemaName('public'), table: parseTableName(name) });

function texts(built: readonly BuiltDocument[]): string[] {
  return built.map((d) => (d.op === 'upsert' ? stringifyExact(d.document) : `delete ${d.id}`));
}

describe.each(testedVersions())('values on Postgres %i', (version) => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let builder: PgDocumentBuilder;
  beforeAll(async () => {
    db = await createTestDatabase({ version });
    await db.sql(fidelitySql);
    pool = new pg.Pool({ connectionString: db.url, options: '-c TimeZone=UTC' });
    builder = new PgDocumentBuilder({ db: pool, indexes: [{ name: vals, schema: fidelitySchema }] });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.close();
  });

  it('backfill: every digit, array, date and quiet case reaches the body exactly', async () => {
    await db.sql(fidelityRows);
    const scope = builder.backfillScope(vals);
    const keys = await pool.query(`SELECT id::text FROM vals ORDER BY id DESC`);
    expect(scope.keyColumns).toEqual(['id']);
    const ids = keys.rows.map((r: { id: string }) => r.id) as never[];
    expect(texts(await builder.build(vals, ids))).toEqual([fidelityDoc1, fidelityDoc2]);
    expect(builder.drainValueNotes()).toEqual({ non_finite_number: 4, infinite_date: 3 });
  });

  it('live: changes captured by pgoutput build the same bytes', async () => {
    await db.sql('TRUNCATE vals, lines');
    const { capture } = newCapture(db.url, 'vals');
    await capture.prepare([table('vals'), table('lines')]);
    await db.sql(fidelityRows);
    const { changes, stop } = await collect(capture, (c) => c.length >= 5);
    const resolution = await builder.resolve(changes.map((c) => c.event));
    const ids = [...(resolution.documents.get(vals) ?? [])].sort().reverse();
    expect(ids).toEqual(['9007199254740993', '2']);
    expect(texts(await builder.build(vals, ids))).toEqual([fidelityDoc1, fidelityDoc2]);
    stop();
    await capture.close();
  });
});
