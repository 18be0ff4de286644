// Compiles flusso.toml and every schema it names into a self-contained lock:
// schemas inlined with their canonical hash (mapping options included), secrets
// left as { env } references.
import { dirname, resolve } from 'node:path';
import { schemaHash } from '@flusso/sources';
import { loadConfigFile } from '../config/load-config.js';
import { loadSchemaFile } from '../schema-file/parse-schema-file.js';
import { type FlussoLock, LOCK_VERSION } from './lock.js';
import { mappingOptions } from './mapping-options.js';

/** Read `file` (flusso.toml) and the schemas it names; every error names its file. */
export function compileConfig(file: string): FlussoLock {
  const { config } = loadConfigFile(file);
  const options = mappingOptions(config, file);
  const dir = dirname(file);
  const indexes = config.index.map((entry) => {
    const schema = loadSchemaFile(resolve(dir, entry.schema));
    return {
      name: entry.name,
      enabled: entry.enabled,
      ...(entry.on_error ? { on_error: entry.on_error } : {}),
      schema_file: entry.schema,
      schema,
      hash: schemaHash(schema, options),
    };
  });
  return { lock_version: LOCK_VERSION, config, indexes };
}
