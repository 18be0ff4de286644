// Live CDC: with flusso caught up, M single-row UPDATEs (1000 per transaction) from
// another connection; flusso's rate runs from the first write until the end marker
// is in the index. Baseline: pg_recvlogical reading the same WAL from its own slot.
// Limit: the document SQL itself, the same documents built by one bare query per
// batch of 256 ids, prepared once as flusso's builder runs it (also printed: the
// same query sent whole each time). Then the lag under a steady load at half of flusso's rate.
// Also flusso's CPU per change over the timed window (utime + stime from /proc), a figure
// other load on the machine moves far less than a rate. Beside it, the CPU per change of
// everything the run drives, in flusso's window and in the limit's: flusso's window also
// pays Postgres for the updates, their logical decoding and the document SQL, on the same
// cores, so the run prints the budget the ratio goal leaves (cores / (0.8 x limit rate)).
import { availableParallelism } from 'node:os';
import { cpuSeconds, ownCpuSeconds, treeCpuSeconds } from './cpu.js';
import { backendTicks, pgBreakdown } from './cpu-pg-breakdown.js';
import { selectBatchedDocuments } from './document-sql.js';
import { steadyLag } from './lag.js';
import { createBaselineSlot, recvlogical } from './recvlogical.js';
import { ratio, report } from './report.js';
import type { Rig } from './rig.js';
import { applyUpdates } from './updates.js';

export async function cdcBench(rig: Rig, changes: number): Promise<void> {
  await rig.ensureLive();
  const slot = await createBaselineSlot(rig, 'cdc');
  const pid = rig.flusso?.pid ?? 0;
  const postmaster = await rig.postmasterPid();
  // [Postgres, this process (writer, counting bulk endpoint, limit queries)], CPU seconds so far.
  const driven = (): [number, number] => [
    postmaster === undefined ? 0 : treeCpuSeconds(postmaster),
    ownCpuSeconds(),
  ];
  const since = ([pg, own]: [number, number]): [number, number] => {
    const [pgNow, ownNow] = driven();
    return [pgNow - pg, ownNow - own];
  };
  const status0 = await rig.flusso?.status();
  const cpu0 = cpuSeconds(pid);
  const driven0 = driven();
  const backends0 = postmaster === undefined ? undefined : backendTicks(postmaster);
  const start = performance.now();
  const writerSecs = await applyUpdates(rig.db, 'cdc', changes, 1000, rig.rows);
  const end = await rig.commitEndMarker('cdc');
  const endLsn = await rig.walPosition();
  const flussoSecs = ((await rig.delivered(end, 'the last cdc change in the index')) - start) / 1000;
  // CPU flusso spent on the workload: unlike its rate, hardly moved by other load on the box.
  const flussoCpu = cpuSeconds(pid) - cpu0;
  const [pgCpu, benchCpu] = since(driven0);
  const status1 = await rig.flusso?.status();
  const counted = (field: 'batches' | 'documents_built') => (status1?.[field] ?? 0) - (status0?.[field] ?? 0);
  const byBackend =
    postmaster === undefined || backends0 === undefined
      ? new Map<string, number>()
      : await pgBreakdown(rig.db, postmaster, backends0);
  const baselineSecs = await recvlogical(rig, slot, endLsn);
  const sqlDriven0 = driven();
  const [, sqlSecs] = await selectBatchedDocuments(rig, changes, 256, true);
  // Its backend has just exited: until the postmaster reaps it, its CPU is in no count.
  await new Promise((resolve) => setTimeout(resolve, 250));
  const [sqlPgCpu, sqlBenchCpu] = since(sqlDriven0);
  const [, wholeSecs] = await selectBatchedDocuments(rig, changes, 256, false);

  const flussoRate = changes / flussoSecs;
  const baselineRate = changes / baselineSecs;
  const sqlRate = changes / sqlSecs;
  const wholeRate = changes / wholeSecs;
  const perChange = (seconds: number) => (seconds * 1e6) / changes;
  const lag = await steadyLag(rig, flussoRate / 2, 10);
  report('cdc', { rows: rig.rows, changes }, [
    ['writer (1000 per txn)', changes / writerSecs, 'changes/s'],
    ['baseline pg_recvlogical', baselineRate, 'changes/s'],
    ['flusso', flussoRate, 'changes/s'],
    ['flusso time', flussoSecs, 's'],
    ['flusso CPU per change', perChange(flussoCpu), 'µs'],
    ['ratio flusso/baseline', ratio(flussoRate, baselineRate), ''],
    ['flusso changes per batch', changes / Math.max(1, counted('batches')), ''],
    ['flusso documents built per change', counted('documents_built') / changes, ''],
    ['document SQL sent whole per query', wholeRate, 'changes/s'],
    ['limit document SQL (prepared, 256 ids per query)', sqlRate, 'changes/s'],
    ['ratio flusso/document SQL (goal >= 0.8)', ratio(flussoRate, sqlRate), ''],
    ...(postmaster === undefined
      ? []
      : ([
          ['Postgres CPU per change, flusso window', perChange(pgCpu), 'µs'],
          ['bench CPU per change, flusso window (writer, bulk endpoint)', perChange(benchCpu), 'µs'],
          ['CPU per change, flusso window: all three', perChange(flussoCpu + pgCpu + benchCpu), 'µs'],
          ...[...byBackend]
            .filter(([, seconds]) => seconds > 0)
            .sort((a, b) => b[1] - a[1])
            .map(([kind, seconds]) => [`  Postgres, ${kind}`, perChange(seconds), 'µs'] as const),
          ['Postgres CPU per change, limit', perChange(sqlPgCpu), 'µs'],
          ['bench CPU per change, limit', perChange(sqlBenchCpu), 'µs'],
          [
            'CPU per change the goal leaves on these cores',
            (availableParallelism() * 1e6) / (0.8 * sqlRate),
            'µs',
          ],
        ] as const)),
    ['steady load (lag)', lag.rate, 'changes/s'],
    ['lag p50', lag.p50Ms, 'ms'],
    ['lag p99 (goal <= 100)', lag.p99Ms, 'ms'],
    ['lag samples (txns)', lag.samples, 'txns'],
  ]);
}
