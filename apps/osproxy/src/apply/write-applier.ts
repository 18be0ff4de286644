// Applies a batch of decoded writes to the cluster through `_bulk`, in record
// order, and reads each op's outcome. Transient failures (transport errors, 429,
// 5xx, a whole reply that is not 2xx) are retried with the shared capped backoff,
// forever, from the first op still unapplied: the retry replays the rest of the
// batch in order, as a redelivery would, and the version rule keeps every replay
// harmless. The first definitive outcome an op gets is the one reported.
import {
  type BackoffPolicy,
  backoffDelay,
  type Clock,
  CodedError,
  FlussoError,
  systemClock,
} from '@flusso/core';
import type { ApplyOp } from './apply-op.js';
import {
  bulkLines,
  classifyItem,
  type ItemResult,
  needsVersion,
  preflight,
  versionQuery,
} from './bulk-plan.js';
import { rawElements, rawMember } from './raw-member.js';

export type OutcomeStatus = 'applied' | 'conflict' | 'rejected';

export interface ApplyOutcome {
  readonly opId: string;
  readonly status: OutcomeStatus;
  /** The cluster's error type (or the rule's reason), never a document value. */
  readonly reason?: string;
  readonly index: string;
  readonly id: string;
}

/** The two cluster calls the applier makes; replies as status and raw text. */
export interface ClusterTransport {
  post(path: '/_bulk' | '/_mget', body: string): Promise<{ readonly status: number; readonly text: string }>;
}

export interface ApplyContext {
  /** Aborted when the applier is stopping: a batch still retrying gives up (undefined). */
  readonly signal: AbortSignal;
  /** Called between retries, so a long outage does not cost the group membership. */
  heartbeat(): Promise<void>;
}

/** Applies one partition's writes in order; undefined when it gave up (stopping). */
export interface WriteApplier {
  apply(ops: readonly ApplyOp[], ctx: ApplyContext): Promise<readonly ApplyOutcome[] | undefined>;
}

export interface BulkWriteApplierOptions {
  readonly transport: ClusterTransport;
  readonly backoff?: BackoffPolicy;
  readonly clock?: Clock;
  readonly onRetry?: (retry: { attempt: number; reason: string; pending: number }) => void;
}

type Definitive = Exclude<ItemResult, { kind: 'transient' }>;

const forever: BackoffPolicy = {
  initialMs: 100,
  maxMs: 10_000,
  factor: 2,
  maxRetries: Number.POSITIVE_INFINITY,
};

function transient(reason: string): FlussoError {
  return new FlussoError('sink_transient', 'the cluster did not apply the batch', { context: { reason } });
}

export class BulkWriteApplier implements WriteApplier {
  readonly #transport: ClusterTransport;
  readonly #backoff: BackoffPolicy;
  readonly #clock: Clock;
  readonly #onRetry: BulkWriteApplierOptions['onRetry'];

  constructor(options: BulkWriteApplierOptions) {
    this.#transport = options.transport;
    this.#backoff = options.backoff ?? forever;
    this.#clock = options.clock ?? systemClock;
    this.#onRetry = options.onRetry;
  }

  async apply(ops: readonly ApplyOp[], ctx: ApplyContext): Promise<readonly ApplyOutcome[] | undefined> {
    const results: (Definitive | undefined)[] = ops.map(() => undefined);
    let from = 0;
    for (let attempt = 0; from < ops.length; attempt++) {
      if (attempt > this.#backoff.maxRetries) throw transient('retries_exhausted');
      if (attempt > 0 && !(await this.#pause(attempt - 1, ctx))) return undefined;
      const step = await this.#attempt(ops.slice(from));
      const stop = step.findIndex((r) => r.kind === 'transient');
      step.forEach((r, i) => {
        if (r.kind !== 'transient') results[from + i] ??= r;
      });
      if (stop < 0) break;
      const failed = step[stop] as Extract<ItemResult, { kind: 'transient' }>;
      this.#onRetry?.({ attempt, reason: failed.reason, pending: step.length - stop });
      from += stop;
    }
    return ops.map((op, i) => {
      const r = results[i] ?? { kind: 'applied' };
      return {
        opId: op.opId,
        status: r.kind,
        ...(r.kind === 'applied' ? {} : { reason: r.reason }),
        index: op.index,
        id: op.id,
      };
    });
  }

  async #pause(retry: number, ctx: ApplyContext): Promise<boolean> {
    if (ctx.signal.aborted) return false;
    await ctx.heartbeat();
    try {
      await this.#clock.sleep(backoffDelay(this.#backoff, retry), ctx.signal);
      return true;
    } catch {
      return false;
    }
  }

  /** One pass over `ops`: every op's result, all transient when the cluster could not be asked. */
  async #attempt(ops: readonly ApplyOp[]): Promise<ItemResult[]> {
    try {
      const versions = await this.#versions(ops.filter(needsVersion));
      const pre = ops.map((op) => (needsVersion(op) ? preflight(op, versions.get(op)) : 'send'));
      const sending = ops.filter((_, i) => pre[i] === 'send');
      const items = sending.length === 0 ? [] : await this.#bulk(sending);
      let k = 0;
      return pre.map((p, i) => (p === 'send' ? classifyItem(ops[i] as ApplyOp, items[k++]) : p));
    } catch (error) {
      if (!(error instanceof CodedError) || !error.retryable) throw error;
      const reason = String(error.context.reason ?? error.code);
      return ops.map(() => ({ kind: 'transient', reason }));
    }
  }

  async #bulk(ops: readonly ApplyOp[]): Promise<(Record<string, { status?: number }> | undefined)[]> {
    const reply = await this.#transport.post('/_bulk', ops.map(bulkLines).join(''));
    if (reply.status < 200 || reply.status >= 300) throw transient(`status_${reply.status}`);
    let items: Record<string, { status?: number }>[] | undefined;
    try {
      items = (JSON.parse(reply.text) as { items?: Record<string, { status?: number }>[] }).items;
    } catch {
      throw transient('bulk_reply_unreadable');
    }
    if (items?.length !== ops.length) throw transient('bulk_item_count');
    return items;
  }

  /** Each op's document version now (undefined: no such document), read exactly. */
  async #versions(ops: readonly ApplyOp[]): Promise<Map<ApplyOp, bigint | undefined>> {
    const versions = new Map<ApplyOp, bigint | undefined>();
    if (ops.length === 0) return versions;
    const reply = await this.#transport.post('/_mget', versionQuery(ops));
    if (reply.status < 200 || reply.status >= 300) throw transient(`mget_status_${reply.status}`);
    const docs = rawElements(rawMember(reply.text, 'docs') ?? '');
    if (docs?.length !== ops.length) throw transient('mget_doc_count');
    ops.forEach((op, i) => {
      const doc = docs[i] as string;
      const version = rawMember(doc, '_version');
      const found = rawMember(doc, 'found') === 'true' && version !== undefined && /^\d+$/.test(version);
      versions.set(op, found ? BigInt(version) : undefined);
    });
    return versions;
  }
}
