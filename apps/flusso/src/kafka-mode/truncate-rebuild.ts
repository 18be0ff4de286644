// TRUNCATE in Kafka mode, with the one-process engine's effect: the index is
// rebuilt whole into a new generation (documents whose rows are gone disappear,
// documents whose joined rows are gone are rebuilt), then swapped in.
//
// Several processes write the index, and a worker writes only the generations its
// own sink knows. So the capture (one process) does the rebuild itself, in order:
//   1. drain: stop producing and wait until the workers' group has committed every
//      record in the topic; no worker writes any more (nothing is left to read);
//   2. stage a new generation in every sink, page the root table's current keys,
//      build and write each page (versioned, like a worker), flush;
//   3. swap (markSeeded: the alias moves, the old generation is dropped);
//   4. produce a `layout` record to every partition: a worker re-reads the layout
//      before anything after it, so no write goes to the dropped generation.
// The TRUNCATE's batch is acknowledged to the source only after all of this, so a
// capture that dies mid-way sees the TRUNCATE again and rebuilds again.
import type { IndexName } from '@flusso/core';
import { buildWriteFlush, type CaptureBuildParts, forEachRootPage } from './capture-build.js';
import { encodeRecord } from './pipeline-record.js';

export interface RebuildParts extends CaptureBuildParts {
  readonly signal: AbortSignal;
  readonly pageSize?: number;
  /** Writes and flushes of the capture's sinks, one at a time (a reindex writes them too). */
  readonly exclusive?: <T>(step: () => Promise<T>) => Promise<T>;
}

export async function rebuildIndex(parts: RebuildParts, index: IndexName): Promise<number> {
  const { sinks, observer } = parts;
  await parts.topic.drained(parts.signal, (behind) =>
    parts.log.info(
      { index, behind },
      'TRUNCATE: waiting for the workers to commit the topic before the rebuild',
    ),
  );
  const exclusive = parts.exclusive ?? ((step) => step());
  for (const sink of sinks) await exclusive(() => sink.reindex(index));
  const rows = await forEachRootPage(parts, index, parts.pageSize ?? 1000, (ids) =>
    exclusive(() => buildWriteFlush(parts, index, ids)),
  );
  for (const sink of sinks) await exclusive(() => sink.markSeeded(index));
  const partitions = await parts.topic.partitions();
  await parts.records.send(
    partitions.map((partition) => ({ ...encodeRecord({ kind: 'layout', index }), partition })),
  );
  observer?.onBackfillFinished?.(index, rows);
  return rows;
}
