// Where a document a sink rejected under `on_error = "skip"` goes: written
// durably before its batch is acknowledged, so its content is never lost.
import type { DocumentId, ExactObject, IndexName, Lsn } from '@flusso/core';

/** The sink's verdict on one document, as its backend reported it (shape only). */
export interface DeadLetterRejection {
  /** The backend's error type, e.g. `mapper_parsing_exception`. */
  readonly type: string;
  readonly reason: string;
  readonly status: number;
}

/** One rejected document. */
export interface DeadLetter {
  readonly sink: string;
  readonly index: IndexName;
  readonly id: DocumentId;
  readonly op: 'upsert' | 'delete';
  readonly rejection: DeadLetterRejection;
  /** End LSN of the last commit in the batch; null for a backfill page. */
  readonly lsn: Lsn | null;
  /** Wall-clock milliseconds (from the engine's Clock). */
  readonly at: number;
  /** The document as sent; null for a delete. A store may keep only the key. */
  readonly document: ExactObject | null;
}

/** The narrow role the engine needs: record durably, or reject (the batch then stays unacknowledged). */
export interface DeadLetterStore {
  /** Resolves once every letter is durable; one letter per (sink, index, id), the newest wins. */
  record(letters: readonly DeadLetter[]): Promise<void>;
}
