import { type IndexSchema, parseIndexName } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { checkTenant } from './check-tenant.js';

const columns = [
  ['public.tickets', 'id', 'NO'],
  ['public.tickets', 'org_id', 'NO'],
  ['public.tickets', 'title', 'YES'],
  ['public.comments', 'org_id', 'NO'],
  ['public.comments', 'ticket_id', 'NO'],
  ['public.tags', 'ticket_id', 'NO'],
  ['public.accounts', 'org_id', 'YES'],
];
const db = { query: async () => ({ rows: columns.map(([t, c, n]) => ({ t, c, n })) }) };
const join = (name: string, table: string, verb: 'has_many' | 'belongs_to') =>
  ({
    kind: 'join',
    verb,
    name,
    table,
    schema: 'public',
    primaryKey: 'id',
    ...(verb === 'has_many' ? { foreignKey: 'ticket_id' } : { column: 'account_id' }),
    filters: [],
    orderBy: [],
    required: false,
    fields: [],
  }) as const;
const schema = (tenant: IndexSchema['tenant']): IndexSchema => ({
  version: 1,
  table: 'tickets',
  schema: 'public',
  primaryKey: 'id',
  filters: [],
  fields: [
    join('comments', 'comments', 'has_many'),
    join('tags', 'tags', 'has_many'),
    join('account', 'accounts', 'belongs_to'),
  ],
  ...(tenant ? { tenant } : {}),
});
const run = (tenant: IndexSchema['tenant']) =>
  checkTenant(db, [{ name: parseIndexName('tickets'), schema: schema(tenant) }]);

describe('flusso check of a tenant column', () => {
  it('passes a NOT NULL root column and reports each joined table that cannot reach it', async () => {
    const findings = await run({ column: 'org_id', path: [] });
    expect(findings.filter((f) => f.level === 'error')).toEqual([]);
    expect(findings.map((f) => [f.level, f.path])).toEqual([['warning', 'tags']]);
  });

  it('refuses a missing tenant column', async () => {
    const findings = await run({ column: 'tenant', path: [] });
    expect(findings[0]).toMatchObject({
      level: 'error',
      path: 'tenant',
      message: expect.stringMatching(/does not exist/),
    });
  });

  it('refuses a nullable tenant column at the end of a belongs_to path', async () => {
    const findings = await run({ column: 'org_id', path: ['account'] });
    expect(findings[0]).toMatchObject({
      level: 'error',
      message: expect.stringMatching(/accounts\.org_id is nullable/),
    });
  });
});
