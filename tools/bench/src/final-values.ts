// Delivery of a whole workload when commit order is not delivery order (kafka mode
// orders per partition only, and a worker builds from current rows): the workload
// is delivered once every row it touched has arrived with the last value written.
import type { CountingBulkEndpoint } from './counting-bulk.js';
import { txnAt } from './updates.js';

/** id → the full_name applyUpdates(label, count, perTxn, rows) leaves it with. */
export function finalValues(label: string, count: number, perTxn: number, rows: number): Map<string, string> {
  const finals = new Map<string, string>();
  for (let i = 0, done = 0; done < count; i++) {
    const txn = txnAt(label, i, done, Math.min(perTxn, count - done), rows);
    for (const id of txn.ids) finals.set(id, txn.marker);
    done += txn.ids.length;
  }
  return finals;
}

/** A probe: the time the last of `finals` arrived, or undefined while some are missing. */
export function watchFinal(tap: CountingBulkEndpoint, finals: Map<string, string>): () => number | undefined {
  const pending = new Map(finals);
  let at: number | undefined;
  const stop = tap.listen((id, source, t) => {
    if (pending.get(id) !== source.fullName) return;
    pending.delete(id);
    if (pending.size > 0) return;
    at = t;
    stop();
  });
  return () => at;
}
