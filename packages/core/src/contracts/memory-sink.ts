// A Sink double: a durable store behind a staging buffer, like OpenSearch behind
// its bulk buffer. It can fail flushes, reject items, or hold flushes on a gate.
import { FlussoError } from '../errors/flusso-error.js';
import type { ExactObject } from '../json/exact-json.js';
import type { IndexName } from '../names/names.js';
import type { BuiltDocument, IndexSpec } from './document-builder.js';
import type { FlushReport, ItemRejection, Sink } from './sink.js';

export interface MemorySinkOptions {
  readonly name?: string;
  /** Shared across "runs" to model a durable backend. */
  readonly store?: Map<string, ExactObject>;
  readonly seeded?: boolean;
  /** The next N flushes fail with this code before touching the store. */
  failNext?: { count: number; code: 'sink_transient' | 'sink_failed' };
  /** Reject every write to these document ids. */
  readonly rejectIds?: ReadonlySet<string>;
}

export class MemorySink implements Sink {
  readonly name: string;
  readonly store: Map<string, ExactObject>;
  readonly log: string[] = [];
  readonly caughtUpFlags: boolean[] = [];
  readonly seededMarks: IndexName[] = [];
  readonly reindexed: IndexName[] = [];
  flushAttempts = 0;
  private staged: BuiltDocument[] = [];
  private seeded: boolean;
  private gate: Promise<void> | null = null;
  private openGate: () => void = () => undefined;
  private gateReached: () => void = () => undefined;

  constructor(private readonly options: MemorySinkOptions = {}) {
    this.name = options.name ?? 'memory';
    this.store = options.store ?? new Map();
    this.seeded = options.seeded ?? false;
  }

  /** Hold every flush until `release()`; resolves when a flush is waiting. */
  hold(): Promise<void> {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
    return new Promise((resolve) => (this.gateReached = resolve));
  }

  release(): void {
    this.gate = null;
    this.openGate();
  }

  async ensureIndex(_index: IndexSpec): Promise<void> {}

  write(write: BuiltDocument): void {
    this.staged.push(write);
    this.log.push(`${write.op} ${write.index} ${write.id}`);
  }

  async flush(caughtUp: boolean): Promise<FlushReport> {
    const staged = this.staged;
    this.staged = [];
    this.flushAttempts += 1;
    if (this.gate) {
      this.gateReached();
      await this.gate;
    }
    const fail = this.options.failNext;
    if (fail && fail.count > 0) {
      fail.count -= 1;
      throw new FlussoError(fail.code, `sink ${this.name} unavailable`);
    }
    this.log.push('flush');
    this.caughtUpFlags.push(caughtUp);
    const rejections: ItemRejection[] = [];
    for (const w of staged) {
      const key = `${w.index}/${w.id}`;
      if (this.options.rejectIds?.has(w.id)) {
        rejections.push({
          index: w.index,
          id: w.id,
          op: w.op,
          status: 400,
          type: 'mapper_parsing_exception',
          reason: 'bad',
        });
      } else if (w.op === 'upsert') this.store.set(key, w.document);
      else this.store.delete(key);
    }
    return { written: staged.length - rejections.length, rejections };
  }

  async isSeeded(): Promise<boolean> {
    return this.seeded;
  }

  async markSeeded(index: IndexName): Promise<void> {
    this.seeded = true;
    this.seededMarks.push(index);
  }

  async reindex(index: IndexName): Promise<void> {
    this.seeded = false;
    this.reindexed.push(index);
  }

  async close(): Promise<void> {}
}
