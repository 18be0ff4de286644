// Issue 13 through the built binary: a transaction large enough to be streamed
// (logical_decoding_work_mem = 64kB) held open across keepalives and status
// updates, next to a concurrent small one; every document compared with the SQL.
import { testedVersions } from '@flusso/pg-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FidelityRig, fidelityRig } from './fidelity.fixture.js';

const SCHEMA = `version: 1
table: bigtx
primary_key: id
fields:
  - integer: id
    required: true
  - keyword: n
    required: false
`;

const SEED = `CREATE TABLE bigtx (id int PRIMARY KEY, n text);
INSERT INTO bigtx SELECT g, 'seed' || g FROM generate_series(1, 100) g;`;

describe.each(testedVersions())('flusso on Postgres %i with a streamed transaction held open', (version) => {
  let rig: FidelityRig;
  beforeAll(async () => {
    const settings = { logical_decoding_work_mem: "'64kB'", wal_sender_timeout: "'2s'" };
    rig = await fidelityRig({ version, settings, seed: SEED, schema: SCHEMA, index: 'bigtx' });
  });
  afterAll(async () => rig?.cleanup(true));

  it('delivers every row once the transaction commits', async () => {
    const f = await rig.startLive();
    const open = new pg.Client({ connectionString: rig.db.url });
    await open.connect();
    await open.query('BEGIN');
    await open.query("INSERT INTO bigtx SELECT g, 'n' || g FROM generate_series(2001, 9000) g");
    await open.query("UPDATE bigtx SET n = 'u' || id WHERE id BETWEEN 2001 AND 2500 OR id < 10");
    await open.query('DELETE FROM bigtx WHERE id BETWEEN 2501 AND 2600');
    await rig.db.sql("UPDATE bigtx SET n = 'concurrent' WHERE id = 50");
    // Held open across several keepalives and status updates (wal_sender_timeout is 2 s).
    await new Promise((r) => setTimeout(r, 4000));
    await open.query('COMMIT');
    await open.end();
    expect(await rig.indexEqualsSql('index equals SQL after the streamed transaction')).toBe(7000);
    expect((await f.status())?.errors).toBe(0);
  }, 180_000);
});
