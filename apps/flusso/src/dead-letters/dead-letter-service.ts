// Working off dead letters (for `flusso dlq` and the private surface): list,
// replay from the current rows through the configured sinks, purge. Opened per
// use with its own connections, closed after.

import type { Sink } from '@flusso/core';
import { formatLsn, systemClock } from '@flusso/core';
import {
  configuredSinks,
  type DeadLetterFilter,
  type Env,
  type FlussoLock,
  type ReplayOutcome,
  replayDeadLetters,
  type StoredDeadLetter,
} from '@flusso/daemon';
import type { Logger } from 'pino';
import { ConcreteBackends } from '../backends.js';

export interface DeadLetterService {
  list(filter: DeadLetterFilter): Promise<readonly StoredDeadLetter[]>;
  replay(filter: DeadLetterFilter): Promise<readonly ReplayOutcome[]>;
  purge(filter: DeadLetterFilter): Promise<number>;
  close(): Promise<void>;
}

export async function openDeadLetterService(
  lock: FlussoLock,
  env: Env,
  log: Logger,
): Promise<DeadLetterService> {
  const backends = new ConcreteBackends(env, log);
  const book = await backends.deadLetters(lock);
  const sinks = new Map<string, Sink>();
  return {
    list: (filter) => book.list(filter),
    purge: (filter) => book.purge(filter),
    replay: async (filter) => {
      const builder = await backends.builder(lock);
      const configs = new Map(configuredSinks(lock));
      const sink = async (name: string): Promise<Sink | null> => {
        const config = configs.get(name);
        if (!config) return null;
        let s = sinks.get(name);
        if (!s) {
          s = await backends.sink(name, config, lock);
          for (const spec of builder.indexes()) await s.ensureIndex(spec);
          sinks.set(name, s);
        }
        return s;
      };
      return replayDeadLetters({ book, builder, sink, clock: systemClock }, filter);
    },
    close: async () => {
      for (const s of sinks.values()) await s.close().catch(() => undefined);
      await book.close().catch(() => undefined);
      await backends.close();
    },
  };
}

/** A letter as JSON for a user (CLI `--format json`, HTTP): LSN as X/Y, time as ISO 8601. */
export function deadLetterJson(l: StoredDeadLetter): Record<string, unknown> {
  return {
    sink: l.sink,
    index: l.index,
    id: l.id,
    op: l.op,
    error: l.rejection,
    lsn: l.lsn === null ? null : formatLsn(l.lsn),
    failed_at: new Date(l.at).toISOString(),
    attempts: l.attempts,
    document: l.document,
  };
}
