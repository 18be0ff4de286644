// Writes refused because their generation's write alias is gone are dropped only when
// `flusso_meta` records another live generation (a swap records the new one before it
// drops the old one): the new generation was built from current rows. A generation
// still recorded as live but without its write alias is no swap: nothing is dropped,
// the flush fails (transient) and is retried once the layout is re-read.
import type { IndexName } from '@flusso/core';
import { FlussoError } from '@flusso/core';
import type { BulkLine } from './bulk-body.js';

/** The refused writes per logical index, once each is known superseded; throws otherwise. */
export async function supersededWrites(
  sink: string,
  gone: readonly BulkLine[],
  generations: ReadonlyMap<BulkLine, number>,
  recorded: (index: IndexName) => Promise<number | null>,
): Promise<Map<IndexName, number>> {
  const dropped = new Map<IndexName, number>();
  const live = new Map<IndexName, number | null>();
  for (const line of gone) {
    const index = line.write.index;
    if (!live.has(index)) live.set(index, await recorded(index));
    if (live.get(index) === generations.get(line))
      throw new FlussoError(
        'sink_transient',
        `sink ${sink}: the live generation of ${index} has no write alias; its layout is re-read`,
        { context: { sink, index } },
      );
    dropped.set(index, (dropped.get(index) ?? 0) + 1);
  }
  return dropped;
}
