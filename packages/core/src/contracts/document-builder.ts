// DocumentBuilder: turns thin changes into root document ids, and ids into documents
// built from current rows. One query per index per batch, never one per document.
import type { ExactObject } from '../json/exact-json.js';
import type { IndexName } from '../names/names.js';
import type { DocumentId } from '../values/document-id.js';
import type { JsonObject } from '../values/json.js';
import type { ChangeEvent, QualifiedTable, RowKey } from './change.js';
import type { SnapshotScope } from './change-capture.js';

/** A document to write (upsert) or remove (delete): what the builder produces and a sink takes. */
export type BuiltDocument =
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

/** What a batch of changes touches. */
export interface Resolution {
  /** Root documents to rebuild, per index. */
  readonly documents: ReadonlyMap<IndexName, ReadonlySet<DocumentId>>;
  /** Indexes to rebuild whole (e.g. after TRUNCATE of a table they include). */
  readonly rebuild: ReadonlySet<IndexName>;
}

/** An index as a sink needs it: the mapping to create and its canonical schema hash (a new hash means a new physical index). */
export interface IndexSpec {
  readonly name: IndexName;
  /** OpenSearch index body: `{settings?, mappings}` derived from the schema. */
  readonly mapping: JsonObject;
  /** Canonical, reproducible hash of the index schema (hex). */
  readonly hash: string;
}

export interface DocumentBuilder {
  /** The indexes this builder serves, with their mappings. */
  indexes(): readonly IndexSpec[];
  /** Tables every index reads (for the publication). */
  tables(): readonly QualifiedTable[];
  /** Map changes to the root documents they affect (old and new parents included). */
  resolve(events: readonly ChangeEvent[]): Promise<Resolution>;
  /** Build the documents of `ids`; ids whose root row is gone or filtered out become deletes. */
  build(index: IndexName, ids: readonly DocumentId[]): Promise<readonly BuiltDocument[]>;
  /** The root table scope whose keys enumerate `index` for backfill. */
  backfillScope(index: IndexName): SnapshotScope;
  /** Document ids for snapshot keys of `index`'s root table. */
  idsFromKeys(index: IndexName, keys: readonly RowKey[]): readonly DocumentId[];
}
