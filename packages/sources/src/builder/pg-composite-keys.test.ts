// Composite keys on the root, a child and a junction, on the backfill path
// (snapshot keys → ids → build) and the live path (pgoutput → resolve → build):
// two tenants sharing an id stay two documents, byte for byte.

import type { BuiltDocument } from '@flusso/core';
import {
  type DocumentId,
  parseIndexName,
  parseSchemaName,
  parseTableName,
  stringifyExact,
} from '@flusso/core';
import { createTestDatabase, type TestDatabase, testedVersions } from '@flusso/pg-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, newCapture } from '../capture/capture-test-kit.fixture.js';
import {
  account1,
  account2,
  accountsSchema,
  compositeRows,
  compositeSql,
  placesSchema,
} from './composite.fixture.js';
import { PgDocumentBuilder } from './pg-document-builder.js';

const accounts = parseIndexName('accounts');
const places = parseIndexName('places');
const table = (name: string) => ({ schema: parseSchemaName('public'), table: parseTableName(name) });
const ids = (...xs: string[]) => xs as DocumentId[];

function texts(built: readonly BuiltDocument[]): string[] {
  return built.map((d) => (d.op === 'upsert' ? `${d.id} ${stringifyExact(d.document)}` : `delete ${d.id}`));
}

describe.each(testedVersions())('composite keys on Postgres %i', (version) => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let builder: PgDocumentBuilder;
  beforeAll(async () => {
    db = await createTestDatabase({ version });
    await db.sql(compositeSql);
    pool = new pg.Pool({ connectionString: db.url, options: '-c TimeZone=UTC' });
    builder = new PgDocumentBuilder({
      db: pool,
      indexes: [
        { name: accounts, schema: accountsSchema },
        { name: places, schema: placesSchema },
      ],
    });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.close();
  });

  it('backfill: one document per (tenant, id), _id the values joined with ":"', async () => {
    await db.sql(compositeRows);
    expect(builder.backfillScope(accounts).keyColumns).toEqual(['tenant', 'id']);
    const keys = [
      [
        { kind: 'int4' as const, value: 1 },
        { kind: 'int8' as const, value: 9007199254740993n },
      ],
      [
        { kind: 'int4' as const, value: 2 },
        { kind: 'int8' as const, value: 9007199254740993n },
      ],
    ];
    const docIds = builder.idsFromKeys(accounts, keys);
    expect(docIds).toEqual(['1:9007199254740993', '2:9007199254740993']);
    expect(texts(await builder.build(accounts, [...docIds, ...ids('3:9007199254740993')]))).toEqual([
      `1:9007199254740993 ${account1}`,
      `2:9007199254740993 ${account2}`,
      'delete 3:9007199254740993',
    ]);
  });

  it('backfill: a text key part holding ":" is matched as text', async () => {
    expect(texts(await builder.build(places, ids('eu:west:1', 'eu:1', 'eu:west')))).toEqual([
      'eu:west:1 {"region":"eu:west","name":"Dublin"}',
      'eu:1 {"region":"eu","name":"Paris"}',
      'delete eu:west',
    ]);
  });

  it('live: a change to a child, a junction or a related row rebuilds only its own tenant', async () => {
    const { capture } = newCapture(db.url, 'composite');
    const tables = ['accounts', 'notes', 'labels', 'account_labels'].map(table);
    await capture.prepare(tables);
    await db.sql(`INSERT INTO notes VALUES (2, 9007199254740993, 2, 'z')`);
    await db.sql(`UPDATE labels SET name = 'green' WHERE tenant = 1 AND id = 1`);
    await db.sql(`DELETE FROM account_labels WHERE tenant = 2`);
    const { changes, stop, more } = await collect(capture, (c) => c.length >= 3);
    const byOne = async (i: number) => {
      const r = await builder.resolve([changes[i]?.event].filter((e) => e !== undefined));
      return [...(r.documents.get(accounts) ?? [])];
    };
    expect(await byOne(0)).toEqual(['2:9007199254740993']);
    expect(await byOne(1)).toEqual(['1:9007199254740993']);
    expect(await byOne(2)).toEqual(['2:9007199254740993']);
    await db.sql(`DELETE FROM accounts WHERE tenant = 1`);
    await more((c) => c.length >= 4);
    expect(await byOne(3)).toEqual(['1:9007199254740993']);
    const all = await builder.resolve(changes.map((c) => c.event));
    const touched = [...(all.documents.get(accounts) ?? [])].sort();
    expect(texts(await builder.build(accounts, touched))).toEqual([
      'delete 1:9007199254740993',
      '2:9007199254740993 {"tenant":2,"id":9007199254740993,"name":"b","notes":[{"line":1,"body":"y"},{"line":2,"body":"z"}],"labels":[],"noteCount":2}',
    ]);
    stop();
    await capture.close();
  });
});
