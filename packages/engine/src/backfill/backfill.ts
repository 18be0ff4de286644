// Backfill one index into the lanes that need it: snapshot the root table's keys
// page by page, build each page once, hand it to every needing lane, then mark the
// index seeded in each lane after its last page is durable.

import type { ChangeCapture, DocumentBuilder } from '@flusso/core';
import { FlussoError, type IndexName } from '@flusso/core';
import { buildIsolating } from '../build-failures/isolate.js';
import { type SettleContext, settleBuildFailures } from '../build-failures/settle-failures.js';
import type { SinkLane } from '../lane/sink-lane.js';
import type { Observer } from '../observer/observer.js';
import { Tripwire } from '../queue/tripwire.js';
import type { Turn } from '../queue/turn.js';

export interface BackfillParts {
  readonly capture: ChangeCapture;
  readonly builder: DocumentBuilder;
  readonly observer: Observer;
  readonly pageSize: number;
  /** What a document that cannot be built becomes (its index's on_error). */
  readonly failures: SettleContext;
}

export interface BackfillPlan {
  readonly index: IndexName;
  /** Lanes to seed. */
  readonly lanes: readonly SinkLane[];
  /** Of those, lanes whose sink must first stage a fresh generation. */
  readonly restage: readonly SinkLane[];
  /** Beside the live loop: each page is built and queued under this turn. */
  readonly turn?: Turn;
  /** Stops between pages (shutdown). */
  readonly signal?: AbortSignal;
}

export async function backfillIndex(parts: BackfillParts, plan: BackfillPlan): Promise<number> {
  const { capture, builder, observer } = parts;
  const { index, lanes } = plan;
  const inTurn = <T>(step: () => Promise<T>): Promise<T> => (plan.turn ? plan.turn.run(step) : step());
  await inTurn(async () => {
    for (const lane of plan.restage) await lane.push({ kind: 'reindex', index });
  });
  const scope = builder.backfillScope(index);
  const estimate = await capture.estimateRows(scope);
  observer.onBackfillStarted?.(
    index,
    lanes.map((l) => l.name),
    estimate,
  );
  let rows = 0;
  // Beside live, one page at a time is queued: a live batch never waits behind more than one.
  let previous: Promise<unknown> = Promise.resolve();
  // Raced once per page: a Tripwire, not Promise.race, so no page's result stays reachable.
  const stopped = new Tripwire(aborted(plan.signal));
  for await (const page of capture.snapshot(scope, parts.pageSize)) {
    await stopped.race(previous);
    if (plan.signal?.aborted) throw new FlussoError('shutdown', `backfill of ${index} stopped`);
    ({ previous } = await inTurn(async () => {
      const built = await buildIsolating(builder, index, builder.idsFromKeys(index, page.keys));
      const { documents } = built;
      await settleBuildFailures(
        parts.failures,
        built.failed,
        lanes.map((l) => l.name),
        null,
      );
      observer.onDocumentsBuilt?.(index, documents.length);
      const durable: Promise<void>[] = [];
      for (const lane of lanes) {
        const item = plan.turn
          ? { kind: 'documents' as const, documents, caughtUp: false, durable: waiter(durable) }
          : { kind: 'documents' as const, documents, caughtUp: false };
        await lane.push(item);
      }
      return { previous: Promise.all(durable) };
    }));
    rows += page.keys.length;
    observer.onBackfillProgress?.(index, rows, estimate);
  }
  await Promise.all(lanes.map((lane) => markSeeded(lane, index)));
  observer.onBackfillFinished?.(index, rows);
  return rows;
}

/** Resolves when `signal` aborts (never without one). */
function aborted(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((r) => {
    if (signal?.aborted) r();
    else signal?.addEventListener('abort', () => r(), { once: true });
  });
}

/** A callback whose call resolves a promise added to `into`. */
function waiter(into: Promise<void>[]): () => void {
  let done: () => void = () => undefined;
  into.push(new Promise<void>((r) => (done = r)));
  return () => done();
}

/** Resolves once the lane's sink recorded `index` as seeded (after every page before it). */
function markSeeded(lane: SinkLane, index: IndexName): Promise<void> {
  return new Promise<void>((done, fail) => {
    lane.push({ kind: 'seeded', index, done }).then((accepted) => {
      if (!accepted) fail(new FlussoError('shutdown', `lane ${lane.name} closed before ${index} was seeded`));
    }, fail);
  });
}
