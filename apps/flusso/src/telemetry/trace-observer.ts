// OpenTelemetry traces from engine events (shape only): one span per backfill
// (`flusso.backfill`), per sink flush (`flusso.flush`), and per confirmed batch
// (`flusso.batch`, from its oldest change's arrival to its confirmation).

import type { FinishedSpan } from '@flusso/app-kit';
import { newTraceContext } from '@flusso/core';
import type { DaemonObserver, Status } from '@flusso/daemon';

export interface SpanSink {
  add(span: FinishedSpan): void;
}

function span(name: string, startMs: number, endMs: number, attributes: FinishedSpan['attributes']) {
  const { traceId, spanId } = newTraceContext();
  return { traceId, spanId, name, startMs, endMs, attributes };
}

export function traceObserver(
  spans: SpanSink,
  status: () => Status | null,
  now: () => number = Date.now,
): DaemonObserver {
  const backfills = new Map<string, { started: number; sinks: number }>();
  return {
    onBackfillStarted: (index, sinks) => backfills.set(index, { started: now(), sinks: sinks.length }),
    onBackfillFinished: (index, rows) => {
      const b = backfills.get(index);
      backfills.delete(index);
      if (b) spans.add(span('flusso.backfill', b.started, now(), { index, rows, sinks: b.sinks }));
    },
    onFlushed: (s) => {
      const end = now();
      spans.add(span('flusso.flush', end - s.micros / 1000, end, { sink: s.sink, documents: s.documents }));
    },
    onBatchCommitted: (s) => {
      const end = now();
      const lag = status()?.snapshot().end_to_end_lag_ms ?? 0;
      spans.add(span('flusso.batch', end - lag, end, { changes: s.changes, documents: s.documents }));
    },
    onError: (code) => {
      const t = now();
      spans.add({ ...span('flusso.error', t, t, { code }), error: true });
    },
  };
}
