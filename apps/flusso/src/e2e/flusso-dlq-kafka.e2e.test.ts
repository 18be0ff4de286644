// issue 17: `[dead_letters] type = "kafka"` through the built binary: a rejected
// document lands on the topic before its batch is acked, `flusso dlq list` reads
// it back, and `flusso dlq replay` lands it once fixed and tombstones the letter.
import { readFileSync, writeFileSync } from 'node:fs';
import { type KafkaDouble, startKafkaDouble } from '@flusso/kafka-double';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useDemoRig } from './demo-rig.fixture.js';
import { caughtUp, indexDocs, runFlusso, waitFor, writeConfig } from './flusso-process.fixture.js';
import { scoreColumnSql, scoreSchemaText } from './rejectable-score.fixture.js';

const rig = useDemoRig(scoreColumnSql);
let broker: KafkaDouble;

beforeAll(async () => {
  broker = await startKafkaDouble();
});
afterAll(async () => {
  await broker?.close();
});

describe('issue-17 dead letters on a Kafka topic', () => {
  it('keeps a rejected document on the topic; dlq list reads it; replay lands it once fixed', async () => {
    const { config } = writeConfig('', scoreSchemaText);
    const toml = readFileSync(config, 'utf8');
    writeFileSync(
      config,
      `on_error = "skip"\n${toml}\n[dead_letters]\ntype = "kafka"\nbrokers = ["${broker.brokers[0]}"]\ntopic = "flusso-dlq"\n`,
    );
    const env = { DATABASE_URL: rig.db.url, PRIMARY_OPENSEARCH_URL: rig.emu.url };
    const list = async () =>
      JSON.parse((await runFlusso(['dlq', 'list', '--config', config, '--format', 'json'], env)).stdout) as {
        id: string;
        error: { type: string };
        document: Record<string, unknown> | null;
      }[];
    const f = await rig.start(config);
    await caughtUp(f);
    await rig.db.sql("UPDATE users SET score = 'nope', full_name = 'Kafka Letter' WHERE id = 9");
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
    await rig.db.sql("UPDATE users SET score = '9' WHERE id = 9");
    const replay = await runFlusso(['dlq', 'replay', '--config', config, '--id', '9'], env);
    expect(replay.stdout).toContain('replayed 1 of 1 dead letter(s)');
    expect(await list()).toEqual([]);
    expect((await indexDocs(rig.emu.url))['9']).toMatchObject({ score: '9', fullName: 'Kafka Letter' });
  }, 120_000);
});
