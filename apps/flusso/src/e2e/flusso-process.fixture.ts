// Spawns the built flusso binary against a harness Postgres and the emulator, and
// reads what a user would: /status, /readyz, the index, the exit code.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type IndexSchema, keyColumns, parseIndexName, quoteIdent, stringifyExact } from '@flusso/core';
import { loadSchemaFile } from '@flusso/daemon';
import { freePort } from '@flusso/net-kit';
import type { TestDatabase } from '@flusso/pg-harness';
import { PgDocumentBuilder, sourceSessionOptions } from '@flusso/sources';
import pg from 'pg';

const here = dirname(fileURLToPath(import.meta.url));
export const demoDir = join(here, '..', '..', 'demo');
const bin = join(here, '..', '..', 'bin', 'flusso.js');

// Config directories live as long as the test process; they hold no state worth keeping.
const tempDirs: string[] = [];
process.once('exit', () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

export function writeConfig(
  extraSinks = '',
  schemaText?: string,
  index = 'users',
): { dir: string; config: string } {
  const dir = mkdtempSync(join(tmpdir(), 'flusso-e2e-'));
  tempDirs.push(dir);
  writeFileSync(
    join(dir, `${index}.schema.yml`),
    schemaText ?? readFileSync(join(demoDir, 'users.schema.yml'), 'utf8'),
  );
  const config = `[source]\ntype = "postgres"\nconnection_url = { env = "DATABASE_URL" }\n\n[sinks.primary]\ntype = "opensearch"\nurl = "http://127.0.0.1:1"\nnumber_of_replicas = 0\nrefresh_interval = "1s"\n${extraSinks}\n[[index]]\nname = "${index}"\nschema = "${index}.schema.yml"\nenabled = true\n`;
  writeFileSync(join(dir, 'flusso.toml'), config);
  return { dir, config: join(dir, 'flusso.toml') };
}

export interface RunningFlusso {
  readonly proc: ChildProcess;
  readonly publicUrl: string;
  readonly privateUrl: string;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
  status(): Promise<Record<string, unknown> | null>;
}

export async function startFlusso(args: {
  config: string;
  dbUrl: string;
  osUrl: string;
  extra?: string[];
}): Promise<RunningFlusso> {
  const pub = await freePort();
  const priv = await freePort();
  let out = '';
  let err = '';
  const proc = spawn(
    process.execPath,
    [
      bin,
      'run',
      '--config',
      args.config,
      '--public-address',
      `127.0.0.1:${pub}`,
      '--private-address',
      `127.0.0.1:${priv}`,
      '--admin-password',
      'pw',
      '--lag-poll-secs',
      '1',
      ...(args.extra ?? []),
    ],
    {
      env: {
        ...process.env,
        DATABASE_URL: args.dbUrl,
        PRIMARY_OPENSEARCH_URL: args.osUrl,
        FLUSSO_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  proc.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const publicUrl = `http://127.0.0.1:${pub}`;
  return {
    proc,
    publicUrl,
    privateUrl: `http://127.0.0.1:${priv}`,
    stdout: () => out,
    stderr: () => err,
    exited,
    status: async () => {
      try {
        return (await (await fetch(`${publicUrl}/status`)).json()) as Record<string, unknown>;
      } catch {
        return null;
      }
    },
  };
}

/** A one-shot flusso command (`check`, `schema`, ...) run to its end. */
export function runFlusso(
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...process.env, FLUSSO_LOG_LEVEL: 'warn', ...env } },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') reject(error);
        else resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
      },
    );
  });
}

/** Every document of the index, read back through the convenience alias. */
export async function indexDocs(osUrl: string, alias = 'users'): Promise<Record<string, unknown>> {
  await fetch(`${osUrl}/${alias}/_refresh`, { method: 'POST' });
  const res = await fetch(`${osUrl}/${alias}/_search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ size: 10_000, query: { match_all: {} } }),
  });
  const body = (await res.json()) as { hits?: { hits: { _id: string; _source: unknown }[] } };
  return Object.fromEntries((body.hits?.hits ?? []).map((h) => [h._id, h._source]));
}

/**
 * What the SQL says every document is, from the current rows: ids are the schema's key
 * texts (`::text` joined with `:`) in the session every flusso connection opens with
 * (`sourceSessionOptions`), so they are the ids flusso must write whatever the
 * database's own TimeZone, DateStyle or float settings.
 */
export async function expectedDocs(
  dbUrl: string,
  schemaFile = join(demoDir, 'users.schema.yml'),
  root = { index: 'users', table: 'users' },
): Promise<Record<string, unknown>> {
  const pool = new pg.Pool({ connectionString: dbUrl, options: sourceSessionOptions });
  try {
    const schema = loadSchemaFile(schemaFile) as IndexSchema;
    const index = parseIndexName(root.index);
    const builder = new PgDocumentBuilder({ db: pool, indexes: [{ name: index, schema }] });
    const id = keyColumns(schema.primaryKey)
      .map((c) => `${quoteIdent(c)}::text`)
      .join(` || ':' || `);
    const from = `${quoteIdent(schema.schema)}.${quoteIdent(schema.table)}`;
    const ids = (await pool.query(`SELECT ${id} AS id FROM ${from}`)).rows.map((r) => r.id);
    const docs = await builder.build(index, ids);
    // As the emulator holds them: parsed JSON (exact bytes are compared on a recording endpoint).
    const plain = (d: (typeof docs)[number]) =>
      d.op === 'upsert' ? JSON.parse(stringifyExact(d.document)) : null;
    return Object.fromEntries(docs.flatMap((d) => (d.op === 'upsert' ? [[d.id, plain(d)]] : [])));
  } finally {
    await pool.end();
  }
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: last ${JSON.stringify(v)?.slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until `f` is live with nothing in flight: every committed change has reached the sinks. */
export function caughtUp(f: RunningFlusso, timeoutMs = 30_000): Promise<Record<string, unknown> | null> {
  return waitFor(
    'caught up',
    () => f.status(),
    (s) => s?.phase === 'live' && s.changes_in_flight === 0,
    timeoutMs,
  );
}

/** Random writes across every table for `ms`. */
export async function churn(db: TestDatabase, ms: number): Promise<void> {
  const end = Date.now() + ms;
  let i = 0;
  while (Date.now() < end) {
    i += 1;
    const user = 20 + (i % 150);
    await db.sql(
      [
        `UPDATE users SET full_name = 'churn ${i}' WHERE id = ${user}`,
        `UPDATE order_items SET quantity = ${i % 7} WHERE id = ${((i * 7) % 1500) + 1}`,
        `UPDATE orders SET user_id = ${(user % 200) + 1} WHERE id = ${((i * 13) % 600) + 1}`,
        `UPDATE addresses SET city = 'c${i}' WHERE id = ${((i * 3) % 300) + 1}`,
      ][i % 4] as string,
    );
  }
}
