// Sends one `_bulk` chunk: whole-request transient failures and 429/5xx items are
// retried with capped backoff; other item failures become rejections mapped to
// the logical index and document; a 404 on delete counts as success, and so does
// a version conflict on an externally versioned write (a newer build is stored).
// A reply that does not answer every action, in order, is a failure, never success.
// A write OpenSearch's request validation would refuse (an `_id` over 512 bytes) is a
// rejection before sending: in a `_bulk` it would refuse the whole request. A chunk over
// the cluster's `http.max_content_length` (413) is split in halves until each fits; a
// single document that fits in no request is a rejection, never a flush that fails forever.

import type { FlushReport, ItemRejection } from '@flusso/core';
import { type BackoffPolicy, backoffDelay, type Clock, FlussoError, systemClock } from '@flusso/core';
import type { Client } from '@opensearch-project/opensearch';
import { type BulkChunk, type BulkLine, chunkLines, encodeLines, itemCount } from './bulk-body.js';
import { isTransient, statusOfError, toSinkError } from './transport-errors.js';

export interface SendOptions {
  readonly sink: string;
  readonly refresh: boolean;
  readonly maxRetries: number;
  readonly backoff: Omit<BackoffPolicy, 'maxRetries'>;
  readonly clock: Clock;
  readonly pipeline?: string;
}

interface ItemResult {
  readonly _id?: string | null;
  readonly status: number;
  readonly error?: { type?: string; reason?: string };
}

/** `DocWriteRequest.validateDocIdLength`: an `_id` is at most 512 bytes of UTF-8. */
export const MAX_ID_BYTES = 512;

/**
 * The reply's items, one per action, grouped by line (a guarded delete has two); a reply
 * that is not that is `sink_failed`.
 */
function itemsOf(sink: string, body: unknown, pending: readonly BulkLine[]): ItemResult[][] {
  const raw = (body as { items?: unknown } | null)?.items;
  const actions = pending.reduce((sum, line) => sum + itemCount(line), 0);
  const fail = (what: string) =>
    new FlussoError('sink_failed', `sink ${sink}: bulk reply ${what} for ${actions} action(s)`);
  if (!Array.isArray(raw)) throw fail('has no items');
  if (raw.length !== actions) throw fail(`has ${raw.length} item(s)`);
  let i = 0;
  return pending.map((line) =>
    Array.from({ length: itemCount(line) }, () => {
      const entry = raw[i] as unknown;
      const item = (entry && typeof entry === 'object' ? Object.values(entry)[0] : undefined) as
        | ItemResult
        | undefined;
      if (!item || typeof item.status !== 'number') throw fail(`item ${i} has no status`);
      if (item._id !== undefined && item._id !== null && item._id !== line.id)
        throw fail(`item ${i} answers another document`);
      i += 1;
      return item;
    }),
  );
}

/**
 * A guarded write refused because its write alias is gone: the generation it was built
 * for was dropped (a newer one, built from current rows, replaced it).
 */
function generationGone(line: BulkLine, items: readonly ItemResult[]): boolean {
  return (
    line.guarded === true &&
    items.some((item) => item.status === 404 && item.error?.type === 'index_not_found_exception')
  );
}

export interface ChunkResult {
  written: number;
  rejections: ItemRejection[];
  /** Guarded lines whose generation is gone (counted in `written`: superseded). */
  gone: BulkLine[];
  /** Lines the cluster refused as too large a request (413): to send in smaller requests. */
  tooLarge?: readonly BulkLine[];
}

export async function sendChunk(client: Client, chunk: BulkChunk, o: SendOptions): Promise<ChunkResult> {
  let pending: readonly BulkLine[] = chunk.lines;
  const rejections: ItemRejection[] = [];
  const gone: BulkLine[] = [];
  let written = 0;
  const policy = { ...o.backoff, maxRetries: o.maxRetries };
  for (let attempt = 0; ; attempt++) {
    let body: unknown;
    try {
      const res = await client.bulk({
        body: pending === chunk.lines ? chunk.body : encodeLines(pending),
        ...(o.refresh ? { refresh: 'true' as const } : {}),
        ...(o.pipeline ? { pipeline: o.pipeline } : {}),
      } as never);
      body = res.body;
    } catch (error) {
      if (statusOfError(error) === 413) return { written, rejections, gone, tooLarge: pending };
      if (!isTransient(error) || attempt >= policy.maxRetries)
        throw toSinkError(o.sink, `bulk of ${pending.length} item(s)`, error);
      // A cluster (or the proxy in front of it) that says when to come back is waited for.
      await o.clock.sleep(Math.max(backoffDelay(policy, attempt), retryAfterMs(error, o.clock.now()) ?? 0));
      continue;
    }
    const items = itemsOf(o.sink, body, pending);
    const retry: BulkLine[] = [];
    pending.forEach((line, i) => {
      const lineItems = items[i] as ItemResult[];
      // The write's own result (a guarded delete's probe comes first).
      const item = lineItems[lineItems.length - 1] as ItemResult;
      if (generationGone(line, lineItems)) {
        written += 1;
        gone.push(line);
      } else if (item.status < 300 || (line.write.op === 'delete' && item.status === 404)) written += 1;
      // A versioned write refused for a newer version already stored: superseded, done.
      else if (superseded(line, item)) written += 1;
      // Transient on the item's shard (rejected execution, unavailable shards): again.
      else if (item.status === 429 || item.status >= 500) retry.push(line);
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
    if (retry.length === 0) return { written, rejections, gone };
    if (attempt >= policy.maxRetries)
      throw new FlussoError(
        'sink_transient',
        `sink ${o.sink}: ${retry.length} item(s) still failing transiently (429/5xx) after ${attempt + 1} attempts`,
      );
    pending = retry;
    await o.clock.sleep(backoffDelay(policy, attempt));
  }
}

/** Longest `Retry-After` honoured: a longer one waits this long (the retry budget still applies). */
export const RETRY_AFTER_CAP_MS = 60_000;

/** A 429/503 reply's `Retry-After` (delta-seconds or an HTTP date) in ms, capped; else undefined. */
export function retryAfterMs(error: unknown, now: number): number | undefined {
  const status = statusOfError(error);
  if (status !== 429 && status !== 503) return undefined;
  const headers = (error as { meta?: { headers?: Record<string, unknown> | null } }).meta?.headers;
  const raw = headers?.['retry-after'];
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  const ms = /^\d+$/.test(text.trim()) ? Number(text.trim()) * 1000 : Date.parse(text) - now;
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, RETRY_AFTER_CAP_MS) : undefined;
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
): Promise<FlushReport & { gone: BulkLine[] }> {
  const rejections: ItemRejection[] = [];
  const gone: BulkLine[] = [];
  const sendable: BulkLine[] = [];
  for (const line of lines) {
    const bytes = Buffer.byteLength(line.id);
    if (bytes <= MAX_ID_BYTES) sendable.push(line);
    else
      rejections.push({
        index: line.write.index,
        id: line.write.id,
        op: line.write.op,
        status: 400,
        type: 'action_request_validation_exception',
        reason: `action_request_validation_exception: _id is ${bytes} bytes, over ${MAX_ID_BYTES}`,
      });
  }
  const chunks = chunkLines(sendable, settings.batchSize ?? 1000, settings.maxBytes ?? 10 * 1024 * 1024);
  let written = 0;
  const options = (last: boolean): SendOptions => ({
    sink,
    refresh: refresh && last,
    maxRetries: settings.maxRetries ?? 3,
    backoff: { initialMs: 100, maxMs: 5_000, factor: 2, ...settings.backoff },
    clock: settings.clock ?? systemClock,
    ...(settings.pipeline ? { pipeline: settings.pipeline } : {}),
  });
  const send = async (chunk: BulkChunk, last: boolean): Promise<void> => {
    const result = await sendChunk(client, chunk, options(last));
    written += result.written;
    rejections.push(...result.rejections);
    gone.push(...result.gone);
    const big = result.tooLarge;
    if (!big) return;
    if (big.length === 1) {
      const line = big[0] as BulkLine;
      rejections.push({
        index: line.write.index,
        id: line.write.id,
        op: line.write.op,
        status: 413,
        type: 'request_entity_too_large',
        reason: 'request_entity_too_large: the document alone is over http.max_content_length',
      });
      return;
    }
    const half = Math.ceil(big.length / 2);
    for (const [j, part] of [big.slice(0, half), big.slice(half)].entries())
      await send({ lines: part, body: encodeLines(part) }, last && j === 1);
  };
  for (const [i, chunk] of chunks.entries()) await send(chunk, i === chunks.length - 1);
  return { written, rejections, gone };
}
