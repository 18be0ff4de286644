// Compiles flusso.toml and every schema it names into a self-contained lock:
// schemas inlined with their canonical hash, secrets left as { env } references.
import { dirname, resolve } from 'node:path';
import type { JsonObject } from '@flusso/core';
import { type FlussoLock, LOCK_VERSION, loadConfigFile, loadSchemaFile } from '@flusso/daemon';
import { schemaHash } from '@flusso/sources';

export async function compileConfig(file: string): Promise<FlussoLock> {
  const { config } = loadConfigFile(file);
  const dir = dirname(file);
  const indexes = config.index.map((entry) => {
    const schema = loadSchemaFile(resolve(dir, entry.schema));
    return {
      name: entry.name,
      enabled: entry.enabled,
      ...(entry.on_error ? { on_error: entry.on_error } : {}),
      schema_file: entry.schema,
      schema: schema as unknown as JsonObject,
      hash: schemaHash(schema),
    };
  });
  return { lock_version: LOCK_VERSION, config, indexes };
}
