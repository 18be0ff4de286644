// Assembles and runs flusso from a compiled config: config loading, lock, status, lag.
export type { Backends, CaptureSettings } from './backends.js';
export {
  type ConfigFile,
  configJsonSchema,
  type EnvOrValue,
  type IndexEntry,
  type OpenSearchSinkConfig,
  type SinkConfig,
  type SourceConfig,
} from './config/config-schema.js';
export type { DeadLettersConfig } from './config/dead-letters-config.js';
export { DEFAULT_DEAD_LETTER_TOPIC } from './config/dead-letters-config.js';
export { type LoadedConfig, loadConfigFile, parseConfigText } from './config/load-config.js';
export type { PipelineConfig } from './config/pipeline-config.js';
export { type Env, redactUrl, resolveSourceUrl, resolveValue, sinkVariable } from './config/secrets.js';
export {
  configuredSinks,
  Daemon,
  type DaemonOptions,
  enabledIndexes,
  failurePolicies,
  RunningDaemon,
} from './daemon.js';
export { pollDeadLetterCounts } from './dead-letters/count-poller.js';
export type {
  DeadLetterBook,
  DeadLetterCount,
  DeadLetterFilter,
  StoredDeadLetter,
} from './dead-letters/dead-letter-book.js';
export { type ReplayOutcome, type ReplayParts, replayDeadLetters } from './dead-letters/replay.js';
export { pollLag } from './lag/lag-poller.js';
export { compileConfig } from './lock/compile-config.js';
export {
  type FlussoLock,
  LOCK_VERSION,
  type LockedIndex,
  parseLock,
  readLock,
  serializeLock,
  writeLock,
} from './lock/lock.js';
export { mappingOptions } from './lock/mapping-options.js';
export { MemoryReindexJournal, type ReindexJournal } from './reindex/reindex-journal.js';
export { indexSchemaJsonSchema } from './schema-file/index-json-schema.js';
export { loadSchemaFile, parseSchemaText } from './schema-file/parse-schema-file.js';
export {
  type BackfillProgress,
  type DeadLetterSummary,
  type IndexState,
  type Phase,
  type SinkHealth,
  Status,
  type StatusSnapshot,
} from './status/status.js';
export { type DaemonObserver, statusObserver } from './status/status-observer.js';
