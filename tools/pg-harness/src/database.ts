// A test database: a fresh throw-away cluster per call, or, when DATABASE_URL is
// set, a fresh database on that server (dropped afterwards) so tests stay isolated.
import pg from 'pg';
import { type PgCluster, type StartOptions, startCluster } from './cluster.js';

export interface TestDatabase {
  /** Connection URL of the test database. */
  readonly url: string;
  readonly version: number;
  readonly cluster: PgCluster | null;
  /** Run SQL (one or more statements) and return the rows of the last. */
  sql<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, params?: unknown[]): Promise<T[]>;
  /** Drop the database or stop the cluster, and close the helper connection. */
  close(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function openHelper(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

export async function createTestDatabase(
  options: StartOptions & { env?: NodeJS.ProcessEnv } = {},
): Promise<TestDatabase> {
  const external = (options.env ?? process.env).DATABASE_URL;
  let cluster: PgCluster | null = null;
  let url: string;
  let dropFrom: string | null = null;
  let dbName: string | null = null;
  if (external) {
    dbName = `flusso_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = await openHelper(external);
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    url = withDatabase(external, dbName);
    dropFrom = external;
  } else {
    cluster = await startCluster(options);
    url = cluster.url;
  }
  let helper = await openHelper(url);
  // A server restart ends the helper's session; the next call opens a new one.
  let helperLost = false;
  const watch = (client: pg.Client) => client.once('end', () => (helperLost = true));
  watch(helper);
  const version = Math.floor(
    Number((await helper.query('SHOW server_version_num')).rows[0].server_version_num) / 10000,
  );
  return {
    url,
    version,
    cluster,
    async sql(text, params) {
      if (helperLost) {
        helper = await openHelper(url);
        helperLost = false;
        watch(helper);
      }
      const result = await helper.query(text, params);
      const last = Array.isArray(result) ? result.at(-1) : result;
      return (last?.rows ?? []) as never;
    },
    async close() {
      await helper.end().catch(() => undefined);
      if (cluster) await cluster.stop();
      if (dropFrom && dbName) {
        const admin = await openHelper(dropFrom);
        await admin.query(
          `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = $1 AND NOT active`,
          [dbName],
        );
        await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
        await admin.end();
      }
    },
  };
}
