// A live batch whose build fails stops the run even when no later change arrives:
// the stream stays open and quiet (a server shutting down sends nothing more), and a
// run that waited for the next change kept the batch's changes unconfirmed forever,
// so the server's walsender (and its shutdown) waited forever too.
import { FlussoError } from '@flusso/core';
import { MapDocumentBuilder, MemorySink, ScriptedCapture, userChange } from '@flusso/core/testing';
import { describe, expect, it } from 'vitest';
import { Engine } from './engine.js';

describe('a failed live build', () => {
  it('stops the run with its error, nothing acked, while the stream stays open and quiet', async () => {
    const log = { acked: [] as number[] };
    const builder = new MapDocumentBuilder();
    builder.rows.set('1', { id: 1, name: 'user 1' });
    const lost = new FlussoError('source_failed', 'build query: lost the Postgres connection');
    builder.failBuilds = lost;
    const capture = new ScriptedCapture({ changes: [userChange(1, 0, log)], keepOpen: true });
    const stop = new AbortController();
    const sink = new MemorySink();
    try {
      // Without the fix this never settles (the test times out).
      await expect(
        new Engine({ capture, builder, sinks: [sink], skipBackfill: true }).run(stop.signal),
      ).rejects.toBe(lost);
    } finally {
      stop.abort();
    }
    expect(log.acked).toEqual([]);
    expect(sink.store.size).toBe(0);
  });
});
