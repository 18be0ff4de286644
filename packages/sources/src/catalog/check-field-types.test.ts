import { type Field, parseIndexName, type ScalarType } from '@flusso/core';
import { createTestDatabase, type TestDatabase, testedVersions } from '@flusso/pg-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fidelitySchema, fidelitySql } from '../builder/fidelity.fixture.js';
import { checkFieldTypes } from './check-field-types.js';

const s = (name: string, type: ScalarType): Field => ({
  kind: 'scalar',
  name,
  type,
  column: name,
  required: false,
  transforms: [],
});

describe.each(testedVersions())('checkFieldTypes on Postgres %i', (version) => {
  let db: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase({ version });
    await db.sql(`${fidelitySql} CREATE DOMAIN slug AS text; ALTER TABLE vals ADD COLUMN sl slug;`);
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.close();
  });

  it('accepts every field of a schema that fits its columns', async () => {
    const indexes = [{ name: parseIndexName('vals'), schema: fidelitySchema }];
    expect(await checkFieldTypes(client, indexes)).toEqual([]);
  });

  it('names each declared type the catalog type does not fit, and what to declare', async () => {
    const fields = [
      s('dec', 'integer'),
      s('t', 'date'),
      s('texts', 'integer'),
      s('m', 'long'),
      s('sl', 'long'),
      s('pos', 'short'),
      s('ints', 'integer'),
      s('moods', 'enum'),
    ];
    const schema = { ...fidelitySchema, fields };
    const findings = await checkFieldTypes(client, [{ name: parseIndexName('vals'), schema }]);
    expect(findings.map((f) => `${f.level} ${f.path}: ${f.message} — ${f.fix}`)).toEqual([
      'error dec: field dec is declared integer but public.vals.dec is numeric (numeric(38,10)) — declare it as decimal',
      'error t: field t is declared date but public.vals.t is time without time zone — declare it as timestamp',
      'error texts: field texts is declared integer but public.vals.texts is an array of text — declare it as text or identifier or keyword or enum (arrays take their element type)',
      'error m: field m is declared long but public.vals.m is enum mood — declare it as text or identifier or keyword or enum',
      'error sl: field sl is declared long but public.vals.sl is text (slug) — declare it as text or identifier or keyword or enum',
      'error pos: field pos is declared short but public.vals.pos is integer (posint) — declare it as keyword or integer or long or double or decimal',
    ]);
  });
});
