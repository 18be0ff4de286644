// A document whose SQL fails on its data, through the built binary: a SQL_ASCII
// database holding bytes that are not UTF-8 in one user's name (Postgres refuses to
// send them to a UTF-8 client, SQLSTATE 22021). Under on_error = "skip" every other
// document is delivered, backfill and live, the bad one is a dead letter with codes
// only, and fixing the row lands it; under "stop" the run stops naming it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useDemoRig } from './demo-rig.fixture.js';
import {
  caughtUp,
  demoDir,
  expectedDocs,
  indexDocs,
  type RunningFlusso,
  runFlusso,
  startFlusso,
  waitFor,
  writeConfig,
} from './flusso-process.fixture.js';

const rig = useDemoRig();
const BAD = '42';

function same(a: unknown, b: unknown): boolean {
  try {
    expect(a).toEqual(b);
    return true;
  } catch {
    return false;
  }
}

/** A SQL_ASCII database in the rig's cluster, seeded with the demo store; its URL. */
async function asciiDatabase(name: string): Promise<string> {
  await rig.db.sql(
    `CREATE DATABASE ${name} ENCODING 'SQL_ASCII' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'`,
  );
  const url = new URL(rig.db.url);
  url.pathname = `/${name}`;
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(readFileSync(join(demoDir, 'seed.sql'), 'utf8'));
  } finally {
    await client.end();
  }
  return url.toString();
}

async function sql(url: string, text: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** 0xff is not UTF-8: this user's document SQL fails while the row stays as it is. */
const corrupt = (id: string) =>
  `UPDATE users SET full_name = convert_from('\\x41ff42'::bytea, 'SQL_ASCII') WHERE id = ${id}`;

function configWith(onError: 'skip' | 'stop'): string {
  const { config } = writeConfig();
  writeFileSync(config, `on_error = "${onError}"\n${readFileSync(config, 'utf8')}`);
  return config;
}

interface ListedLetter {
  sink: string;
  index: string;
  id: string;
  error: { type: string; reason: string; status: number };
  lsn: string | null;
  document: unknown;
}

async function letters(config: string, dbUrl: string): Promise<ListedLetter[]> {
  const { code, stdout, stderr } = await runFlusso(['dlq', 'list', '--format', 'json', '--config', config], {
    DATABASE_URL: dbUrl,
    PRIMARY_OPENSEARCH_URL: rig.emu.url,
  });
  if (code !== 0) throw new Error(`dlq list failed: ${stderr}`);
  return JSON.parse(stdout) as ListedLetter[];
}

describe('a document whose SQL fails on its data', () => {
  it('under skip: the others are delivered, it is a dead letter with codes only, and lands once fixed', async () => {
    const url = await asciiDatabase('ascii_skip');
    const expected = await expectedDocs(url);
    await sql(url, corrupt(BAD));
    const config = configWith('skip');
    let f: RunningFlusso | null = null;
    try {
      f = await startFlusso({ config, dbUrl: url, osUrl: rig.emu.url });
      const running = f;
      await caughtUp(running, 60_000);
      // Backfill: every document but the bad one, each equal to what the SQL builds.
      const { [BAD]: _bad, ...others } = expected;
      expect(Object.keys(others).length).toBeGreaterThan(100);
      await waitFor(
        'backfill without the bad one',
        () => indexDocs(rig.emu.url),
        (d) => same(d, others),
        30_000,
      );
      const [letter, ...more] = await waitFor(
        'its dead letter',
        () => letters(config, url),
        (l) => l.length > 0,
      );
      expect(more).toEqual([]);
      expect(letter).toMatchObject({
        sink: 'primary',
        index: 'users',
        id: BAD,
        error: { type: 'build_failed', status: 0 },
        document: null,
      });
      expect(letter?.error.reason).toContain('SQLSTATE 22021');
      expect(JSON.stringify(letter)).not.toMatch(/0xff|A\uFFFDB/i);

      // Live: one transaction whose batch holds the bad document (an order moved to its user:
      // the order's row replicates fine, the user's document SQL fails) and a good one.
      await sql(
        url,
        `BEGIN; UPDATE users SET full_name = 'Live Good' WHERE id = 7; UPDATE orders SET user_id = ${BAD} WHERE id = (SELECT min(id) FROM orders WHERE user_id <> ${BAD}); COMMIT`,
      );
      await waitFor(
        'the good live change',
        () => indexDocs(rig.emu.url),
        (d) => (d['7'] as { fullName?: string } | undefined)?.fullName === 'Live Good',
        30_000,
      );
      await caughtUp(running, 30_000);
      // The same letter, now from the live batch (the newest wins): it carries the batch's LSN.
      const [live, ...others2] = await letters(config, url);
      expect(others2).toEqual([]);
      expect(live).toMatchObject({ id: BAD, document: null, error: { type: 'build_failed' } });
      expect(live?.lsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);

      // Fixed, the row's next change lands it: the index equals the SQL, flusso never stopped.
      await sql(url, `UPDATE users SET full_name = 'Fixed' WHERE id = ${BAD}`);
      const truth = await expectedDocs(url);
      await waitFor(
        'index equals SQL after the fix',
        () => indexDocs(rig.emu.url),
        (d) => same(d, truth),
        30_000,
      );
      expect(running.proc.exitCode).toBeNull();
      expect(`${running.stdout()}${running.stderr()}`).not.toMatch(/0xff|A\uFFFDB/i);
    } finally {
      f?.proc.kill('SIGKILL');
      await f?.exited;
    }
  }, 180_000);

  it('under stop: the run stops with an error naming the index, the document and the SQLSTATE', async () => {
    const url = await asciiDatabase('ascii_stop');
    await sql(url, corrupt(BAD));
    const f = await startFlusso({
      config: configWith('stop'),
      dbUrl: url,
      osUrl: rig.emu.url,
      extra: ['--slot', 'flusso_stop', '--index-prefix', 'stop_'],
    });
    try {
      const code = await Promise.race([f.exited, new Promise((r) => setTimeout(() => r('running'), 90_000))]);
      expect(code).toBe(1);
      expect(f.stderr()).toContain(`index users: document ${BAD} cannot be built (SQLSTATE 22021)`);
      expect(f.stderr()).not.toMatch(/0xff|A\uFFFDB/i);
    } finally {
      f.proc.kill('SIGKILL');
      await f.exited;
    }
  }, 120_000);
});
