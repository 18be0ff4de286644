// The benchmarks as functions, for running them from another script; `main.ts` is the CLI.
export { backfillBench } from './backfill.js';
export { backlogBench } from './backlog.js';
export { cdcBench } from './cdc.js';
export { Rig, type RigOptions } from './rig.js';
