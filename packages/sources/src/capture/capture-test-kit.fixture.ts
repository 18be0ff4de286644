// Shared helpers for the capture tests: a capture per test on its own slot and
// publication, and a reader that collects changes until a predicate holds.
import type { Change } from '@flusso/core';
import { PgChangeCapture, type PgChangeCaptureOptions } from './pg-change-capture.js';

let seq = 0;

export function newCapture(url: string, tables: string, extra: Partial<PgChangeCaptureOptions> = {}) {
  seq += 1;
  const name = `t${process.pid}_${seq}`;
  return {
    capture: new PgChangeCapture({ url, slot: name, publication: name, statusIntervalMs: 200, ...extra }),
    name,
    tables,
  };
}

/**
 * Reads changes in the background (as the engine's pump does, so commits and
 * keepalives keep flowing) until `done(changes)` holds; fails after `timeoutMs`.
 */
export async function collect(
  capture: PgChangeCapture,
  done: (changes: Change[]) => boolean,
  timeoutMs = 20_000,
): Promise<{
  changes: Change[];
  stop: () => void;
  more: (until: (c: Change[]) => boolean, ms?: number) => Promise<void>;
}> {
  const stop = new AbortController();
  const changes: Change[] = [];
  let failure: unknown = null;
  const reading = (async () => {
    for await (const change of capture.changes(stop.signal)) changes.push(change);
  })().catch((error: unknown) => {
    failure = error;
  });
  const more = async (until: (c: Change[]) => boolean, ms = timeoutMs) => {
    const deadline = Date.now() + ms;
    while (!until(changes)) {
      if (failure) throw failure;
      if (Date.now() > deadline) throw new Error(`timed out with ${changes.length} changes`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await more(done);
  return {
    changes,
    more,
    stop: () => {
      stop.abort();
      void reading;
    },
  };
}

export function keyText(change: Change): string {
  if (change.event.kind === 'truncate')
    return `truncate:${change.event.tables.map((t) => t.table).join(',')}`;
  return `${change.event.kind}:${change.event.table.table}:${change.event.key.map((v) => ('value' in v ? String(v.value) : 'null')).join('|')}`;
}
