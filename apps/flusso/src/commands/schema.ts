// `flusso schema config|index`: JSON Schemas for editors.
import { FlussoError } from '@flusso/core';
import { configJsonSchema, indexSchemaJsonSchema } from '@flusso/daemon';
import { parseFlags } from '../cli/flags.js';
import { type CliIo, print } from '../cli/io.js';

export async function schemaCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { positionals } = parseFlags(argv, {}, io.env);
  const kind = positionals[0] ?? io.env.FLUSSO_SCHEMA;
  if (kind === 'config') print(io.stdout, JSON.stringify(configJsonSchema(), null, 2));
  else if (kind === 'index') print(io.stdout, JSON.stringify(indexSchemaJsonSchema(), null, 2));
  else throw new FlussoError('config_invalid', 'usage: flusso schema config|index');
  return 0;
}
