import { tenantOfDocument } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { parseSchemaText } from './parse-schema-file.js';

const base = `version: 1
table: tickets
fields:
  - keyword: title
  - belongs_to: account
    table: accounts
    column: account_id
    fields:
      - keyword: name
`;

describe('tenant in a schema', () => {
  it('adds a hidden _tenant keyword for a root column', () => {
    const schema = parseSchemaText('t.schema.yml', `${base}tenant: { column: org_id }\n`);
    expect(schema.tenant).toEqual({ column: 'org_id', path: [] });
    expect(schema.fields.at(-1)).toMatchObject({
      kind: 'scalar',
      name: '_tenant',
      type: 'keyword',
      column: 'org_id',
    });
  });

  it('follows a belongs_to path to the tenant column', () => {
    const schema = parseSchemaText('t.schema.yml', `${base}tenant: { path: [account], column: org_id }\n`);
    const field = schema.fields.at(-1);
    expect(field).toMatchObject({ kind: 'join', verb: 'belongs_to', name: '_tenant', table: 'accounts' });
    expect(field?.kind === 'join' ? field.fields : []).toMatchObject([{ name: '_tenant', column: 'org_id' }]);
    expect(tenantOfDocument({ _tenant: { _tenant: 'acme' } })).toBe('acme');
  });

  it('names the step of a path that is not a belongs_to field', () => {
    expect(() =>
      parseSchemaText('t.schema.yml', `${base}tenant: { path: [title], column: org_id }\n`),
    ).toThrow(/t\.schema\.yml:\d+: path: "title" is not a belongs_to field/);
  });

  it('refuses unknown keys in tenant', () => {
    expect(() => parseSchemaText('t.schema.yml', `${base}tenant: { col: org_id }\n`)).toThrow(
      /unknown key "col"/,
    );
  });
});
