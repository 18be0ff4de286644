// Sink: where flusso writes documents. Writes are buffered; `flush` makes them
// durable and reports item rejections; a whole-flush failure throws.
import type { DocumentId, ExactObject, IndexName, JsonObject } from '@flusso/core';

/** An index as the sink creates it. Mirrors `IndexSpec` of @flusso/sources (sinks never import sources). */
export interface SinkIndex {
  readonly name: IndexName;
  /** `{settings?, mappings}` body for index creation. */
  readonly mapping: JsonObject;
  /** Canonical schema hash; a new hash means a new physical index. */
  readonly hash: string;
}

export type SinkWrite =
  | {
      readonly op: 'upsert';
      readonly index: IndexName;
      readonly id: DocumentId;
      readonly document: ExactObject;
      /** External version (`external_gte`): an older version never overwrites a newer one. */
      readonly version?: bigint;
    }
  | {
      readonly op: 'delete';
      readonly index: IndexName;
      readonly id: DocumentId;
      /** External version of the delete (a tombstone): older writes after it are superseded. */
      readonly version?: bigint;
    };

/** A document the sink refused (mapping error, bad value): never retried. */
export interface ItemRejection {
  readonly index: IndexName;
  readonly id: DocumentId;
  readonly op: SinkWrite['op'];
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
  ensureIndex(index: SinkIndex): Promise<void>;
  /** Buffer a write; nothing is durable before `flush`. */
  write(write: SinkWrite): void;
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
