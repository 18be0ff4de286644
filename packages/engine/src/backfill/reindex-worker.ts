// Reindex beside the live stream: requests queue here and one at a time each is
// rebuilt into a staged generation while live batches keep flowing. Every page is
// built and queued under the shared Turn, so a live batch built after a page
// lands after it; the staged generation also receives live writes (the sink
// writes both), and the swap happens once its last page is durable. Pages carry
// no watermark ticket: a reindex never holds the confirmed LSN.
import { FlussoError, type IndexName } from '@flusso/core';
import type { SinkLane } from '../lane/sink-lane.js';
import type { Turn } from '../queue/turn.js';
import { type BackfillParts, backfillIndex } from './backfill.js';

interface ReindexRequest {
  readonly index: IndexName;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export class ReindexWorker {
  private readonly requests: ReindexRequest[] = [];
  private wake: () => void = () => undefined;
  private finishing = false;

  request(index: IndexName): Promise<void> {
    return new Promise((resolve, reject) => {
      this.requests.push({ index, resolve, reject });
      this.wake();
    });
  }

  /** The live stream ended: serve what is queued, then return. */
  finish(): void {
    this.finishing = true;
    this.wake();
  }

  /** Reject every pending request (the engine stopped). */
  rejectAll(error: unknown): void {
    for (const r of this.requests.splice(0)) r.reject(error);
    this.wake();
  }

  /** Serve requests until `signal` aborts; rejects (failing the run) when a reindex fails. */
  async run(
    parts: BackfillParts,
    lanes: readonly SinkLane[],
    turn: Turn,
    signal: AbortSignal,
  ): Promise<void> {
    this.finishing = false;
    const onAbort = () => this.wake();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      while (!signal.aborted) {
        const request = this.requests.shift();
        if (!request) {
          if (this.finishing) return;
          await new Promise<void>((r) => {
            this.wake = r;
            if (this.requests.length > 0 || this.finishing || signal.aborted) r();
          });
          continue;
        }
        try {
          await backfillIndex(parts, { index: request.index, lanes, restage: lanes, turn, signal });
          request.resolve();
        } catch (error) {
          request.reject(error);
          if (!signal.aborted) throw error;
        }
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.rejectAll(new FlussoError('shutdown', 'engine stopped'));
    }
  }
}
