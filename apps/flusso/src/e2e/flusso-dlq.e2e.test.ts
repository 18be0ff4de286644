// issue 17: dead letters through the built binary. A document the sink rejects
// under on_error = "skip" (text in a field the index maps as integer) is kept in
// flusso.dead_letters with its reason and content; `flusso dlq replay` lands it
// once the row is fixed; a SIGKILL before the batch is acknowledged loses nothing.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { useDemoRig } from './demo-rig.fixture.js';
import {
  caughtUp,
  expectedDocs,
  indexDocs,
  type RunningFlusso,
  runFlusso,
  waitFor,
  writeConfig,
} from './flusso-process.fixture.js';
import { scoreColumnSql, scoreSchemaText } from './rejectable-score.fixture.js';

const rig = useDemoRig(scoreColumnSql);
const auth = { authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}` };
function skipConfig(): { config: string; schema: string } {
  const { dir, config } = writeConfig('', scoreSchemaText);
  writeFileSync(config, `on_error = "skip"\n${readFileSync(config, 'utf8')}`);
  return { config, schema: join(dir, 'users.schema.yml') };
}

async function startLive(config: string): Promise<RunningFlusso> {
  const f = await rig.start(config);
  await caughtUp(f);
  return f;
}

interface ListedLetter {
  sink: string;
  index: string;
  id: string;
  error: { type: string; reason: string; status: number };
  lsn: string | null;
  attempts: number;
  document: Record<string, unknown> | null;
}

async function dlq(config: string, ...args: string[]) {
  return runFlusso(['dlq', ...args, '--config', config], {
    DATABASE_URL: rig.db.url,
    PRIMARY_OPENSEARCH_URL: rig.emu.url,
  });
}

async function listed(config: string): Promise<ListedLetter[]> {
  const { code, stdout, stderr } = await dlq(config, 'list', '--format', 'json');
  if (code !== 0) throw new Error(`dlq list failed: ${stderr}`);
  return JSON.parse(stdout) as ListedLetter[];
}

describe('issue-17 dead letters', () => {
  it('keeps a rejected document with its reason and content; replay lands it once fixed', async () => {
    const { config, schema } = skipConfig();
    const f = await startLive(config);
    await rig.db.sql("UPDATE users SET score = 'not a number', full_name = 'Rejected Once' WHERE id = 5");
    const [letter, ...others] = await waitFor(
      'a dead letter',
      () => listed(config),
      (l) => l.length > 0,
    );
    expect(others).toEqual([]);
    expect(letter).toMatchObject({
      sink: 'primary',
      index: 'users',
      id: '5',
      error: { type: 'mapper_parsing_exception', status: 400 },
      attempts: 1,
      document: { id: 5, score: 'not a number', fullName: 'Rejected Once' },
    });
    expect(letter?.error.reason).toContain('score');
    expect(letter?.lsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    const human = await dlq(config, 'list');
    expect(human.stdout).toContain('primary\tusers\t5\tupsert');
    expect(human.stdout).toContain('"fullName":"Rejected Once"');
    await waitFor(
      'dead letters in /status and /metrics',
      async () => [await f.status(), await (await fetch(`${f.publicUrl}/metrics`)).text()] as const,
      ([s, m]) =>
        (s?.dead_letters as { total?: number } | null)?.total === 1 &&
        m.includes('flusso_dead_letters{index="users",sink="primary"} 1'),
    );
    const viaHttp = (await (
      await fetch(`${f.privateUrl}/dead-letters?index=users`, { headers: auth })
    ).json()) as {
      dead_letters: ListedLetter[];
    };
    expect(viaHttp.dead_letters.map((l) => l.id)).toEqual(['5']);
    // The batch was acknowledged: the pipeline went on.
    expect((await f.status())?.changes_in_flight).toBe(0);
    expect(f.stderr()).not.toContain('Rejected Once');

    // Replaying before the cause is fixed keeps the letter, with one more attempt.
    const early = await dlq(config, 'replay', '--index', 'users');
    expect(early.code).toBe(1);
    expect(early.stdout).toContain('kept primary\tusers\t5\tmapper_parsing_exception');
    expect((await listed(config))[0]?.attempts).toBe(2);

    // Stopped, the fix reaches the index only through the replay.
    f.proc.kill('SIGTERM');
    await f.exited;
    await rig.db.sql("UPDATE users SET score = '77' WHERE id = 5");
    const replay = await dlq(config, 'replay', '--index', 'users', '--id', '5');
    expect(replay.stdout).toContain('replayed 1 of 1 dead letter(s)');
    expect(replay.code).toBe(0);
    expect(await listed(config)).toEqual([]);
    const docs = await indexDocs(rig.emu.url);
    expect(docs['5']).toMatchObject({ score: '77', fullName: 'Rejected Once' });
    expect(docs['5']).toEqual((await expectedDocs(rig.db.url, schema))['5']);
  }, 120_000);

  it('a SIGKILL while the dead letter is being written loses neither the document nor its letter', async () => {
    const { config } = skipConfig();
    await startLive(config).then(async (f) => {
      const blocker = new pg.Client({ connectionString: rig.db.url });
      await blocker.connect();
      try {
        await blocker.query('BEGIN');
        await blocker.query('LOCK TABLE flusso.dead_letters IN ACCESS EXCLUSIVE MODE');
        await rig.db.sql("UPDATE users SET score = 'kill me', full_name = 'Killed Mid Write' WHERE id = 6");
        await waitFor(
          'flusso waiting to write the dead letter',
          () =>
            rig.db.sql<{ n: number }>(
              "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO flusso.dead_letters%'",
            ),
          (rows) => (rows[0]?.n ?? 0) > 0,
        );
        expect((await f.status())?.changes_in_flight).not.toBe(0);
        f.proc.kill('SIGKILL');
        await f.exited;
      } finally {
        await blocker.query('ROLLBACK');
        await blocker.end();
      }
    });
    await startLive(config);
    const letters = await waitFor(
      'the dead letter after the restart',
      () => listed(config),
      (l) => l.some((x) => x.id === '6'),
    );
    expect(letters.find((l) => l.id === '6')?.document).toMatchObject({
      score: 'kill me',
      fullName: 'Killed Mid Write',
    });
  }, 120_000);
});
