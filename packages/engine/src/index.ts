// The flusso pipeline: ingest (resolve, dedupe, build once), one lane per sink, watermark.

export { DocumentBuildError } from './build-failures/document-build-error.js';
export { type BuildFailure, buildIsolating, type IsolatedBuild } from './build-failures/isolate.js';
export {
  buildFailedRejection,
  type SettleContext,
  settleBuildFailures,
} from './build-failures/settle-failures.js';
export type { DeadLetter, DeadLetterRejection, DeadLetterStore } from './dead-letters/dead-letter-store.js';
export { type LetterContext, recordDeadLetters } from './dead-letters/record-dead-letters.js';
export { Engine } from './engine.js';
export { type EngineOptions, engineBackoff } from './engine-options.js';
export { type BatchPolicy, defaultBatchPolicy, liveBatchPolicy } from './ingest/batch-policy.js';
export { type QuarantineContext, quarantine } from './lane/quarantine.js';
export type { OnFull } from './lane/sink-lane.js';
export {
  type BatchStats,
  type FlushStats,
  fanOutObservers,
  noopObserver,
  type Observer,
} from './observer/observer.js';
