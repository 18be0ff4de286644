// Through the built binary, on a database whose own settings print values unlike a
// neutral session: TimeZone Asia/Kolkata, DateStyle 'SQL, DMY', extra_float_digits 0.
// A partitioned root keyed by (id, created_at timestamptz), as partitioned tables
// must be, is backfilled and kept live, and the index equals what the SQL says in
// flusso's session (ids included). Before, every document was built as a delete
// (none appeared) under the TimeZone; under the DateStyle every id was
// `01/03/2024 …`-shaped, and under extra_float_digits a double lost its last digits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FidelityRig, fidelityRig } from './fidelity.fixture.js';
import { indexDocs } from './flusso-process.fixture.js';

const SCHEMA = `version: 1
table: events
primary_key: [id, created_at]
fields:
  - integer: id
  - timestamp: created_at
  - keyword: title
  - double: score
`;

const SEED = `CREATE TABLE events (id int, created_at timestamptz, title text, score float8,
    PRIMARY KEY (id, created_at)) PARTITION BY RANGE (created_at);
  CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01 00:00+00') TO ('2025-01-01 00:00+00');
  INSERT INTO events VALUES (1, '2024-03-01 10:00:00.25+00', 'a', 0.30000000000000004),
    (2, '2024-06-30 23:59:59+00', 'b', 123456789.12345678);`;

describe('keys and values on a database with settings of its own', () => {
  let rig: FidelityRig;
  beforeAll(async () => {
    rig = await fidelityRig({
      databaseSettings: { TimeZone: 'Asia/Kolkata', DateStyle: 'SQL, DMY', extra_float_digits: '0' },
      seed: SEED,
      schema: SCHEMA,
      index: 'events',
    });
  });
  afterAll(async () => rig?.cleanup(true));

  it('backfills and follows every row under the id the SQL gives it', async () => {
    await rig.startLive();
    expect(await rig.indexEqualsSql('the backfill')).toBe(2);
    const seeded = await indexDocs(rig.osUrl, 'events');
    expect(Object.keys(seeded).sort()).toEqual(['1:2024-03-01 10:00:00.25+00', '2:2024-06-30 23:59:59+00']);
    expect(seeded['1:2024-03-01 10:00:00.25+00']).toMatchObject({ score: 0.30000000000000004 });
    expect(seeded['2:2024-06-30 23:59:59+00']).toMatchObject({ score: 123456789.12345678 });
    await rig.db.sql(`INSERT INTO events VALUES (3, '2024-12-31 20:00:00+00', 'c', 1e-7);
      UPDATE events SET title = 'b2', score = 2.675 WHERE id = 2;
      DELETE FROM events WHERE id = 1;`);
    expect(await rig.indexEqualsSql('the live changes')).toBe(2);
    expect(Object.keys(await indexDocs(rig.osUrl, 'events')).sort()).toEqual([
      '2:2024-06-30 23:59:59+00',
      '3:2024-12-31 20:00:00+00',
    ]);
  }, 90_000);
});
