// The seam between the daemon and concrete backends: the composition root (the
// CLI) implements it; the daemon only ever asks it for parts.
import type { ChangeCapture, DocumentBuilder, Sink } from '@flusso/core';
import type { SinkConfig } from './config/config-schema.js';
import type { DeadLetterBook } from './dead-letters/dead-letter-book.js';
import type { FlussoLock } from './lock/lock.js';
import type { ReindexJournal } from './reindex/reindex-journal.js';

export interface CaptureSettings {
  readonly slot: string;
  readonly publication: string;
  readonly managePublication: boolean;
}

export interface Backends {
  capture(lock: FlussoLock, settings: CaptureSettings): Promise<ChangeCapture>;
  builder(lock: FlussoLock): Promise<DocumentBuilder>;
  sink(name: string, config: SinkConfig, lock: FlussoLock): Promise<Sink>;
  /** The dead-letter store for documents rejected under `skip` (none: only counted and logged). */
  deadLetters?(lock: FlussoLock): Promise<DeadLetterBook | null>;
  /** Where requested reindexes are kept until they finish, so a restart resumes them (none: not kept). */
  reindexJournal?(lock: FlussoLock, settings: CaptureSettings): Promise<ReindexJournal | null>;
}
