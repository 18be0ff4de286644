// What flows down a lane, in order: built documents (a live batch carries its
// watermark ticket), and the reindex/seeded controls that bracket a backfill.
import type { BuiltDocument, IndexName, Lsn } from '@flusso/core';

export type LaneItem =
  | {
      readonly kind: 'documents';
      readonly documents: readonly BuiltDocument[];
      readonly caughtUp: boolean;
      /** Present on live batches: acked to the watermark once durable. */
      readonly ticket?: number;
      /** End LSN of the batch's last commit (live batches), for dead letters. */
      readonly lsn?: Lsn;
      /** Called once the documents are durable (a reindex paces its pages by it). */
      readonly durable?: () => void;
    }
  | { readonly kind: 'reindex'; readonly index: IndexName }
  | { readonly kind: 'seeded'; readonly index: IndexName; readonly done: () => void };
