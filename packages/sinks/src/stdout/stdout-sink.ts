// The stdout sink: one NDJSON envelope per write, written at flush. It keeps no
// state, so it reports unseeded and is re-seeded each run (never forcing other
// sinks to re-seed: seeding is decided per sink and index).
import type { Writable } from 'node:stream';
import type { BuiltDocument, FlushReport, IndexSpec, Sink } from '@flusso/core';
import {
  type Clock,
  type ExactJson,
  FlussoError,
  type IndexName,
  stringifyExact,
  systemClock,
} from '@flusso/core';

export interface StdoutSinkOptions {
  readonly name?: string;
  readonly pretty?: boolean;
  readonly out?: Writable;
  readonly clock?: Clock;
}

/** What each line carries: `{op, id, index, document?, sink, ts, seq}`. */
export type StdoutEnvelope = {
  readonly op: BuiltDocument['op'];
  readonly id: string;
  readonly index: string;
  readonly document?: ExactJson;
  readonly sink: string;
  readonly ts: string;
  readonly seq: number;
};

export class StdoutSink implements Sink {
  readonly name: string;
  private readonly pretty: boolean;
  private readonly out: Writable;
  private readonly clock: Clock;
  private pending: BuiltDocument[] = [];
  private seq = 0;

  constructor(options: StdoutSinkOptions = {}) {
    this.name = options.name ?? 'stdout';
    this.pretty = options.pretty ?? false;
    this.out = options.out ?? process.stdout;
    this.clock = options.clock ?? systemClock;
  }

  async ensureIndex(_index: IndexSpec): Promise<void> {}

  write(write: BuiltDocument): void {
    this.pending.push(write);
  }

  async flush(_caughtUp: boolean): Promise<FlushReport> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return { written: 0, rejections: [] };
    const ts = new Date(this.clock.now()).toISOString();
    const text = batch.map((w) => this.render(w, ts)).join('');
    await new Promise<void>((resolve, reject) => {
      this.out.write(text, (err) =>
        err
          ? reject(new FlussoError('sink_failed', `stdout sink ${this.name}: write failed`, { cause: err }))
          : resolve(),
      );
    });
    return { written: batch.length, rejections: [] };
  }

  private render(write: BuiltDocument, ts: string): string {
    this.seq += 1;
    const envelope: StdoutEnvelope = {
      op: write.op,
      id: write.id,
      index: write.index,
      ...(write.op === 'upsert' ? { document: write.document } : {}),
      sink: this.name,
      ts,
      seq: this.seq,
    };
    return `${stringifyExact(envelope, this.pretty ? 2 : 0)}\n`;
  }

  async isSeeded(_index: IndexName): Promise<boolean> {
    return false;
  }

  async markSeeded(_index: IndexName): Promise<void> {}

  async reindex(_index: IndexName): Promise<void> {}

  async close(): Promise<void> {}
}
