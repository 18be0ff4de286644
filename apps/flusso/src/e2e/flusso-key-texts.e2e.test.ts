// Through the built binary, on a database whose TimeZone is not UTC: a
// partitioned root keyed by (id, created_at timestamptz), as partitioned tables
// must be, is backfilled and kept live, and the index equals what the SQL says
// (ids included). Before, every document was built as a delete: none appeared.
import { isDeepStrictEqual } from 'node:util';
import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';
import { createTestDatabase, type TestDatabase } from '@flusso/pg-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caughtUp,
  indexDocs,
  type RunningFlusso,
  startFlusso,
  waitFor,
  writeConfig,
} from './flusso-process.fixture.js';
import { sqlTruth } from './sql-truth.fixture.js';

const SCHEMA = `version: 1
table: events
primary_key: [id, created_at]
fields:
  - integer: id
  - timestamp: created_at
  - keyword: title
`;

async function truth(dbUrl: string): Promise<Record<string, unknown>> {
  const docs = await sqlTruth(dbUrl, SCHEMA);
  return Object.fromEntries([...docs].map(([id, text]) => [id, JSON.parse(text)]));
}

describe('a timestamptz key on a database in Asia/Kolkata', () => {
  let db: TestDatabase;
  let emu: Emulator;
  let flusso: RunningFlusso | null = null;
  beforeAll(async () => {
    emu = await startEmulator();
    db = await createTestDatabase();
    await db.sql(`ALTER DATABASE "${new URL(db.url).pathname.slice(1)}" SET TimeZone = 'Asia/Kolkata'`);
    await db.sql(`CREATE TABLE events (id int, created_at timestamptz, title text, PRIMARY KEY (id, created_at))
        PARTITION BY RANGE (created_at);
      CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01 00:00+00') TO ('2025-01-01 00:00+00');
      INSERT INTO events VALUES (1, '2024-03-01 10:00:00.25+00', 'a'), (2, '2024-06-30 23:59:59+00', 'b');`);
  });
  afterAll(async () => {
    flusso?.proc.kill('SIGKILL');
    await emu?.close();
    await db?.close();
  });

  it('backfills and follows every row under the id the SQL gives it', async () => {
    const { config } = writeConfig('', SCHEMA, 'events');
    flusso = await startFlusso({ config, dbUrl: db.url, osUrl: emu.url });
    await caughtUp(flusso);
    const seeded = await indexDocs(emu.url, 'events');
    expect(Object.keys(seeded).sort()).toEqual(['1:2024-03-01 10:00:00.25+00', '2:2024-06-30 23:59:59+00']);
    expect(seeded).toEqual(await truth(db.url));
    await db.sql(`INSERT INTO events VALUES (3, '2024-12-31 20:00:00+00', 'c');
      UPDATE events SET title = 'b2' WHERE id = 2;
      DELETE FROM events WHERE id = 1;`);
    const want = await truth(db.url);
    await waitFor(
      'the live changes',
      () => indexDocs(emu.url, 'events'),
      (docs) => isDeepStrictEqual(docs, want),
    );
    expect(Object.keys(await indexDocs(emu.url, 'events')).sort()).toEqual([
      '2:2024-06-30 23:59:59+00',
      '3:2024-12-31 20:00:00+00',
    ]);
  }, 60_000);
});
