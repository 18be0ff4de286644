// Sink: where flusso writes documents. Writes are buffered; `flush` makes them
// durable and reports item rejections; a whole-flush failure throws. Writes are the
// builder's `BuiltDocument`s and indexes its `IndexSpec`s: one definition each.
import type { IndexName } from '../names/names.js';
import type { DocumentId } from '../values/document-id.js';
import type { BuiltDocument, IndexSpec } from './document-builder.js';

/** A document the sink refused (mapping error, bad value): never retried. */
export interface ItemRejection {
  readonly index: IndexName;
  readonly id: DocumentId;
  readonly op: BuiltDocument['op'];
  readonly status: number;
  /** The backend's error type, e.g. `strict_dynamic_mapping_exception`. */
  readonly type: string;
  /** Shape-only reason (no document values). */
  readonly reason: string;
}

export interface FlushReport {
  /** Writes the backend accepted. */
  readonly written: number;
  readonly rejections: readonly ItemRejection[];
}

export interface Sink {
  /** The configured sink name (e.g. `primary`). */
  readonly name: string;
  /** Create the index (and its aliases) if absent; idempotent; run on every start. */
  ensureIndex(index: IndexSpec): Promise<void>;
  /** Buffer a write; nothing is durable before `flush`. */
  write(write: BuiltDocument): void;
  /**
   * Make buffered writes durable. `caughtUp` = the engine has no backlog, so the
   * sink may make them visible now (refresh). Throws FlussoError `sink_transient`
   * (retry may help) or `sink_failed` when the request as a whole failed. A flush
   * that throws has dropped its buffered writes: the caller writes them again to
   * retry (writes are idempotent by document id).
   */
  flush(caughtUp: boolean): Promise<FlushReport>;
  /** Whether `index` has been fully backfilled into this sink. */
  isSeeded(index: IndexName): Promise<boolean>;
  /** Record that `index` is fully backfilled (and swap in a staged generation). */
  markSeeded(index: IndexName): Promise<void>;
  /**
   * Stage a fresh generation of `index`: `isSeeded` turns false until the next
   * `markSeeded`, writes reach the staged generation (and the live one, so reads
   * stay current), and `markSeeded` swaps it in atomically.
   */
  reindex(index: IndexName): Promise<void>;
  close(): Promise<void>;
}
