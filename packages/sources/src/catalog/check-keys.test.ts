import { parseIndexName } from '@flusso/core';
import { createTestDatabase, type TestDatabase, testedVersions } from '@flusso/pg-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsSchema, compositeSql } from '../builder/composite.fixture.js';
import { checkKeys } from './check-keys.js';
import { verifyKeys } from './verify-keys.js';

const accounts = parseIndexName('accounts');

describe.each(testedVersions())('checkKeys on Postgres %i', (version) => {
  let db: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase({ version });
    await db.sql(
      `${compositeSql} CREATE TABLE loose (id int, name text NOT NULL); CREATE UNIQUE INDEX ON labels (name);`,
    );
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.close();
  });

  it('accepts the primary key, a unique NOT NULL index, and composite keys at every level', async () => {
    const labelsByName = {
      ...accountsSchema,
      fields: accountsSchema.fields.map((f) =>
        f.kind === 'join' && f.name === 'labels' ? { ...f, primaryKey: 'name' } : f,
      ),
    };
    expect(await checkKeys(client, [{ name: accounts, schema: accountsSchema }])).toEqual([]);
    expect(await checkKeys(client, [{ name: accounts, schema: labelsByName }])).toEqual([]);
  });

  it('refuses a key that is only part of the primary key, naming the table and the fix', async () => {
    const byId = { ...accountsSchema, primaryKey: 'id' };
    const findings = await checkKeys(client, [{ name: accounts, schema: byId }]);
    expect(findings).toEqual([
      {
        level: 'error',
        index: 'accounts',
        path: 'primary_key',
        message:
          'primary_key (id) is not a unique key of public.accounts (its primary key is (tenant, id)): rows sharing it would merge into one document',
        fix: "declare primary_key: [tenant, id] (composite keys are supported; _id joins the values with ':')",
      },
    ]);
    await expect(verifyKeys(client, [{ name: accounts, schema: byId }])).rejects.toMatchObject({
      code: 'source_rejected',
      message: expect.stringMatching(/^index accounts: primary_key: primary_key \(id\) is not a unique key/),
    });
  });

  it('refuses a table with no usable key', async () => {
    const loose = { ...accountsSchema, table: 'loose', primaryKey: 'id', fields: [] };
    const [finding] = await checkKeys(client, [{ name: accounts, schema: loose }]);
    expect(finding?.fix).toBe('ALTER TABLE public.loose ADD PRIMARY KEY (id);');
  });
});
