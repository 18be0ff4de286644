// End-to-end lag under a steady load: 100 small transactions a second at a fixed
// share of flusso's measured throughput, each timed from its commit (as the writer
// sees it) to the moment its last document reaches the bulk endpoint.
import { writeFileSync } from 'node:fs';
import type { Rig } from './rig.js';
import { sleep, until } from './until.js';
import { commitTxn, txnAt } from './updates.js';

export interface LagFigures {
  /** Changes per second actually applied. */
  readonly rate: number;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  /** Transactions measured (fully delivered). */
  readonly samples: number;
}

function percentile(sorted: readonly number[], p: number): number | null {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? null;
}

/**
 * `label` names the transactions (`lag 17`); `guard` throws once what delivers has died
 * (default: the rig's flusso).
 */
export async function steadyLag(
  rig: Rig,
  targetRate: number,
  seconds: number,
  label = 'lag',
  guard: () => void = () => rig.flusso?.assertRunning(),
): Promise<LagFigures> {
  const perTxn = Math.max(1, Math.round(targetRate / 100));
  const committed = new Map<string, number>();
  const delivered = new Map<string, { docs: number; last: number }>();
  // BENCH_LAG_DUMP=file: every commit and every delivered document, to see where a lag comes from.
  const dump = process.env.BENCH_LAG_DUMP;
  const trace: string[] = [];
  const stop = rig.tap.listen((_id, source, at) => {
    const marker = source.fullName;
    if (typeof marker !== 'string' || !marker.startsWith(`${label} `)) return;
    const d = delivered.get(marker) ?? { docs: 0, last: 0 };
    if (dump) trace.push(`D\t${marker}\t${_id}\t${at.toFixed(1)}`);
    d.docs += 1;
    d.last = at;
    delivered.set(marker, d);
  });
  const start = performance.now();
  let applied = 0;
  for (let i = 0; performance.now() - start < seconds * 1000; i++) {
    await sleep(start + i * 10 - performance.now()); // on schedule; a slow commit just delays the next
    const txn = txnAt(label, i, applied, perTxn, rig.rows);
    await commitTxn(rig.db, txn);
    committed.set(txn.marker, performance.now());
    applied += perTxn;
  }
  const rate = applied / ((performance.now() - start) / 1000);
  // Every transaction delivered; or, where ordering is only per partition (kafka mode) and a
  // later build may carry a newer value, the last one delivered and nothing new for 2 s.
  const complete = (txn: string) => (delivered.get(txn)?.docs ?? 0) >= perTxn;
  const last = [...committed.keys()].at(-1) ?? '';
  let seen = -1;
  let quietSince = performance.now();
  await until(
    'the steady load delivered',
    () => {
      const docs = [...delivered.values()].reduce((sum, d) => sum + d.docs, 0);
      if (docs !== seen) [seen, quietSince] = [docs, performance.now()];
      const done = [...committed.keys()].every(complete);
      return done || (complete(last) && performance.now() - quietSince > 2000) ? true : undefined;
    },
    { guard, everyMs: 100 },
  );
  stop();
  if (dump) {
    const commits = [...committed].map(([marker, at]) => `C\t${marker}\t\t${at.toFixed(1)}`);
    writeFileSync(dump, `${[...commits, ...trace].join('\n')}\n`);
  }
  const lags = [...committed]
    .flatMap(([marker, at]) => {
      const d = delivered.get(marker);
      return d && d.docs >= perTxn ? [d.last - at] : [];
    })
    .sort((a, b) => a - b);
  return { rate, p50Ms: percentile(lags, 0.5), p99Ms: percentile(lags, 0.99), samples: lags.length };
}
