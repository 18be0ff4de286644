// The CLI in-process: a bad flusso.toml or a hand-edited flusso.lock exits 2
// with a message naming the file, the index and the key.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';

const FIXTURES = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'packages',
  'daemon',
  'src',
  'schema-file',
  'fixtures',
);

async function flusso(argv: string[], cwd: string): Promise<{ code: number; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (chunk) => {
    err += String(chunk);
  });
  stdout.resume();
  const code = await main(argv, { stdout, stderr, env: {}, cwd, shutdown: new AbortController().signal });
  return { code, stderr: err };
}

function project(index: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'flusso-cli-'));
  copyFileSync(join(FIXTURES, 'users.schema.yml'), join(dir, 'users.schema.yml'));
  writeFileSync(
    join(dir, 'flusso.toml'),
    `[source]\ntype = "postgres"\n[sinks.primary]\ntype = "stdout"\n[[index]]\nname = "users"\nschema = "users.schema.yml"\n${index}`,
  );
  return dir;
}

describe('flusso CLI refusals', () => {
  it('exits 2 for an index without enabled, saying what it takes', async () => {
    const dir = project('');
    const { code, stderr } = await flusso(['build'], dir);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `flusso build: ${join(dir, 'flusso.toml')}:5: index[0].enabled: required; true or false\n`,
    );
  });

  it.each([
    ['a field of the wrong type', 'required', 'yes', 'must be true or false (got a string)'],
    ['an unknown key', 'boost', 2, 'unknown key "boost"'],
    ['a missing key', 'column', undefined, 'required; a string'],
  ])('exits 2 for a hand-edited lock with %s', async (_what, key, value, message) => {
    const dir = project('enabled = true\n');
    expect((await flusso(['build', '-o', 'flusso.lock'], dir)).code).toBe(0);
    const file = join(dir, 'flusso.lock');
    const lock = JSON.parse(readFileSync(file, 'utf8'));
    lock.indexes[0].schema.fields[1][key] = value;
    writeFileSync(file, JSON.stringify(lock));
    const { code, stderr } = await flusso(['run', '--lock', 'flusso.lock'], dir);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `flusso run: ${file}: index "users" (indexes[0]): schema.fields[1].${key}: ${message}\n`,
    );
  });
});
