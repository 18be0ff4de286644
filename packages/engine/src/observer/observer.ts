// What the engine reports as it runs. Every method is optional: the default is a
// no-op, and the daemon fans events out to its Status and to metrics.
import type { IndexName } from '@flusso/core';

export interface BatchStats {
  readonly changes: number;
  readonly documents: number;
}

export interface FlushStats {
  readonly sink: string;
  readonly documents: number;
  readonly micros: number;
}

export interface Observer {
  onIndexesEnsured?(count: number): void;
  onContinuity?(resumed: boolean): void;
  onBackfillStarted?(index: IndexName, sinks: readonly string[], estimatedRows: number | null): void;
  onBackfillProgress?(index: IndexName, rowsDone: number, estimatedRows: number | null): void;
  onBackfillFinished?(index: IndexName, rows: number): void;
  onLiveStarted?(): void;
  onChangeCaptured?(): void;
  onDocumentsBuilt?(index: IndexName, count: number): void;
  onFlushed?(stats: FlushStats): void;
  onFlushRetry?(sink: string, attempt: number, code: string): void;
  onSinkRecovered?(sink: string): void;
  onBatchCommitted?(stats: BatchStats): void;
  onDocumentQuarantined?(sink: string, index: IndexName, id: string, reason: string): void;
  /** A full `on_full = "drop"` lane dropped a live batch of `documents`. */
  onBatchDropped?(sink: string, documents: number): void;
  onError?(code: string, message: string): void;
  onStopped?(): void;
}

export const noopObserver: Observer = {};

type Hook = keyof Observer;

/** One observer that forwards every event to each of `observers`, in order. */
export function fanOutObservers(...observers: Observer[]): Observer {
  const hooks: Hook[] = [
    'onIndexesEnsured',
    'onContinuity',
    'onBackfillStarted',
    'onBackfillProgress',
    'onBackfillFinished',
    'onLiveStarted',
    'onChangeCaptured',
    'onDocumentsBuilt',
    'onFlushed',
    'onFlushRetry',
    'onSinkRecovered',
    'onBatchCommitted',
    'onDocumentQuarantined',
    'onBatchDropped',
    'onError',
    'onStopped',
  ];
  const fan: Record<string, (...args: never[]) => void> = {};
  for (const hook of hooks) {
    fan[hook] = (...args: never[]) => {
      for (const o of observers) (o[hook] as ((...a: never[]) => void) | undefined)?.(...args);
    };
  }
  return fan as Observer;
}
