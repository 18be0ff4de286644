import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schemaHash } from '@flusso/sources';
import { describe, expect, it } from 'vitest';
import { compileConfig } from './compile-config.js';
import { parseLock, readLock, serializeLock, writeLock } from './lock.js';

const FIXTURES = join(import.meta.dirname, '..', 'schema-file', 'fixtures');

function project(sinkExtra = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'flusso-lock-'));
  for (const name of ['users', 'orders'])
    copyFileSync(join(FIXTURES, `${name}.schema.yml`), join(dir, `${name}.schema.yml`));
  writeFileSync(
    join(dir, 'flusso.toml'),
    `[source]\ntype = "postgres"\n[sinks.primary]\ntype = "opensearch"\nurl = { env = "OS_URL" }\n${sinkExtra}` +
      '[[index]]\nname = "users"\nschema = "users.schema.yml"\nenabled = true\n' +
      '[[index]]\nname = "orders"\nschema = "orders.schema.yml"\nenabled = false\n',
  );
  return join(dir, 'flusso.toml');
}

type Edit = (lock: {
  indexes: { schema: { fields: Record<string, unknown>[] } & Record<string, unknown> }[];
}) => void;

function editedLock(edit: Edit): string {
  const file = join(mkdtempSync(join(tmpdir(), 'flusso-lock-')), 'flusso.lock');
  const raw = JSON.parse(serializeLock(compileConfig(project())));
  edit(raw);
  writeFileSync(file, JSON.stringify(raw));
  return file;
}

function refusal(file: string): string {
  try {
    readLock(file);
  } catch (error) {
    expect(error).toMatchObject({ code: 'config_invalid' });
    return (error as Error).message;
  }
  return 'accepted';
}

describe('flusso.lock', () => {
  it('round-trips a compiled lock unchanged, schemas typed and hashes kept', () => {
    const lock = compileConfig(project());
    const file = join(mkdtempSync(join(tmpdir(), 'flusso-lock-')), 'flusso.lock');
    writeLock(file, lock);
    const read = readLock(file);
    expect(read).toEqual(lock);
    expect(read.indexes[0]?.schema.table).toBe('users');
    expect(serializeLock(read)).toBe(readFileSync(file, 'utf8'));
  });

  it('keeps secrets as env references', () => {
    expect(serializeLock(compileConfig(project()))).toContain('"env": "OS_URL"');
  });

  it('refuses a schema field of the wrong type, naming the file, the index and the key', () => {
    const file = editedLock((lock) => {
      const field = lock.indexes[0]?.schema.fields[1];
      if (field) field.required = 'yes';
    });
    expect(refusal(file)).toBe(
      `${file}: index "users" (indexes[0]): schema.fields[1].required: must be true or false (got a string)`,
    );
  });

  it('refuses an unknown key in a locked schema', () => {
    const file = editedLock((lock) => {
      const field = lock.indexes[0]?.schema.fields[1];
      if (field) field.analyzer = 'english';
    });
    expect(refusal(file)).toBe(
      `${file}: index "users" (indexes[0]): schema.fields[1].analyzer: unknown key "analyzer"`,
    );
  });

  it('refuses a locked schema missing a key', () => {
    const file = editedLock((lock) => {
      if (lock.indexes[1]) delete lock.indexes[1].schema.primaryKey;
    });
    expect(refusal(file)).toBe(
      `${file}: index "orders" (indexes[1]): schema.primaryKey: required; a column or a list of columns`,
    );
  });

  it('refuses a scalar type the schema file parser would refuse', () => {
    const file = editedLock((lock) => {
      const field = lock.indexes[0]?.schema.fields[1];
      if (field) field.type = 'varchar';
    });
    expect(refusal(file)).toMatch(
      /index "users" \(indexes\[0\]\): schema\.fields\[1\]\.type: must be one of "text", /,
    );
  });

  it('refuses a rule between keys the parser checks (an aggregate without foreign key or through)', () => {
    const file = editedLock((lock) => {
      const fields = lock.indexes[0]?.schema.fields ?? [];
      const aggregate = fields.find((f) => f.kind === 'aggregate');
      if (aggregate) delete aggregate.foreignKey;
    });
    expect(refusal(file)).toMatch(
      /index "users" \(indexes\[0\]\): schema\.fields\[\d+\]: an aggregate takes exactly one of/,
    );
  });

  it('refuses a schema edited without its hash', () => {
    const file = editedLock((lock) => {
      const field = lock.indexes[0]?.schema.fields[1];
      if (field) field.required = false;
    });
    expect(refusal(file)).toMatch(/index "users" \(indexes\[0\]\): hash: \w+ does not match its schema/);
  });

  it('refuses a config key in the lock with the flusso.toml wording', () => {
    const lock = JSON.parse(serializeLock(compileConfig(project())));
    delete lock.config.index[0].enabled;
    expect(() => parseLock('x.lock', lock)).toThrow(
      'x.lock: config.index[0].enabled: required; true or false',
    );
  });

  it('hashes text_analysis and auto_subfields, so changing them means a new generation', () => {
    const base = compileConfig(project()).indexes[0]?.hash;
    const icu = compileConfig(project('text_analysis = "icu"\n')).indexes[0]?.hash;
    const bare = compileConfig(project('auto_subfields = false\n')).indexes[0]?.hash;
    expect(new Set([base, icu, bare]).size).toBe(3);
    const lock = compileConfig(project('text_analysis = "icu"\n'));
    const users = lock.indexes[0];
    expect(users && schemaHash(users.schema, { textAnalysis: 'icu', autoSubfields: true })).toBe(icu);
  });

  it('refuses opensearch sinks that disagree on the mapping options', () => {
    const file = project('auto_subfields = false\n[sinks.replica]\ntype = "opensearch"\n');
    expect(() => compileConfig(file)).toThrow(
      `${file}: sinks.replica.auto_subfields: must equal sinks.primary.auto_subfields (false)`,
    );
  });
});
