// What each Kafka-mode role gets from `flusso run`: the options, the shared status
// and the sampling interval, and the sink and failure-policy helpers both roles use.
import type { Sink } from '@flusso/core';
import { configuredSinks, type FlussoLock, failurePolicies } from '@flusso/daemon';
import type { Logger } from 'pino';
import type { ConcreteBackends } from '../backends.js';
import type { FlagValues } from '../cli/flags.js';
import type { CliIo } from '../cli/io.js';
import { GC_DELETES } from './fresh-builds.js';
import type { KafkaReindexer } from './kafka-reindex.js';
import type { KafkaRole, KafkaStatus } from './kafka-status.js';

export interface KafkaModeOptions {
  readonly lock: FlussoLock;
  readonly role: KafkaRole;
  readonly io: CliIo;
  readonly log: Logger;
  readonly slot: string;
  readonly publication: string;
  readonly skipBackfill: boolean;
  /** The `run` flags: HTTP addresses, admin credentials, lag poll interval. */
  readonly values: FlagValues;
}

/** A role's view of the process: its options, the shared status, and the sampling interval. */
export interface RoleContext extends KafkaModeOptions {
  readonly state: KafkaStatus;
  readonly pollMs: number;
  /** The running capture's reindexer (null while no capture role is live in this process). */
  readonly reindexer: { current: KafkaReindexer | null };
}

/**
 * The configured sinks, guarded for several writers: writes go through generation write
 * aliases (a late write to a dropped generation is dropped, never re-creates it) and
 * tombstones are kept `GC_DELETES` (see `fresh-builds.ts`).
 */
/** The configured sinks as they are, for reading the layout only (a worker-only process's probes). */
export async function openProbes(o: KafkaModeOptions, backends: ConcreteBackends): Promise<Sink[]> {
  const sinks: Sink[] = [];
  for (const [name, config] of configuredSinks(o.lock)) sinks.push(await backends.sink(name, config, o.lock));
  return sinks;
}

export async function openSinks(
  o: KafkaModeOptions,
  backends: ConcreteBackends,
  state?: Pick<KafkaStatus, 'generationGone'>,
): Promise<Sink[]> {
  const sinks: Sink[] = [];
  for (const [name, config] of configuredSinks(o.lock))
    sinks.push(
      await backends.sink(name, config, o.lock, {
        writeAliases: true,
        gcDeletes: GC_DELETES,
        onGenerationGone: (index, writes) => {
          o.log.info(
            { sink: name, index, writes },
            'writes built for a generation a reindex dropped were dropped as superseded',
          );
          state?.generationGone(index, writes);
        },
      }),
    );
  return sinks;
}

export function skipsAny(lock: FlussoLock): boolean {
  const policies = failurePolicies(lock);
  return policies.default === 'skip' || Object.values(policies.perIndex).includes('skip');
}
