// `pnpm demo`: a throw-away Postgres (the demo store, split between two
// organisations), the OpenSearch emulator, flusso syncing in osproxy's layout,
// and osproxy with one token per organisation. `--flusso-only`: Postgres, the
// emulator and flusso alone. Ctrl-C stops everything and removes the temporary
// cluster. A development tool: it needs the workspace (built).
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '@flusso/opensearch-emulator';
import { createTestDatabase } from '@flusso/pg-harness';
import {
  type DemoPorts,
  demoDir,
  demoPorts,
  demoUsage,
  spawnOsproxy,
  togetherDir,
  togetherInstructions,
  togetherSeed,
} from './demo-together.js';
import { main } from './main.js';

function flussoOnlyInstructions(dbUrl: string, emulatorUrl: string): string {
  const psql = `psql "${dbUrl}"`;
  return [
    '',
    'flusso demo is starting. Try, in another terminal:',
    `  ${psql} -c "UPDATE users SET full_name = 'Ada Lovelace' WHERE id = 1"`,
    `  curl -s '${emulatorUrl}/users/_doc/1' | head -c 400; echo`,
    `  curl -s '${emulatorUrl}/users/_search?q=ignored' -H 'content-type: application/json' -d '{"query":{"match":{"fullName":"lovelace"}}}'`,
    `  ${psql} -c "DELETE FROM order_items WHERE id = 1"   # the parent user is rebuilt`,
    '  curl -s http://127.0.0.1:9464/status',
    '  curl -s http://127.0.0.1:9464/metrics | grep flusso_',
    'Ctrl-C stops flusso, Postgres and the emulator, and removes their data.',
    '',
  ].join('\n');
}

export async function runDemo(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(demoUsage());
    return 0;
  }
  const together = !argv.includes('--flusso-only');
  process.stderr.write('starting a throw-away Postgres and the OpenSearch emulator...\n');
  const db = await createTestDatabase({ env: {} });
  const emulator = await startEmulator();
  let proxy: ChildProcess | undefined;
  try {
    await db.sql(together ? togetherSeed() : readFileSync(join(demoDir, 'seed.sql'), 'utf8'));
    let flags: string[] = [];
    if (together) {
      const ports: DemoPorts = await demoPorts();
      proxy = await spawnOsproxy(emulator.url, ports);
      flags = ['--public-address', `127.0.0.1:${ports.flussoPublic}`];
      flags.push('--private-address', `127.0.0.1:${ports.flussoPrivate}`);
      process.stderr.write(togetherInstructions(db.url, ports));
    } else process.stderr.write(flussoOnlyInstructions(db.url, emulator.url));
    const dir = together ? togetherDir : demoDir;
    const shutdown = new AbortController();
    const stop = () => shutdown.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return await main(['run', '--config', join(dir, 'flusso.toml'), ...flags], {
      stdout: process.stdout,
      stderr: process.stderr,
      env: { ...process.env, DATABASE_URL: db.url, PRIMARY_OPENSEARCH_URL: emulator.url },
      cwd: dir,
      shutdown: shutdown.signal,
    });
  } finally {
    proxy?.kill('SIGTERM');
    await emulator.close();
    await db.close();
  }
}

runDemo(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`demo failed: ${String(error)}\n`);
    process.exit(1);
  },
);
