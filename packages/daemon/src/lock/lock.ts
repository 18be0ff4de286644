// flusso.lock: a versioned, self-contained compiled config. Schemas are inlined
// with their canonical hash; secrets stay `{ env }` references, never values.
import { readFileSync, writeFileSync } from 'node:fs';
import { FlussoError, type JsonObject } from '@flusso/core';
import { z } from 'zod';
import { type ConfigFile, configFileSchema } from '../config/config-schema.js';

export const LOCK_VERSION = 1;

export interface LockedIndex {
  readonly name: string;
  readonly enabled: boolean;
  readonly on_error?: 'stop' | 'skip';
  /** The schema file it was compiled from, relative to the config. */
  readonly schema_file: string;
  /** The parsed index schema (the model @flusso/core defines). */
  readonly schema: JsonObject;
  readonly hash: string;
}

export interface FlussoLock {
  readonly lock_version: typeof LOCK_VERSION;
  readonly config: ConfigFile;
  readonly indexes: readonly LockedIndex[];
}

const lockSchema = z.strictObject({
  lock_version: z.literal(LOCK_VERSION),
  config: configFileSchema,
  indexes: z.array(
    z.strictObject({
      name: z.string(),
      enabled: z.boolean(),
      on_error: z.enum(['stop', 'skip']).optional(),
      schema_file: z.string(),
      schema: z.record(z.string(), z.unknown()),
      hash: z.string(),
    }),
  ),
});

export function serializeLock(lock: FlussoLock): string {
  return `${JSON.stringify(lock, null, 2)}\n`;
}

export function writeLock(file: string, lock: FlussoLock): void {
  writeFileSync(file, serializeLock(lock));
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
  const version = (raw as { lock_version?: unknown })?.lock_version;
  if (version !== LOCK_VERSION) {
    throw new FlussoError(
      'config_invalid',
      `${file}: lock_version ${String(version)} is not supported (expected ${LOCK_VERSION}); rebuild it with flusso build`,
    );
  }
  const parsed = lockSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FlussoError(
      'config_invalid',
      `${file}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid lock'}`,
    );
  }
  return parsed.data as FlussoLock;
}
