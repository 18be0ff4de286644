// `flusso dlq list|replay|purge`: work off the dead-letter store directly in the
// source database (no running daemon needed). Replay rebuilds each document from
// the current rows and sends it through its sink.
import { resolve } from 'node:path';
import { createLogger } from '@flusso/app-kit';
import { FlussoError } from '@flusso/core';
import {
  compileConfig,
  type DeadLetterFilter,
  type FlussoLock,
  readLock,
  type StoredDeadLetter,
} from '@flusso/daemon';
import { type FlagValues, parseFlags, stringFlag } from '../cli/flags.js';
import { type CliIo, print } from '../cli/io.js';
import { deadLetterJson, openDeadLetterService } from '../dead-letters/dead-letter-service.js';

const dlqFlags = {
  config: { type: 'string', short: 'c' },
  lock: { type: 'string' },
  index: { type: 'string' },
  sink: { type: 'string' },
  id: { type: 'string' },
  since: { type: 'string' },
  format: { type: 'string', default: 'human' },
  'log-level': { type: 'string', default: 'warn' },
} as const;

const USAGE =
  'usage: flusso dlq list [--index I] [--sink S] [--format human|json] | replay [--index I] [--id ID] [--since T] | purge [--index I] [--id ID]';

/** The filter from flags; `--since` is an ISO 8601 time. */
export function dlqFilter(values: FlagValues): DeadLetterFilter {
  const since = stringFlag(values, 'since');
  const sinceMs = since === undefined ? undefined : Date.parse(since);
  if (sinceMs !== undefined && Number.isNaN(sinceMs))
    throw new FlussoError(
      'config_invalid',
      `--since: expected an ISO 8601 time, got ${JSON.stringify(since)}`,
    );
  const pick = (name: 'index' | 'sink' | 'id') => stringFlag(values, name);
  return {
    ...(pick('index') === undefined ? {} : { index: pick('index') }),
    ...(pick('sink') === undefined ? {} : { sink: pick('sink') }),
    ...(pick('id') === undefined ? {} : { id: pick('id') }),
    ...(sinceMs === undefined ? {} : { since: sinceMs }),
  };
}

async function lockFrom(values: FlagValues, io: CliIo): Promise<FlussoLock> {
  const lockFile = stringFlag(values, 'lock');
  if (lockFile) return readLock(resolve(io.cwd, lockFile));
  return compileConfig(resolve(io.cwd, stringFlag(values, 'config') ?? 'flusso.toml'));
}

function human(l: StoredDeadLetter): string {
  const r = l.rejection;
  const head = `${l.sink}\t${l.index}\t${l.id}\t${l.op}\t${new Date(l.at).toISOString()}\tattempts ${l.attempts}\t${r.type} (${r.status}): ${r.reason}`;
  return l.document === null ? head : `${head}\n  document: ${JSON.stringify(l.document)}`;
}

export async function dlqCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const [action, ...rest] = argv;
  if (action !== 'list' && action !== 'replay' && action !== 'purge')
    throw new FlussoError('config_invalid', USAGE);
  const { values } = parseFlags(rest, dlqFlags, io.env);
  const filter = dlqFilter(values);
  const json = stringFlag(values, 'format') === 'json';
  const lock = await lockFrom(values, io);
  const log = createLogger({ level: stringFlag(values, 'log-level') ?? 'warn', pretty: false });
  const service = await openDeadLetterService(lock, io.env, log);
  try {
    if (action === 'list') {
      const letters = await service.list(filter);
      if (json) print(io.stdout, JSON.stringify(letters.map(deadLetterJson), null, 2));
      else if (letters.length === 0) print(io.stdout, 'no dead letters');
      else for (const l of letters) print(io.stdout, human(l));
      return 0;
    }
    if (action === 'purge') {
      const purged = await service.purge(filter);
      print(io.stdout, json ? JSON.stringify({ purged }) : `purged ${purged} dead letter(s)`);
      return 0;
    }
    const outcomes = await service.replay(filter);
    const failed = outcomes.filter((o) => !o.replayed);
    if (json)
      print(io.stdout, JSON.stringify({ replayed: outcomes.length - failed.length, failed }, null, 2));
    else {
      for (const o of failed) print(io.stdout, `kept ${o.sink}\t${o.index}\t${o.id}\t${o.reason}`);
      print(io.stdout, `replayed ${outcomes.length - failed.length} of ${outcomes.length} dead letter(s)`);
    }
    return failed.length === 0 ? 0 : 1;
  } finally {
    await service.close();
  }
}
