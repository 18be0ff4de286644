// Issue 13 through the built binary: a partitioned root with a partitioned child
// join, synced live across a SIGKILL and moves between partitions; every
// document compared with what the SQL builds.
import { testedVersions } from '@flusso/pg-harness';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FidelityRig, fidelityRig } from './fidelity.fixture.js';

const SCHEMA = `version: 1
table: events
primary_key: id
fields:
  - integer: id
    required: true
  - keyword: kind
    required: false
  - has_many: notes
    table: notes
    foreign_key: event_id
    primary_key: id
    order_by:
      - { column: id, direction: asc }
    fields:
      - integer: id
        required: true
      - text: body
        required: false
`;

const SEED = `
CREATE TABLE events (id int PRIMARY KEY, kind text) PARTITION BY RANGE (id);
CREATE TABLE events_a PARTITION OF events FOR VALUES FROM (0) TO (1000);
CREATE TABLE events_b PARTITION OF events FOR VALUES FROM (1000) TO (100000);
CREATE TABLE notes (id int PRIMARY KEY, event_id int NOT NULL, body text) PARTITION BY RANGE (id);
CREATE TABLE notes_a PARTITION OF notes FOR VALUES FROM (0) TO (5000);
CREATE TABLE notes_b PARTITION OF notes FOR VALUES FROM (5000) TO (1000000);
CREATE INDEX ON notes (event_id);
ALTER TABLE notes_a REPLICA IDENTITY FULL; ALTER TABLE notes_b REPLICA IDENTITY FULL;
INSERT INTO events SELECT g, 'k' || (g % 5) FROM generate_series(1, 300) g;
INSERT INTO notes SELECT g, 1 + g % 300, 'note ' || g FROM generate_series(1, 600) g;
`;

/** Writes across both partitions of both tables: re-parents, moves between partitions, inserts, deletes. */
async function churn(rig: FidelityRig, round: number): Promise<void> {
  const e = 1 + ((round * 7) % 300);
  const sql = (text: string) => rig.db.sql(text);
  await sql(`UPDATE events SET kind = 'r${round}' WHERE id = ${e}`);
  await sql(
    `UPDATE notes SET body = 'b${round}', event_id = ${1 + ((e * 3) % 300)} WHERE id = ${1 + (round % 600)}`,
  );
  await sql(`UPDATE notes SET id = id + 5000 WHERE id = ${1 + ((round * 11) % 600)}`);
  await sql(`INSERT INTO notes VALUES (${100_000 + round}, ${e}, 'new') ON CONFLICT DO NOTHING`);
  await sql(`DELETE FROM notes WHERE id = ${1 + ((round * 13) % 600)}`);
  if (round % 5 === 0) await sql(`UPDATE events SET id = id + 1000 WHERE id = ${e} AND id < 1000`);
}

describe.each(testedVersions())('flusso on Postgres %i with a partitioned root', (version) => {
  let rig: FidelityRig;
  beforeAll(async () => {
    rig = await fidelityRig({ version, settings: {}, seed: SEED, schema: SCHEMA, index: 'events' });
  });
  afterEach(async () => rig?.cleanup());
  afterAll(async () => rig?.cleanup(true));

  it('keeps the root and its partitioned child equal to the SQL across a SIGKILL and partition moves', async () => {
    const first = await rig.startLive();
    expect(await rig.indexEqualsSql('backfill of the partitioned root')).toBe(300);
    for (let round = 1; round <= 40; round++) await churn(rig, round);
    first.proc.kill('SIGKILL');
    await first.exited;
    for (let round = 41; round <= 60; round++) await churn(rig, round);
    const second = await rig.startLive();
    for (let round = 61; round <= 80; round++) await churn(rig, round);
    const [moved] = await rig.db.sql<{ n: string }>(
      'SELECT count(*)::text AS n FROM events_b WHERE id < 2000',
    );
    expect(Number(moved?.n)).toBeGreaterThan(0);
    await rig.indexEqualsSql('index equals SQL after the SIGKILL');
    expect(second.stderr()).not.toContain('already member of publication');
    expect((await second.status())?.errors).toBe(0);
  }, 180_000);
});
