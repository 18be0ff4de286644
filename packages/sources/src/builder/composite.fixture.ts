// Composite keys at every level: a root keyed by (tenant, id), where two tenants
// share an id; a child keyed by (tenant, account_id, line) joined on a
// composite foreign key; a junction with composite left and right keys; and a
// root whose leading key part is text holding ':' (ids matched as text).
import type { Field, IndexSchema, ScalarType } from '@flusso/core';

export const compositeSql = `
CREATE TABLE accounts (tenant int, id bigint, name text NOT NULL, PRIMARY KEY (tenant, id));
CREATE TABLE notes (tenant int, account_id bigint, line int, body text, PRIMARY KEY (tenant, account_id, line));
CREATE TABLE labels (tenant int, id int, name text NOT NULL, PRIMARY KEY (tenant, id));
CREATE TABLE account_labels (tenant int, account_id bigint, label_id int, PRIMARY KEY (tenant, account_id, label_id));
CREATE TABLE places (region text, id int, name text, PRIMARY KEY (region, id));
ALTER TABLE notes REPLICA IDENTITY FULL; ALTER TABLE account_labels REPLICA IDENTITY FULL;
`;

export const compositeRows = `
INSERT INTO accounts VALUES (1, 9007199254740993, 'a'), (2, 9007199254740993, 'b');
INSERT INTO notes VALUES (1, 9007199254740993, 1, 'x'), (2, 9007199254740993, 1, 'y');
INSERT INTO labels VALUES (1, 1, 'red'), (2, 1, 'blue');
INSERT INTO account_labels VALUES (1, 9007199254740993, 1), (2, 9007199254740993, 1);
INSERT INTO places VALUES ('eu:west', 1, 'Dublin'), ('eu', 1, 'Paris');
`;

const s = (name: string, type: ScalarType): Field => ({
  kind: 'scalar',
  name,
  type,
  column: name,
  required: false,
  transforms: [],
});

export const accountsSchema: IndexSchema = {
  version: 1,
  table: 'accounts',
  schema: 'public',
  primaryKey: ['tenant', 'id'],
  filters: [],
  fields: [
    s('tenant', 'integer'),
    s('id', 'long'),
    s('name', 'keyword'),
    {
      kind: 'join',
      verb: 'has_many',
      name: 'notes',
      table: 'notes',
      schema: 'public',
      primaryKey: ['tenant', 'account_id', 'line'],
      foreignKey: ['tenant', 'account_id'],
      filters: [],
      orderBy: [{ column: 'line', direction: 'asc' }],
      required: false,
      fields: [s('line', 'integer'), s('body', 'text')],
    },
    {
      kind: 'join',
      verb: 'many_to_many',
      name: 'labels',
      table: 'labels',
      schema: 'public',
      primaryKey: ['tenant', 'id'],
      through: {
        table: 'account_labels',
        leftKey: ['tenant', 'account_id'],
        rightKey: ['tenant', 'label_id'],
      },
      filters: [],
      orderBy: [{ column: 'name', direction: 'asc' }],
      required: false,
      fields: [s('name', 'keyword')],
    },
    {
      kind: 'aggregate',
      fn: 'count',
      name: 'noteCount',
      table: 'notes',
      schema: 'public',
      foreignKey: ['tenant', 'account_id'],
      primaryKey: ['tenant', 'account_id', 'line'],
      filters: [],
    },
  ],
};

export const placesSchema: IndexSchema = {
  version: 1,
  table: 'places',
  schema: 'public',
  primaryKey: ['region', 'id'],
  filters: [],
  fields: [s('region', 'keyword'), s('name', 'keyword')],
};

export const account1 =
  '{"tenant":1,"id":9007199254740993,"name":"a","notes":[{"line":1,"body":"x"}],"labels":[{"name":"red"}],"noteCount":1}';
export const account2 =
  '{"tenant":2,"id":9007199254740993,"name":"b","notes":[{"line":1,"body":"y"}],"labels":[{"name":"blue"}],"noteCount":1}';
