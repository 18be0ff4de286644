// issue 17: `[dead_letters] type = "kafka"` through the built binary: a rejected
// document lands on the topic before its batch is acked, `flusso dlq list` reads
// it back, and `flusso dlq replay` lands it once fixed and tombstones the letter.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type KafkaDouble, startKafkaDouble } from '@flusso/kafka-double';
import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';
import { createTestDatabase, type TestDatabase } from '@flusso/pg-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  demoDir,
  indexDocs,
  type RunningFlusso,
  runFlusso,
  startFlusso,
  waitFor,
  writeConfig,
} from './flusso-process.fixture.js';

let db: TestDatabase;
let emu: Emulator;
let broker: KafkaDouble;
let flusso: RunningFlusso | null = null;
const schemaText = `${readFileSync(join(demoDir, 'users.schema.yml'), 'utf8')}
  - custom: score
    postgres: [text]
    opensearch: { type: integer }
    required: false
`;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql(readFileSync(join(demoDir, 'seed.sql'), 'utf8'));
  await db.sql("ALTER TABLE users ADD COLUMN score text DEFAULT '1'");
  emu = await startEmulator();
  broker = await startKafkaDouble();
});
afterAll(async () => {
  flusso?.proc.kill('SIGKILL');
  await flusso?.exited;
  await broker?.close();
  await emu?.close();
  await db?.close();
});

describe('issue-17 dead letters on a Kafka topic', () => {
  it('keeps a rejected document on the topic; dlq list reads it; replay lands it once fixed', async () => {
    const { config } = writeConfig('', schemaText);
    const toml = readFileSync(config, 'utf8');
    writeFileSync(
      config,
      `on_error = "skip"\n${toml}\n[dead_letters]\ntype = "kafka"\nbrokers = ["${broker.brokers[0]}"]\ntopic = "flusso-dlq"\n`,
    );
    const env = { DATABASE_URL: db.url, PRIMARY_OPENSEARCH_URL: emu.url };
    const list = async () =>
      JSON.parse((await runFlusso(['dlq', 'list', '--config', config, '--format', 'json'], env)).stdout) as {
        id: string;
        error: { type: string };
        document: Record<string, unknown> | null;
      }[];
    const f = await startFlusso({ config, dbUrl: db.url, osUrl: emu.url });
    flusso = f;
    await waitFor(
      'live',
      () => f.status(),
      (s) => s?.phase === 'live' && s.changes_in_flight === 0,
      30_000,
    );
    await db.sql("UPDATE users SET score = 'nope', full_name = 'Kafka Letter' WHERE id = 9");
    const [letter] = await waitFor('a dead letter on the topic', list, (l) => l.length > 0, 30_000);
    expect(letter).toMatchObject({
      id: '9',
      error: { type: 'mapper_parsing_exception' },
      document: { score: 'nope', fullName: 'Kafka Letter' },
    });
    expect(broker.records('flusso-dlq').length).toBeGreaterThan(0);
    await waitFor(
      'the count in /status',
      () => f.status(),
      (s) => (s?.dead_letters as { total?: number } | null)?.total === 1,
    );
    f.proc.kill('SIGTERM');
    await f.exited;
    await db.sql("UPDATE users SET score = '9' WHERE id = 9");
    const replay = await runFlusso(['dlq', 'replay', '--config', config, '--id', '9'], env);
    expect(replay.stdout).toContain('replayed 1 of 1 dead letter(s)');
    expect(await list()).toEqual([]);
    expect((await indexDocs(emu.url))['9']).toMatchObject({ score: '9', fullName: 'Kafka Letter' });
  }, 120_000);
});
