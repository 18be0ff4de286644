import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { indexSchemaJsonSchema } from './index-json-schema.js';
import { loadSchemaFile, parseSchemaText } from './parse-schema-file.js';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', `${name}.schema.yml`);

describe('*.schema.yml', () => {
  it('loads the reference dev schemas unchanged', () => {
    const users = loadSchemaFile(fixture('users'));
    expect(users).toMatchObject({
      table: 'users',
      schema: 'public',
      primaryKey: 'id',
      softDelete: { column: 'deleted', when: [] },
    });
    const orders = users.fields.find((f) => f.name === 'orders');
    expect(orders).toMatchObject({
      kind: 'join',
      verb: 'has_many',
      table: 'orders',
      foreignKey: 'user_id',
      orderBy: [{ column: 'placed_at', direction: 'desc' }],
    });
    expect(orders?.kind === 'join' && orders.fields.find((f) => f.name === 'items')).toMatchObject({
      kind: 'join',
      verb: 'has_many',
      table: 'order_items',
    });
    expect(users.fields.find((f) => f.name === 'lifetimeValue')).toMatchObject({
      kind: 'aggregate',
      fn: 'sum',
      column: 'total',
      valueType: 'decimal',
    });
    expect(users.fields.find((f) => f.name === 'email')).toMatchObject({
      kind: 'scalar',
      type: 'keyword',
      transforms: ['lowercase', 'trim'],
      required: true,
    });
    for (const name of ['orders', 'products'])
      expect(loadSchemaFile(fixture(name)).fields.length).toBeGreaterThan(0);
  });

  it('names file, line and key for an unknown key', () => {
    const text = 'version: 1\ntable: users\nfields:\n  - keyword: email\n    colum: mail\n';
    expect(() => parseSchemaText('users.schema.yml', text)).toThrow(
      'users.schema.yml:5: colum: unknown key "colum" in field of type keyword',
    );
  });

  it('reads a custom type named as a string as that OpenSearch type, options beside it', () => {
    const products = loadSchemaFile(fixture('products'));
    const pricing = products.fields.find((f) => f.name === 'pricing');
    expect(pricing?.kind === 'object' && pricing.fields[0]).toMatchObject({
      opensearch: { type: 'scaled_float' },
      options: { scaling_factor: 100 },
    });
  });

  it('refuses field options that are not a mapping, so the lock can hold them', () => {
    const text = 'version: 1\ntable: users\nfields:\n  - text: bio\n    options: english\n';
    expect(() => parseSchemaText('u.schema.yml', text)).toThrow('u.schema.yml:5: options: must be a mapping');
  });

  it('names file, line and key for a bad identifier', () => {
    const text = 'version: 1\ntable: users\nfields:\n  - keyword: email\n    column: Bad-Name\n';
    expect(() => parseSchemaText('u.yml', text)).toThrow(
      /^u\.yml:5: column: "Bad-Name" is not a valid Postgres identifier/,
    );
  });

  it('rejects a field with two type keys or none, and a join missing its key', () => {
    expect(() =>
      parseSchemaText('u.yml', 'version: 1\ntable: t\nfields:\n  - keyword: a\n    text: b\n'),
    ).toThrow(/exactly one type key/);
    expect(() =>
      parseSchemaText(
        'u.yml',
        'version: 1\ntable: t\nfields:\n  - has_many: a\n    table: x\n    fields: []\n',
      ),
    ).toThrow(/has_many needs foreign_key/);
    expect(() => parseSchemaText('u.yml', 'version: 2\ntable: t\nfields: []\n')).toThrowError(
      expect.objectContaining({ code: 'schema_invalid' }),
    );
  });

  it('generates a JSON Schema covering every field type key', () => {
    const schema = indexSchemaJsonSchema() as {
      $defs: { fields: { items: { oneOf: { required: string[] }[] } } };
    };
    const keys = schema.$defs.fields.items.oneOf.map((v) => v.required[0]);
    expect(keys).toEqual(
      expect.arrayContaining([
        'keyword',
        'enum',
        'has_many',
        'many_to_many',
        'count',
        'ids',
        'geo',
        'map',
        'object',
        'constant',
      ]),
    );
  });

  it('reads composite keys as lists, a one-column list as that column, and refuses a repeated column', () => {
    const yaml = [
      'version: 1',
      'table: accounts',
      'primary_key: [tenant, id]',
      'fields:',
      '  - long: id',
      '  - has_many: notes',
      '    table: notes',
      '    primary_key: [tenant, account_id, line]',
      '    foreign_key: [tenant, account_id]',
      '  - many_to_many: labels',
      '    table: labels',
      '    primary_key: [id]',
      '    through: { table: account_labels, left_key: [tenant, account_id], right_key: label_id }',
    ].join('\n');
    const schema = parseSchemaText('a.schema.yml', yaml);
    expect(schema.primaryKey).toEqual(['tenant', 'id']);
    expect(schema.fields[1]).toMatchObject({
      primaryKey: ['tenant', 'account_id', 'line'],
      foreignKey: ['tenant', 'account_id'],
    });
    expect(schema.fields[2]).toMatchObject({
      primaryKey: 'id',
      through: { leftKey: ['tenant', 'account_id'], rightKey: 'label_id' },
    });
    expect(() => parseSchemaText('b.schema.yml', yaml.replace('[tenant, id]', '[id, id]'))).toThrow(
      'b.schema.yml:3: primary_key: a composite key names each column once',
    );
  });
});
