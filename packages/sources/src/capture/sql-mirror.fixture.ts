// A stand-in for the engine in capture tests: it reads changes, rebuilds each
// touched row from the current SQL (as the document builder does), keeps the
// result as a mirror of one `(id int, n text)` table, then acks. Changes naming
// another table are ignored (as the engine ignores tables no index reads); a
// TRUNCATE of the table reloads it whole (as a rebuild does). Whatever a real
// sink would miss, this mirror misses too.

import type { Change } from '@flusso/core';
import type { TestDatabase } from '@flusso/pg-harness';
import type { PgChangeCapture } from './pg-change-capture.js';

export interface MirrorRun {
  /** Stops reading; unacked changes stay unconfirmed (redelivered to the next run). */
  stop(): Promise<void>;
  /** Resolves once the mirror holds `id`; rejects on a capture failure or after `ms`. */
  waitFor(id: number, ms?: number): Promise<void>;
  /** Resolves once `done(mirror)` holds; rejects on a capture failure or after `ms`. */
  waitUntil(done: (mirror: ReadonlyMap<number, string>) => boolean, ms?: number): Promise<void>;
}

function keyId(change: Change): number | null {
  if (change.event.kind === 'truncate') return null;
  const key = change.event.key[0];
  return key && 'value' in key ? Number(key.value) : null;
}

async function apply(db: TestDatabase, table: string, all: Change[], mirror: Map<number, string>) {
  const batch = all.filter((c) => (c.event.kind === 'truncate' ? false : c.event.table.table === table));
  if (all.some((c) => c.event.kind === 'truncate' && c.event.tables.some((t) => t.table === table))) {
    mirror.clear();
    for (const [id, n] of await sqlTruth(db, table)) mirror.set(id, n);
  }
  const ids = [...new Set(batch.map(keyId).filter((id): id is number => id !== null))];
  const rows = await db.sql<{ id: number; n: string }>(`SELECT id, n FROM ${table} WHERE id = ANY($1)`, [
    ids,
  ]);
  const found = new Map(rows.map((r) => [r.id, r.n]));
  for (const id of ids) {
    const n = found.get(id);
    if (n === undefined) mirror.delete(id);
    else mirror.set(id, n);
  }
  for (const change of all) change.ack();
}

/** Mirrors `table` through `capture` into `mirror` until stopped. */
export function mirrorTable(
  capture: PgChangeCapture,
  db: TestDatabase,
  table: string,
  mirror: Map<number, string>,
): MirrorRun {
  const abort = new AbortController();
  const pending: Change[] = [];
  let failure: unknown = null;
  let wake: () => void = () => undefined;
  const reading = (async () => {
    for await (const change of capture.changes(abort.signal)) {
      pending.push(change);
      wake();
    }
  })().catch((error: unknown) => {
    failure = error;
  });
  const applying = (async () => {
    while (!abort.signal.aborted) {
      const batch = pending.splice(0, 500);
      if (batch.length > 0) await apply(db, table, batch, mirror);
      else await new Promise<void>((r) => (wake = r));
    }
  })();
  return {
    async stop() {
      abort.abort();
      wake();
      await reading;
      await applying;
      await capture.close();
    },
    waitFor(id, ms) {
      return this.waitUntil((m) => m.has(id), ms);
    },
    async waitUntil(done, ms = 30_000) {
      const deadline = Date.now() + ms;
      while (!done(mirror)) {
        if (failure) throw failure;
        if (Date.now() > deadline) throw new Error(`mirror never got there (${mirror.size} rows)`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
}

/** The table as SQL says it is, in the mirror's shape. */
export async function sqlTruth(db: TestDatabase, table: string): Promise<Map<number, string>> {
  const rows = await db.sql<{ id: number; n: string }>(`SELECT id, n FROM ${table} ORDER BY id`);
  return new Map(rows.map((r) => [r.id, r.n]));
}
