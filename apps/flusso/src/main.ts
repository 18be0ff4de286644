// The flusso CLI entry: dispatches a command and maps errors to exit codes
// (2 = bad config or schema, with the precise message; 1 = anything else).
import { FlussoError } from '@flusso/core';
import { type CliIo, print } from './cli/io.js';
import { buildCommand } from './commands/build.js';
import { checkCommand } from './commands/check.js';
import { dlqCommand } from './commands/dlq.js';
import { indexesCommand, reindexCommand } from './commands/remote.js';
import { runCommand } from './commands/run.js';
import { schemaCommand } from './commands/schema.js';

const USAGE = `usage: flusso <command> [flags]

commands:
  build     compile flusso.toml and its schemas into flusso.lock   (-c FILE, -o FILE)
  check     validate config, schemas and the live catalog         (--offline, --format human|json)
  run       run the pipeline                                      (--config F | --lock F, --skip-backfill, --slot, --role capture|worker|all, ...)
  schema    print a JSON Schema: flusso schema config|index
  indexes   list index states of a running daemon                 (--server URL)
  reindex   rebuild an index in a running daemon                  (reindex <index>)
  dlq       dead letters: list|replay|purge                        (--index, --sink, --id, --since, --format)

Every flag also reads FLUSSO_<FLAG> (the flag wins).`;

type Command = (argv: readonly string[], io: CliIo) => Promise<number>;

const commands: Record<string, Command> = {
  build: buildCommand,
  check: checkCommand,
  run: runCommand,
  schema: schemaCommand,
  indexes: indexesCommand,
  reindex: reindexCommand,
  dlq: dlqCommand,
};

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    print(name ? io.stdout : io.stderr, USAGE);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    print(io.stderr, `flusso: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    if (
      error instanceof FlussoError &&
      (error.code === 'config_invalid' || error.code === 'schema_invalid' || error.code === 'invalid_name')
    ) {
      print(io.stderr, `flusso ${name}: ${error.message}`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    print(io.stderr, `flusso ${name}: ${message}`);
    return 1;
  }
}
