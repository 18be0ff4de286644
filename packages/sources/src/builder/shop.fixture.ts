// A small shop: users ⟶ orders ⟶ items (three levels), tags through a junction,
// a belongs_to, aggregates, soft delete. The model is what the YAML parser yields.
import type { Field, IndexSchema } from '@flusso/core';

export const shopSql = `
CREATE TABLE teams (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE users (id bigint PRIMARY KEY, email text, name text, team_id int, deleted boolean NOT NULL DEFAULT false,
  born date, joined timestamptz, score numeric(10,2), avatar bytea, lat float8, lon float8, prefs jsonb);
CREATE TABLE orders (id int PRIMARY KEY, user_id bigint NOT NULL, status text NOT NULL, total numeric(12,2) NOT NULL);
CREATE TABLE items (id int PRIMARY KEY, order_id int NOT NULL, sku text NOT NULL, qty int NOT NULL);
CREATE TABLE tags (id int PRIMARY KEY, label text NOT NULL);
CREATE TABLE user_tags (user_id bigint NOT NULL, tag_id int NOT NULL, PRIMARY KEY (user_id, tag_id));
ALTER TABLE orders REPLICA IDENTITY FULL; ALTER TABLE items REPLICA IDENTITY FULL; ALTER TABLE user_tags REPLICA IDENTITY FULL;
INSERT INTO teams VALUES (1, 'core'), (2, 'edge');
INSERT INTO users VALUES
  (1, '  Ada@Example.COM ', 'Ada', 1, false, '1990-12-10', '2024-01-02 03:04:05+00', 12.50, '\\x0102', 45.5, 9.2, '{"theme":"dark"}'),
  (2, 'bob@example.com', NULL, 2, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (3, 'gone@example.com', 'Gone', 1, true, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (9007199254740993, 'big@example.com', 'Big', NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO orders VALUES (10, 1, 'paid', 30.00), (11, 1, 'cancelled', 5.00), (12, 1, 'delivered', 7.25), (20, 2, 'paid', 1.00);
INSERT INTO items VALUES (100, 10, 'A-1', 2), (101, 10, 'B-2', 1), (102, 12, 'C-3', 4), (200, 20, 'Z-9', 1);
INSERT INTO tags VALUES (1, 'vip'), (2, 'beta');
INSERT INTO user_tags VALUES (1, 1), (1, 2), (2, 2);
`;

const scalar = (
  name: string,
  type: Field extends infer F ? (F extends { kind: 'scalar'; type: infer T } ? T : never) : never,
  extra: object = {},
): Field => ({
  kind: 'scalar',
  name,
  type,
  column: name,
  required: false,
  transforms: [],
  ...extra,
});

export const usersSchema: IndexSchema = {
  version: 1,
  table: 'users',
  schema: 'public',
  primaryKey: 'id',
  softDelete: { column: 'deleted', when: [] },
  filters: [],
  fields: [
    scalar('id', 'long'),
    scalar('email', 'keyword', { transforms: ['trim', 'lowercase'] }),
    scalar('name', 'text', { default: 'anonymous' }),
    scalar('born', 'date'),
    scalar('joined', 'timestamp'),
    scalar('score', 'decimal'),
    scalar('avatar', 'binary'),
    { kind: 'geo', name: 'location', lat: 'lat', lon: 'lon', required: false },
    { kind: 'map', name: 'prefs', column: 'prefs', values: 'keyword', required: false },
    { kind: 'constant', name: 'source', value: 'shop' },
    { kind: 'object', name: 'meta', fields: [scalar('team_id', 'integer')] },
    {
      kind: 'join',
      verb: 'belongs_to',
      name: 'team',
      table: 'teams',
      schema: 'public',
      primaryKey: 'id',
      column: 'team_id',
      filters: [],
      orderBy: [],
      required: false,
      fields: [scalar('name', 'keyword')],
    },
    {
      kind: 'join',
      verb: 'has_many',
      name: 'orders',
      table: 'orders',
      schema: 'public',
      primaryKey: 'id',
      foreignKey: 'user_id',
      filters: [{ column: 'status', op: 'neq', value: 'cancelled' }],
      orderBy: [{ column: 'id', direction: 'desc' }],
      required: false,
      fields: [
        scalar('id', 'integer'),
        scalar('status', 'enum', { variants: ['pending', 'paid', 'delivered', 'cancelled'] }),
        scalar('total', 'decimal'),
        {
          kind: 'join',
          verb: 'has_many',
          name: 'items',
          table: 'items',
          schema: 'public',
          primaryKey: 'id',
          foreignKey: 'order_id',
          filters: [],
          orderBy: [{ column: 'id', direction: 'asc' }],
          required: false,
          fields: [scalar('sku', 'keyword'), scalar('qty', 'integer')],
        },
      ],
    },
    {
      kind: 'join',
      verb: 'many_to_many',
      name: 'tags',
      table: 'tags',
      schema: 'public',
      primaryKey: 'id',
      through: { table: 'user_tags', leftKey: 'user_id', rightKey: 'tag_id' },
      filters: [],
      orderBy: [{ column: 'label', direction: 'asc' }],
      required: false,
      fields: [scalar('label', 'keyword')],
    },
    {
      kind: 'aggregate',
      fn: 'count',
      name: 'orderCount',
      table: 'orders',
      schema: 'public',
      foreignKey: 'user_id',
      primaryKey: 'id',
      filters: [],
    },
    {
      kind: 'aggregate',
      fn: 'sum',
      name: 'paidTotal',
      table: 'orders',
      schema: 'public',
      column: 'total',
      valueType: 'decimal',
      foreignKey: 'user_id',
      primaryKey: 'id',
      filters: [{ column: 'status', op: 'in', value: ['paid', 'delivered'] }],
    },
    {
      kind: 'aggregate',
      fn: 'max',
      name: 'biggest',
      table: 'orders',
      schema: 'public',
      column: 'total',
      valueType: 'double',
      foreignKey: 'user_id',
      primaryKey: 'id',
      filters: [],
    },
    {
      kind: 'aggregate',
      fn: 'avg',
      name: 'avgTotal',
      table: 'orders',
      schema: 'public',
      column: 'total',
      foreignKey: 'user_id',
      primaryKey: 'id',
      filters: [],
    },
    {
      kind: 'aggregate',
      fn: 'ids',
      name: 'orderIds',
      table: 'orders',
      schema: 'public',
      elementType: 'integer',
      foreignKey: 'user_id',
      primaryKey: 'id',
      filters: [],
    },
  ],
};
