// Both roles make their sinks learn the index layout. On a fresh start several
// processes (or both roles of one) create the index at the same moment and all
// but one fail: that failure is transient, the role restarts and finds it made.

import type { IndexSpec, Sink } from '@flusso/core';
import { FlussoError } from '@flusso/core';

export async function ensureIndexes(specs: readonly IndexSpec[], sinks: readonly Sink[]): Promise<void> {
  try {
    for (const spec of specs) for (const sink of sinks) await sink.ensureIndex(spec);
  } catch (error) {
    throw new FlussoError(
      'sink_transient',
      'the index layout is not ready yet (another process creates it)',
      {
        cause: error,
      },
    );
  }
}
