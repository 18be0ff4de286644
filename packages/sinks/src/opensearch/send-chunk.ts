// Sends one `_bulk` chunk: whole-request transient failures and 429 items are
// retried with capped backoff; other item failures become rejections mapped to
// the logical index and document; a 404 on delete counts as success, and so does
// a version conflict on an externally versioned write (a newer build is stored).

import type { FlushReport, ItemRejection } from '@flusso/core';
import { type BackoffPolicy, backoffDelay, type Clock, FlussoError, systemClock } from '@flusso/core';
import type { Client } from '@opensearch-project/opensearch';
import { type BulkChunk, type BulkLine, chunkLines, encodeLines } from './bulk-body.js';
import { isTransient, toSinkError } from './transport-errors.js';

export interface SendOptions {
  readonly sink: string;
  readonly refresh: boolean;
  readonly maxRetries: number;
  readonly backoff: Omit<BackoffPolicy, 'maxRetries'>;
  readonly clock: Clock;
  readonly pipeline?: string;
}

interface ItemResult {
  readonly status: number;
  readonly error?: { type?: string; reason?: string };
}

export async function sendChunk(
  client: Client,
  chunk: BulkChunk,
  o: SendOptions,
): Promise<{ written: number; rejections: ItemRejection[] }> {
  let pending: readonly BulkLine[] = chunk.lines;
  const rejections: ItemRejection[] = [];
  let written = 0;
  const policy = { ...o.backoff, maxRetries: o.maxRetries };
  for (let attempt = 0; ; attempt++) {
    let items: ItemResult[];
    try {
      const res = await client.bulk({
        body: pending === chunk.lines ? chunk.body : encodeLines(pending),
        ...(o.refresh ? { refresh: 'true' as const } : {}),
        ...(o.pipeline ? { pipeline: o.pipeline } : {}),
      } as never);
      items = (res.body.items as Record<string, ItemResult>[]).map((i) => Object.values(i)[0] as ItemResult);
    } catch (error) {
      if (!isTransient(error) || attempt >= policy.maxRetries)
        throw toSinkError(o.sink, `bulk of ${pending.length} item(s)`, error);
      await o.clock.sleep(backoffDelay(policy, attempt));
      continue;
    }
    const retry: BulkLine[] = [];
    pending.forEach((line, i) => {
      const item = items[i];
      if (!item)
        throw new FlussoError(
          'sink_failed',
          `sink ${o.sink}: bulk response has ${items.length} items for ${pending.length} actions`,
        );
      if (item.status < 300 || (line.write.op === 'delete' && item.status === 404)) written += 1;
      // A versioned write refused for a newer version already stored: superseded, done.
      else if (superseded(line, item)) written += 1;
      else if (item.status === 429) retry.push(line);
      else
        rejections.push({
          index: line.write.index,
          id: line.write.id,
          op: line.write.op,
          status: item.status,
          type: item.error?.type ?? 'unknown',
          reason: shapeOnlyReason(item),
        });
    });
    if (retry.length === 0) return { written, rejections };
    if (attempt >= policy.maxRetries)
      throw new FlussoError(
        'sink_transient',
        `sink ${o.sink}: ${retry.length} item(s) still rejected with 429 after ${attempt + 1} attempts`,
      );
    pending = retry;
    await o.clock.sleep(backoffDelay(policy, attempt));
  }
}

function superseded(line: BulkLine, item: ItemResult): boolean {
  return (
    line.write.version !== undefined &&
    item.status === 409 &&
    item.error?.type === 'version_conflict_engine_exception'
  );
}

/** The error type and, when present, the field it names; never the rejected value. */
function shapeOnlyReason(item: ItemResult): string {
  const field = /field \[([^\]]+)\]/.exec(item.error?.reason ?? '')?.[1];
  return `${item.error?.type ?? `status ${item.status}`}${field ? ` on field ${field}` : ''}`;
}

/** A sink's bulk settings, as both OpenSearch sinks take them (defaults applied here). */
export interface BulkSettings {
  readonly batchSize?: number;
  readonly maxBytes?: number;
  readonly maxRetries?: number;
  readonly backoff?: Omit<BackoffPolicy, 'maxRetries'>;
  readonly clock?: Clock;
  readonly pipeline?: string;
}

/** Sends `lines` in bounded chunks, in order; `refresh` rides on the last chunk only. */
export async function sendLines(
  client: Client,
  sink: string,
  lines: readonly BulkLine[],
  settings: BulkSettings,
  refresh: boolean,
): Promise<FlushReport> {
  const chunks = chunkLines(lines, settings.batchSize ?? 1000, settings.maxBytes ?? 10 * 1024 * 1024);
  const rejections: ItemRejection[] = [];
  let written = 0;
  for (const [i, chunk] of chunks.entries()) {
    const result = await sendChunk(client, chunk, {
      sink,
      refresh: refresh && i === chunks.length - 1,
      maxRetries: settings.maxRetries ?? 3,
      backoff: { initialMs: 100, maxMs: 5_000, factor: 2, ...settings.backoff },
      clock: settings.clock ?? systemClock,
      ...(settings.pipeline ? { pipeline: settings.pipeline } : {}),
    });
    written += result.written;
    rejections.push(...result.rejections);
  }
  return { written, rejections };
}
