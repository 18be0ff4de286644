// flusso.lock: a versioned, self-contained compiled config. Schemas are inlined
// with their canonical hash; secrets stay `{ env }` references, never values.
// Reading one re-validates everything, schemas and hashes included.
import { readFileSync, writeFileSync } from 'node:fs';
import { FlussoError, type IndexSchema } from '@flusso/core';
import { schemaHash } from '@flusso/sources';
import { z } from 'zod';
import { type ConfigFile, configFileSchema } from '../config/config-schema.js';
import { describeIssues, formatKeyPath } from '../config/zod-issues.js';
import { lockedIndexSchema } from './locked-schema.js';
import { mappingOptions } from './mapping-options.js';

export const LOCK_VERSION = 1;

export interface LockedIndex {
  readonly name: string;
  readonly enabled: boolean;
  readonly on_error?: 'stop' | 'skip';
  /** The schema file it was compiled from, relative to the config. */
  readonly schema_file: string;
  /** The parsed index schema (the model @flusso/core defines). */
  readonly schema: IndexSchema;
  readonly hash: string;
}

export interface FlussoLock {
  readonly lock_version: typeof LOCK_VERSION;
  readonly config: ConfigFile;
  readonly indexes: readonly LockedIndex[];
}

const lockedIndexEntry = z.strictObject({
  name: z.string(),
  enabled: z.boolean(),
  on_error: z.enum(['stop', 'skip']).optional(),
  schema_file: z.string(),
  schema: lockedIndexSchema,
  hash: z.string(),
});

const lockSchema = z.strictObject({
  lock_version: z.literal(LOCK_VERSION),
  config: configFileSchema,
  indexes: z.array(lockedIndexEntry),
});

export function serializeLock(lock: FlussoLock): string {
  return `${JSON.stringify(lock, null, 2)}\n`;
}

export function writeLock(file: string, lock: FlussoLock): void {
  writeFileSync(file, serializeLock(lock));
}

function lockError(file: string, message: string, key = ''): FlussoError {
  return new FlussoError('config_invalid', `${file}: ${message}`, { context: { file, key } });
}

/** `index "users" (indexes[0]): schema.fields[1].type` for a key inside a locked index. */
function whereInLock(raw: unknown, path: readonly (string | number)[]): string {
  const [top, i, ...rest] = path;
  if (top !== 'indexes' || typeof i !== 'number') return formatKeyPath(path);
  const entries = (raw as { indexes?: unknown }).indexes;
  const name = Array.isArray(entries) ? (entries[i] as { name?: unknown } | undefined)?.name : undefined;
  const label = typeof name === 'string' ? `index "${name}" (indexes[${i}])` : `indexes[${i}]`;
  return rest.length > 0 ? `${label}: ${formatKeyPath(rest)}` : label;
}

/** Validate a parsed lock document; `file` names it in every error. */
export function parseLock(file: string, raw: unknown): FlussoLock {
  const version = (raw as { lock_version?: unknown } | null)?.lock_version;
  if (version !== LOCK_VERSION)
    throw lockError(
      file,
      `lock_version ${String(version)} is not supported (expected ${LOCK_VERSION}); rebuild it with flusso build`,
      'lock_version',
    );
  const parsed = lockSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    const lines = describeIssues(parsed.error, 'json').map(
      (d) => `${whereInLock(raw, d.path)}: ${d.message}`,
    );
    throw new FlussoError(
      'config_invalid',
      lines.map((line) => `${file}: ${line}`).join('\n') || `${file}: invalid lock`,
      { context: { file, issues: lines.length } },
    );
  }
  const lock = parsed.data;
  const options = mappingOptions(lock.config, file);
  for (const [i, entry] of lock.indexes.entries()) {
    const expected = schemaHash(entry.schema, options);
    if (entry.hash !== expected)
      throw lockError(
        file,
        `index "${entry.name}" (indexes[${i}]): hash: ${entry.hash} does not match its schema and mapping settings (${expected}); the lock was edited, rebuild it with flusso build`,
        'hash',
      );
  }
  return lock;
}

export function readLock(file: string): FlussoLock {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new FlussoError(
      'config_invalid',
      `${file}: not a readable flusso.lock (${(error as Error).message})`,
      { context: { file } },
    );
  }
  return parseLock(file, raw);
}
