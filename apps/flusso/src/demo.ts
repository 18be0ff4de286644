// `pnpm demo`: a throw-away Postgres (seeded with users, orders and items), the
// OpenSearch emulator, and flusso running against both. Ctrl-C stops everything
// and removes the temporary cluster. A development tool: it needs the workspace.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '@flusso/opensearch-emulator';
import { createTestDatabase } from '@flusso/pg-harness';
import { main } from './main.js';

const demoDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'demo');

export async function runDemo(): Promise<number> {
  process.stderr.write('starting a throw-away Postgres and the OpenSearch emulator...\n');
  const db = await createTestDatabase({ env: {} });
  const emulator = await startEmulator();
  try {
    await db.sql(readFileSync(join(demoDir, 'seed.sql'), 'utf8'));
    const psql = `psql "${db.url}"`;
    process.stderr.write(
      [
        '',
        'flusso demo is starting. Try, in another terminal:',
        `  ${psql} -c "UPDATE users SET full_name = 'Ada Lovelace' WHERE id = 1"`,
        `  curl -s '${emulator.url}/users/_doc/1' | head -c 400; echo`,
        `  curl -s '${emulator.url}/users/_search?q=ignored' -H 'content-type: application/json' -d '{"query":{"match":{"fullName":"lovelace"}}}'`,
        `  ${psql} -c "DELETE FROM order_items WHERE id = 1"   # the parent user is rebuilt`,
        '  curl -s http://127.0.0.1:9464/status',
        '  curl -s http://127.0.0.1:9464/metrics | grep flusso_',
        'Ctrl-C stops flusso, Postgres and the emulator, and removes their data.',
        '',
      ].join('\n'),
    );
    const shutdown = new AbortController();
    const stop = () => shutdown.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return await main(['run', '--config', join(demoDir, 'flusso.toml')], {
      stdout: process.stdout,
      stderr: process.stderr,
      env: { ...process.env, DATABASE_URL: db.url, PRIMARY_OPENSEARCH_URL: emulator.url },
      cwd: demoDir,
      shutdown: shutdown.signal,
    });
  } finally {
    await emulator.close();
    await db.close();
  }
}

runDemo().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`demo failed: ${String(error)}\n`);
    process.exit(1);
  },
);
