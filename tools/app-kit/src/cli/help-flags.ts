// `--help`/`-h` and `--version` for every command of both binaries.
import { readFileSync } from 'node:fs';

/** What `argv` asks for before any settings are read: help, the version, or neither. */
export function helpRequest(argv: readonly string[]): 'help' | 'version' | undefined {
  for (const arg of argv) {
    if (arg === '--') return undefined;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--version') return 'version';
  }
  return undefined;
}

/** The `version` of the package.json at `url` (e.g. `new URL('../package.json', import.meta.url)`). */
export function packageVersion(url: URL): string {
  const manifest: unknown = JSON.parse(readFileSync(url, 'utf8'));
  const version =
    typeof manifest === 'object' && manifest !== null && 'version' in manifest ? manifest.version : undefined;
  return typeof version === 'string' ? version : '0.0.0';
}
