// Throw-away Postgres clusters for tests.
