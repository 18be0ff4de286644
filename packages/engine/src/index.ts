// The flusso pipeline: ingest (resolve, dedupe, build once), one lane per sink, watermark.
export { Engine } from './engine.js';
export { type EngineOptions, engineBackoff } from './engine-options.js';
export { type BatchPolicy, defaultBatchPolicy } from './ingest/batch-policy.js';
export {
  type BatchStats,
  type FlushStats,
  fanOutObservers,
  noopObserver,
  type Observer,
} from './observer/observer.js';
