// OpenSearchSink: flusso's bulk sink. Writes buffer until flush, go out as `_bulk`
// chunks (by count and bytes), transient failures retry with capped backoff, item
// rejections are reported (never retried), and indexes live as generations behind
// aliases so a reindex swaps atomically while reads stay on the old generation.

import type {
  BackoffPolicy,
  BuiltDocument,
  Clock,
  FlushReport,
  IndexName,
  IndexSpec,
  ItemRejection,
  Sink,
} from '@flusso/core';
import type { Client } from '@opensearch-project/opensearch';
import { type BulkLine, bulkLine, guardedLine } from './bulk-body.js';
import { ignoreExists, notFoundAsNull, openSearchClient } from './client.js';
import {
  concrete,
  type Layout,
  layoutNames,
  metaMapping,
  writeAlias,
  writeGenerations,
  writeTargets,
} from './index-layout.js';
import { sendLines } from './send-chunk.js';
import { supersededWrites } from './superseded-writes.js';
import { toSinkError } from './transport-errors.js';

export interface OpenSearchSinkOptions {
  readonly name: string;
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  readonly prefix?: string;
  readonly batchSize?: number;
  readonly maxBytes?: number;
  readonly timeoutMs?: number;
  readonly maxRetries?: number;
  readonly backoff?: Omit<BackoffPolicy, 'maxRetries'>;
  readonly numberOfShards?: number;
  readonly numberOfReplicas?: number;
  readonly refreshInterval?: string;
  readonly tlsVerify?: boolean;
  readonly ca?: string;
  readonly pipeline?: string;
  readonly clock?: Clock;
  /**
   * Write through each generation's write alias with `require_alias` (see
   * `guardedLine`): a write built for a generation dropped since (a reindex swapped it
   * out) never creates an index; it is dropped as superseded and reported here.
   */
  readonly writeAliases?: boolean;
  /** `index.gc_deletes` set on every generation (how long a delete's version is remembered). */
  readonly gcDeletes?: string;
  /** Writes dropped because their generation is gone (superseded by a newer generation). */
  readonly onGenerationGone?: (index: IndexName, writes: number) => void;
}

export class OpenSearchSink implements Sink {
  readonly name: string;
  private readonly client: Client;
  private readonly prefix: string;
  private readonly layouts = new Map<IndexName, Layout>();
  private buffer: BuiltDocument[] = [];
  private metaReady = false;

  constructor(private readonly o: OpenSearchSinkOptions) {
    this.name = o.name;
    this.prefix = o.prefix ?? '';
    this.client = openSearchClient(o);
  }

  private get meta(): string {
    return `${this.prefix}flusso_meta`;
  }

  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toSinkError(this.name, what, error);
    }
  }

  private async createGeneration(layout: Layout, gen: number): Promise<void> {
    const body = layout.mapping as { settings?: Record<string, unknown>; mappings?: unknown };
    const settings = {
      ...(body.settings ?? {}),
      number_of_shards: this.o.numberOfShards ?? 1,
      number_of_replicas: this.o.numberOfReplicas ?? 1,
      refresh_interval: '-1',
      ...(this.o.gcDeletes ? { gc_deletes: this.o.gcDeletes } : {}),
    };
    const physical = concrete(layout, gen);
    const aliases = this.o.writeAliases ? { [writeAlias(physical)]: {} } : undefined;
    // Another process starting at the same time may create it first (same schema hash,
    // same mapping): that is the generation this one wanted.
    await this.call('create index', () =>
      this.client.indices.create({
        index: physical,
        body: { settings, mappings: body.mappings, ...(aliases ? { aliases } : {}) } as never,
      }),
    ).catch(ignoreExists);
  }

  private async writeMeta(layout: Layout): Promise<void> {
    await this.call('write meta', () =>
      this.client.index({
        index: this.meta,
        id: layout.hashAlias,
        refresh: true,
        body: {
          index: layout.logical,
          hash: layout.hashAlias,
          active_generation: layout.active,
          seeded: layout.seeded,
        },
      }),
    );
  }

  /** The layout `flusso_meta` records for `index` (generation 1, unseeded, when none is recorded). */
  private async readLayout(index: IndexSpec): Promise<Layout> {
    const names = layoutNames(this.prefix, index.name, index.hash);
    const found = await this.call('read meta', () =>
      this.client.get({ index: this.meta, id: names.hashAlias }).catch(notFoundAsNull),
    );
    const source = found?.body._source as { active_generation?: number; seeded?: boolean } | undefined;
    return {
      logical: index.name,
      hashAlias: names.hashAlias,
      alias: names.alias,
      mapping: index.mapping,
      active: source?.active_generation ?? 1,
      seeded: source?.seeded ?? false,
      staged: null,
    };
  }

  /**
   * The recorded layout and whether its live generation exists. Another process's
   * swap records the new generation before it drops the old one, so a generation
   * missing after a stale read is re-read, never recreated beside the new one.
   */
  private async currentLayout(index: IndexSpec): Promise<{ layout: Layout; present: boolean }> {
    let layout = await this.readLayout(index);
    for (;;) {
      const live = concrete(layout, layout.active);
      const exists = await this.call('check index', () => this.client.indices.exists({ index: live }));
      if (exists.body) return { layout, present: true };
      const again = await this.readLayout(index);
      if (again.active === layout.active) return { layout, present: false };
      layout = again;
    }
  }

  async ensureIndex(index: IndexSpec): Promise<void> {
    if (!this.metaReady) {
      const exists = await this.call('check meta', () => this.client.indices.exists({ index: this.meta }));
      if (!exists.body)
        await this.call('create meta', () =>
          this.client.indices.create({ index: this.meta, body: metaMapping as never }),
        ).catch(ignoreExists);
      this.metaReady = true;
    }
    const { layout, present } = await this.currentLayout(index);
    const live = concrete(layout, layout.active);
    if (!present) {
      layout.seeded = false;
      await this.createGeneration(layout, layout.active);
      await this.call('alias', () =>
        this.client.indices.updateAliases({
          body: { actions: [{ add: { index: live, alias: layout.hashAlias } }] },
        }),
      );
      await this.writeMeta(layout);
    }
    // The convenience alias moves to a new schema hash only once it is seeded;
    // before any generation holds it, the first one takes it at once.
    const aliased = await this.call('check alias', () =>
      this.client.indices.existsAlias({ name: layout.alias }),
    );
    if (!aliased.body)
      await this.call('alias', () =>
        this.client.indices.updateAliases({
          body: { actions: [{ add: { index: live, alias: layout.alias } }] },
        }),
      );
    await this.guardGeneration(live);
    // Only superseded generations: a newer one may be staging in another process
    // (Kafka mode's TRUNCATE rebuild); `reindex` recreates it, `markSeeded` drops it.
    await this.dropOtherGenerations(layout, 'older');
    this.layouts.set(index.name, layout);
  }

  /**
   * A generation made before write aliases (or by another process at the same moment)
   * gets its write alias and `gc_deletes` here; both are idempotent.
   */
  private async guardGeneration(physical: string): Promise<void> {
    if (this.o.writeAliases)
      await this.call('write alias', () =>
        this.client.indices.updateAliases({
          body: { actions: [{ add: { index: physical, alias: writeAlias(physical) } }] },
        }),
      );
    if (this.o.gcDeletes)
      await this.call('gc_deletes', () =>
        this.client.indices.putSettings({
          index: physical,
          body: { index: { gc_deletes: this.o.gcDeletes } },
        }),
      );
  }

  write(write: BuiltDocument): void {
    this.buffer.push(write);
  }

  async flush(caughtUp: boolean): Promise<FlushReport> {
    const writes = this.buffer;
    this.buffer = [];
    const generations = new Map<BulkLine, number>();
    const lines = writes.flatMap((w) => {
      const layout = this.layout(w.index);
      return writeGenerations(layout).map((gen) => {
        const physical = concrete(layout, gen);
        const line = this.o.writeAliases ? guardedLine(w, writeAlias(physical)) : bulkLine(w, physical);
        generations.set(line, gen);
        return line;
      });
    });
    const { written, rejections, gone } = await sendLines(this.client, this.name, lines, this.o, caughtUp);
    if (gone.length > 0) {
      const recorded = (index: IndexName) => this.recordedGeneration(this.layout(index));
      const dropped = await supersededWrites(this.name, gone, generations, recorded);
      for (const [index, count] of dropped) this.o.onGenerationGone?.(index, count);
    }
    return { written, rejections: dedupe(rejections) };
  }

  /** The live generation `flusso_meta` records for `layout` (null when none is recorded). */
  private async recordedGeneration(layout: Layout): Promise<number | null> {
    const found = await this.call('read meta', () =>
      this.client.get({ index: this.meta, id: layout.hashAlias }).catch(notFoundAsNull),
    );
    const source = found?.body._source as { active_generation?: number } | undefined;
    return source?.active_generation ?? null;
  }

  async isSeeded(index: IndexName): Promise<boolean> {
    const layout = this.layout(index);
    return layout.staged === null && layout.seeded;
  }

  async markSeeded(index: IndexName): Promise<void> {
    const layout = this.layout(index);
    const gen = layout.staged ?? layout.active;
    const target = concrete(layout, gen);
    await this.call('restore refresh', () =>
      this.client.indices.putSettings({
        index: target,
        body: { index: { refresh_interval: this.o.refreshInterval ?? '10s' } },
      }),
    );
    await this.call('refresh', () => this.client.indices.refresh({ index: target }));
    const current = await this.call('read aliases', () =>
      this.client.indices
        .getAlias({ name: [layout.alias, layout.hashAlias].join(',') })
        .catch(notFoundAsNull),
    );
    const actions: Record<string, unknown>[] = [];
    for (const [physical, value] of Object.entries(
      (current?.body ?? {}) as Record<string, { aliases: Record<string, unknown> }>,
    )) {
      if (physical === target) continue;
      for (const alias of Object.keys(value.aliases))
        if (alias === layout.alias || alias === layout.hashAlias)
          actions.push({ remove: { index: physical, alias } });
    }
    actions.push(
      { add: { index: target, alias: layout.hashAlias } },
      { add: { index: target, alias: layout.alias } },
    );
    await this.call('swap aliases', () => this.client.indices.updateAliases({ body: { actions } as never }));
    layout.active = gen;
    layout.staged = null;
    layout.seeded = true;
    await this.writeMeta(layout);
    await this.dropOtherGenerations(layout);
  }

  async reindex(index: IndexName): Promise<void> {
    const layout = this.layout(index);
    if (layout.staged !== null) return;
    const next = layout.active + 1;
    await this.call('delete stale generation', () =>
      this.client.indices.delete({ index: concrete(layout, next) }).catch(notFoundAsNull),
    );
    await this.createGeneration(layout, next);
    layout.staged = next;
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private layout(index: IndexName): Layout {
    const layout = this.layouts.get(index);
    if (!layout) throw toSinkError(this.name, `index ${index} was never ensured`, new Error('not ensured'));
    return layout;
  }

  /**
   * Superseded or orphaned generations of this schema hash (not live, not staged)
   * are deleted; with `older`, only those below the live one.
   */
  private async dropOtherGenerations(layout: Layout, which: 'all' | 'older' = 'all'): Promise<void> {
    const res = await this.call('list generations', () =>
      this.client.indices.get({ index: `${layout.hashAlias}_*` }).catch(notFoundAsNull),
    );
    const keep = new Set(writeTargets(layout));
    for (const physical of Object.keys((res?.body ?? {}) as Record<string, unknown>)) {
      const gen = /_(\d+)$/.exec(physical);
      if (which === 'older' && gen && Number(gen[1]) > layout.active) continue;
      if (!keep.has(physical) && gen)
        await this.call('drop generation', () =>
          this.client.indices.delete({ index: physical }).catch(notFoundAsNull),
        );
    }
  }
}

/** A write that reached two generations is one rejection for the caller. */
function dedupe(rejections: readonly ItemRejection[]): ItemRejection[] {
  const seen = new Set<string>();
  return rejections.filter((r) => {
    const key = `${r.index}\u0000${r.id}\u0000${r.op}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
