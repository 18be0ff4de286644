// `flusso build -c flusso.toml -o flusso.lock`: compile config and schemas into a lock.
import { resolve } from 'node:path';
import { compileConfig, writeLock } from '@flusso/daemon';
import { parseFlags, stringFlag } from '../cli/flags.js';
import { type CliIo, print } from '../cli/io.js';

export async function buildCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(
    argv,
    {
      config: { type: 'string', short: 'c', default: 'flusso.toml' },
      out: { type: 'string', short: 'o', default: 'flusso.lock' },
    },
    io.env,
  );
  const lock = compileConfig(resolve(io.cwd, stringFlag(values, 'config') ?? 'flusso.toml'));
  const out = resolve(io.cwd, stringFlag(values, 'out') ?? 'flusso.lock');
  writeLock(out, lock);
  print(
    io.stdout,
    `wrote ${out} (${lock.indexes.length} index(es): ${lock.indexes.map((i) => `${i.name}@${i.hash}`).join(', ')})`,
  );
  return 0;
}
