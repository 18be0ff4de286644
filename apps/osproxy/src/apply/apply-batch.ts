// One fetched batch, end to end: decode its records, apply the writes in offset
// order, and turn every record into its outcome record (and, when the cluster
// refused it or it is not a write, a dead letter carrying the original record).
// The consumer produces these and only then commits the batch.
import type { BatchHandler, ConsumedBatch, ConsumedRecord, ProducedRecord } from '@flusso/sinks/kafka';
import type { Logger } from 'pino';
import type { ApplyMetrics } from '../telemetry/apply-metrics.js';
import { type ApplyOp, decodeRecord } from './apply-op.js';
import type { ApplyOutcome, WriteApplier } from './write-applier.js';

export interface ApplyTopics {
  readonly outcomes: string;
  readonly deadLetters: string;
}

export interface ApplyBatchDeps {
  readonly applier: WriteApplier;
  readonly topics: ApplyTopics;
  readonly metrics: ApplyMetrics;
  readonly logger: Logger;
}

interface Handled {
  readonly record: ConsumedRecord;
  readonly outcome: Omit<ApplyOutcome, 'index' | 'id'> & { readonly index?: string; readonly id?: string };
}

function outcomeRecord(topics: ApplyTopics, { record, outcome }: Handled): ProducedRecord {
  const value = {
    op_id: outcome.opId,
    status: outcome.status,
    ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
    _index: outcome.index ?? null,
    _id: outcome.id ?? null,
  };
  return {
    topic: topics.outcomes,
    key: record.key,
    value: JSON.stringify(value),
    headers: { op_id: outcome.opId },
  };
}

function deadLetter(batch: ConsumedBatch, { record, outcome }: Handled, topic: string): ProducedRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(record.headers)) if (value !== undefined) headers[name] = value;
  return {
    topic,
    key: record.key,
    value: record.value ?? '',
    headers: {
      ...headers,
      op_id: outcome.opId,
      reason: outcome.reason ?? 'rejected',
      source_topic: batch.topic,
      source_partition: String(batch.partition),
      source_offset: record.offset,
    },
  };
}

/** Applies the batch; every record gets exactly one outcome, in offset order. */
async function handle(batch: ConsumedBatch, deps: ApplyBatchDeps, signal: AbortSignal) {
  const decoded = batch.records.map((record) => decodeRecord(record, batch.partition));
  const ops = decoded.filter((d): d is ApplyOp => !('reason' in d));
  const applied = await deps.applier.apply(ops, { signal, heartbeat: batch.heartbeat });
  if (applied === undefined) return undefined;
  let k = 0;
  return decoded.map((d, i): Handled => {
    const record = batch.records[i] as ConsumedRecord;
    if ('reason' in d) return { record, outcome: { opId: d.opId, status: 'rejected', reason: d.reason } };
    return { record, outcome: applied[k++] as ApplyOutcome };
  });
}

export function applyBatchHandler(deps: ApplyBatchDeps): BatchHandler {
  return async (batch, signal) => {
    const handled = await handle(batch, deps, signal);
    if (handled === undefined) {
      deps.logger.info(
        { partition: batch.partition, records: batch.records.length },
        'batch left uncommitted',
      );
      return undefined;
    }
    const counts = { applied: 0, conflict: 0, rejected: 0 };
    const produced: ProducedRecord[] = [];
    for (const h of handled) {
      counts[h.outcome.status] += 1;
      produced.push(outcomeRecord(deps.topics, h));
      if (h.outcome.status === 'rejected') produced.push(deadLetter(batch, h, deps.topics.deadLetters));
    }
    for (const [status, n] of Object.entries(counts)) if (n > 0) deps.metrics.ops.inc({ status }, n);
    deps.metrics.batches.inc();
    deps.metrics.lag.set({ partition: String(batch.partition) }, batch.lag);
    deps.logger.debug(
      {
        partition: batch.partition,
        first: batch.records[0]?.offset,
        records: batch.records.length,
        ...counts,
      },
      'batch applied',
    );
    return produced;
  };
}
