// The flusso CLI entry: dispatches a command and maps errors to exit codes
// (2 = bad config or schema, with the precise message; 1 = anything else).
import { ExitCode, helpRequest, packageVersion } from '@flusso/app-kit';
import { FlussoError } from '@flusso/core';
import { type CliIo, print } from './cli/io.js';
import { commandUsage, USAGE } from './cli/usage.js';
import { buildCommand } from './commands/build.js';
import { checkCommand } from './commands/check.js';
import { dlqCommand } from './commands/dlq.js';
import { indexesCommand, reindexCommand } from './commands/remote.js';
import { runCommand } from './commands/run.js';
import { schemaCommand } from './commands/schema.js';

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
  if (name === '--version') {
    print(io.stdout, packageVersion(new URL('../package.json', import.meta.url)));
    return ExitCode.ok;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    print(name ? io.stdout : io.stderr, USAGE);
    return name ? ExitCode.ok : ExitCode.usage;
  }
  const command = commands[name];
  if (!command) {
    print(io.stderr, `flusso: unknown command "${name}"\n\n${USAGE}`);
    return ExitCode.usage;
  }
  const asked = helpRequest(rest);
  if (asked !== undefined) {
    print(
      io.stdout,
      asked === 'help' ? commandUsage(name) : packageVersion(new URL('../package.json', import.meta.url)),
    );
    return ExitCode.ok;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    if (
      error instanceof FlussoError &&
      (error.code === 'config_invalid' || error.code === 'schema_invalid' || error.code === 'invalid_name')
    ) {
      print(io.stderr, `flusso ${name}: ${error.message}`);
      return ExitCode.usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    print(io.stderr, `flusso ${name}: ${message}`);
    return ExitCode.failure;
  }
}
