// The CDC workload: single-row UPDATEs of users.full_name, many per transaction,
// sent as one simple-protocol string per transaction so the writer is not the
// bottleneck. Row 1 is reserved for end markers, so workloads cycle over 2..rows.
import type { TestDatabase } from '@flusso/pg-harness';

export interface Txn {
  /** The full_name every row of the transaction gets, e.g. `cdc 17`. */
  readonly marker: string;
  readonly ids: readonly string[];
}

/** Transaction number `index`: `size` updates starting at the workload's `offset`-th change. */
export function txnAt(label: string, index: number, offset: number, size: number, rows: number): Txn {
  const span = Math.max(1, rows - 1);
  const ids = Array.from({ length: size }, (_, k) => String(2 + ((offset + k) % span)));
  return { marker: `${label} ${index}`, ids };
}

export async function commitTxn(db: TestDatabase, txn: Txn): Promise<void> {
  const updates = txn.ids.map((id) => `UPDATE users SET full_name = '${txn.marker}' WHERE id = ${id};`);
  await db.sql(`BEGIN;${updates.join('')}COMMIT;`);
}

/** Apply `count` updates in transactions of `perTxn`; returns the seconds it took. */
export async function applyUpdates(
  db: TestDatabase,
  label: string,
  count: number,
  perTxn: number,
  rows: number,
): Promise<number> {
  const start = performance.now();
  for (let i = 0, done = 0; done < count; i++) {
    const size = Math.min(perTxn, count - done);
    await commitTxn(db, txnAt(label, i, done, size, rows));
    done += size;
  }
  return (performance.now() - start) / 1000;
}
