// Live CDC: with flusso caught up, M single-row UPDATEs (1000 per transaction) from
// another connection; flusso's rate runs from the first write until the end marker
// is in the index. Baseline: pg_recvlogical reading the same WAL from its own slot.
// Limit: the document SQL itself, the same documents built by one bare query per
// batch of 256 ids, prepared once as flusso's builder runs it (also printed: the
// same query sent whole each time). Then the lag under a steady load at half of flusso's rate.
// Also flusso's CPU per change over the timed window (utime + stime from /proc), a figure
// other load on the machine moves far less than a rate.
import { cpuSeconds } from './cpu.js';
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
  const cpu0 = cpuSeconds(pid);
  const start = performance.now();
  const writerSecs = await applyUpdates(rig.db, 'cdc', changes, 1000, rig.rows);
  const end = await rig.commitEndMarker('cdc');
  const endLsn = await rig.walPosition();
  const flussoSecs = ((await rig.delivered(end, 'the last cdc change in the index')) - start) / 1000;
  // CPU flusso spent on the workload: unlike its rate, hardly moved by other load on the box.
  const flussoCpu = cpuSeconds(pid) - cpu0;
  const baselineSecs = await recvlogical(rig, slot, endLsn);
  const [, sqlSecs] = await selectBatchedDocuments(rig, changes, 256, true);
  const [, wholeSecs] = await selectBatchedDocuments(rig, changes, 256, false);

  const flussoRate = changes / flussoSecs;
  const baselineRate = changes / baselineSecs;
  const sqlRate = changes / sqlSecs;
  const wholeRate = changes / wholeSecs;
  const lag = await steadyLag(rig, flussoRate / 2, 10);
  report('cdc', { rows: rig.rows, changes }, [
    ['writer (1000 per txn)', changes / writerSecs, 'changes/s'],
    ['baseline pg_recvlogical', baselineRate, 'changes/s'],
    ['flusso', flussoRate, 'changes/s'],
    ['flusso time', flussoSecs, 's'],
    ['flusso CPU per change', (flussoCpu * 1e6) / changes, 'µs'],
    ['ratio flusso/baseline', ratio(flussoRate, baselineRate), ''],
    ['document SQL sent whole per query', wholeRate, 'changes/s'],
    ['limit document SQL (prepared, 256 ids per query)', sqlRate, 'changes/s'],
    ['ratio flusso/document SQL (goal >= 0.8)', ratio(flussoRate, sqlRate), ''],
    ['steady load (lag)', lag.rate, 'changes/s'],
    ['lag p50', lag.p50Ms, 'ms'],
    ['lag p99 (goal <= 100)', lag.p99Ms, 'ms'],
    ['lag samples (txns)', lag.samples, 'txns'],
  ]);
}
