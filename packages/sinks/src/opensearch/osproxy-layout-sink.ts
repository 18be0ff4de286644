// OsproxyLayoutSink: flusso's OpenSearch sink in osproxy's layout. Documents go
// into the index osproxy reads (shared, or one per logical index), with osproxy's
// ids, routing and injected fields, so a tenant reads them through osproxy. No
// generations or aliases: the physical index is osproxy's. A reindex (or a new
// schema hash, or TRUNCATE) deletes this logical index's documents by query and
// backfills; a document whose tenant changed, or a deleted one, is removed under
// every other tenant known to hold this logical index (read back real-time by
// `_mget`, so only existing stale copies are deleted).

import type { BuiltDocument, FlushReport, IndexSpec, ItemRejection, Sink } from '@flusso/core';
import {
  FlussoError,
  type IndexName,
  type OsproxyLayout,
  osproxyLayout,
  stringifyExact,
  tenantDocumentField,
} from '@flusso/core';
import type { Client } from '@opensearch-project/opensearch';
import type { BulkLine } from './bulk-body.js';
import { ignoreExists, notFoundAsNull, openSearchClient } from './client.js';
import { metaMapping } from './index-layout.js';
import type { OsproxyLayoutSinkOptions } from './osproxy-layout-options.js';
import {
  documentTenant,
  type OsproxyPlaced,
  osproxyBulkLine,
  osproxyMapping,
  osproxyPhysicalIndex,
  placeDocument,
  placeId,
} from './osproxy-placement.js';
import { sendLines } from './send-chunk.js';
import { toSinkError } from './transport-errors.js';

interface Logical {
  readonly physical: string;
  readonly metaId: string;
  seeded: boolean;
  /** Tenants that may hold a document of this logical index. */
  readonly tenants: Set<string>;
}

export class OsproxyLayoutSink implements Sink {
  readonly name: string;
  readonly layout: OsproxyLayout;
  private readonly client: Client;
  private readonly logicals = new Map<IndexName, Logical>();
  private buffer: BuiltDocument[] = [];

  constructor(private readonly o: OsproxyLayoutSinkOptions) {
    this.name = o.name;
    this.layout = osproxyLayout(o.layout);
    this.client = openSearchClient(o);
  }

  private get meta(): string {
    return `${this.o.prefix ?? ''}flusso_meta`;
  }

  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toSinkError(this.name, what, error);
    }
  }

  /** Documents of one logical index in its physical index. */
  private scope(index: IndexName): Record<string, unknown> {
    const field = this.layout.indexField;
    return field === undefined ? { match_all: {} } : { term: { [field]: index } };
  }

  async ensureIndex(index: IndexSpec): Promise<void> {
    const properties = (index.mapping.mappings as { properties?: object } | undefined)?.properties ?? {};
    if (!(tenantDocumentField in properties))
      throw new FlussoError(
        'config_invalid',
        `sink ${this.name}: layout osproxy needs a tenant in index ${index.name}`,
        {
          context: { sink: this.name, index: index.name },
        },
      );
    const physical = osproxyPhysicalIndex(this.layout, index.name);
    const body = osproxyMapping(this.layout, index.mapping) as { settings?: object; mappings: object };
    const exists = await this.call('check index', () => this.client.indices.exists({ index: physical }));
    if (!exists.body) {
      const settings = {
        ...(body.settings ?? {}),
        number_of_shards: this.o.numberOfShards ?? 1,
        number_of_replicas: this.o.numberOfReplicas ?? 1,
      };
      await this.call('create index', () =>
        this.client.indices.create({ index: physical, body: { settings, mappings: body.mappings } as never }),
      ).catch(ignoreExists);
    }
    // Another logical index (or osproxy) may own the index: add this schema's fields.
    await this.call('put mapping', () =>
      this.client.indices.putMapping({ index: physical, body: body.mappings as never }),
    );
    await this.ensureMeta();
    const metaId = `osproxy:${physical}:${index.name}_${index.hash}`;
    const found = await this.call('read meta', () =>
      this.client.get({ index: this.meta, id: metaId }).catch(notFoundAsNull),
    );
    const seeded = (found?.body._source as { seeded?: boolean } | undefined)?.seeded ?? false;
    const logical: Logical = { physical, metaId, seeded, tenants: new Set() };
    this.logicals.set(index.name, logical);
    // Not seeded under this schema hash: whatever an older schema wrote goes before the backfill.
    if (!seeded) await this.clear(index.name);
    await this.loadTenants(index.name, logical);
  }

  private async ensureMeta(): Promise<void> {
    const exists = await this.call('check meta', () => this.client.indices.exists({ index: this.meta }));
    if (!exists.body)
      await this.call('create meta', () =>
        this.client.indices.create({ index: this.meta, body: metaMapping as never }),
      ).catch(ignoreExists);
  }

  private async loadTenants(index: IndexName, logical: Logical): Promise<void> {
    await this.call('refresh', () => this.client.indices.refresh({ index: logical.physical }));
    const res = await this.call('list tenants', () =>
      this.client.search({
        index: logical.physical,
        body: {
          size: 0,
          query: this.scope(index),
          aggs: { tenants: { terms: { field: this.layout.tenantField, size: 65_536 } } },
        } as never,
      }),
    );
    const buckets = (res.body.aggregations?.tenants as { buckets?: { key: unknown }[] } | undefined)?.buckets;
    for (const bucket of buckets ?? []) logical.tenants.add(String(bucket.key));
  }

  private async clear(index: IndexName): Promise<void> {
    const logical = this.logical(index);
    await this.call('refresh', () => this.client.indices.refresh({ index: logical.physical }));
    await this.call('delete by query', () =>
      this.client.deleteByQuery({
        index: logical.physical,
        refresh: true,
        conflicts: 'proceed',
        body: { query: this.scope(index) },
      } as never),
    );
  }

  write(write: BuiltDocument): void {
    this.buffer.push(write);
  }

  async flush(caughtUp: boolean): Promise<FlushReport> {
    const writes = this.buffer;
    this.buffer = [];
    const rejections: ItemRejection[] = [];
    const current: BulkLine[] = [];
    for (const write of writes) {
      if (write.op === 'delete') continue;
      const tenant = documentTenant(write.document);
      if (tenant === undefined) {
        rejections.push({
          ...write,
          status: 400,
          type: 'tenant_invalid',
          reason: 'document has no valid tenant',
        });
        continue;
      }
      this.logical(write.index).tenants.add(tenant);
      current.push(osproxyBulkLine(write, placeDocument(this.layout, write, tenant), stringifyExact));
    }
    // Stale copies go first: a moved document is never visible under two tenants after this flush.
    const stale = await this.send(await this.staleCopies(writes), false);
    const fresh = await this.send(current, caughtUp);
    rejections.push(...stale.rejections, ...fresh.rejections);
    const deletes = writes.filter((w) => w.op === 'delete').length;
    return { written: fresh.written + deletes, rejections };
  }

  private send(lines: readonly BulkLine[], refresh: boolean): Promise<FlushReport> {
    return sendLines(this.client, this.name, lines, this.o, refresh);
  }

  /** Delete lines for each existing copy of a written id under a tenant other than its own. */
  private async staleCopies(writes: readonly BuiltDocument[]): Promise<BulkLine[]> {
    const candidates: { write: BuiltDocument; placed: OsproxyPlaced }[] = [];
    for (const write of writes) {
      const own = write.op === 'upsert' ? documentTenant(write.document) : undefined;
      for (const tenant of this.logical(write.index).tenants)
        if (tenant !== own) candidates.push({ write, placed: placeId(this.layout, write, tenant) });
    }
    const found: BulkLine[] = [];
    for (let start = 0; start < candidates.length; start += 1000) {
      const slice = candidates.slice(start, start + 1000);
      const docs = slice.map(({ placed }) => ({
        _index: placed.index,
        _id: placed.id,
        routing: placed.routing,
      }));
      // `_mget` is real-time: it sees copies written since the last refresh.
      const res = await this.call('read stale copies', () =>
        this.client.mget({ body: { docs }, _source: false } as never),
      );
      const results = (res.body as { docs?: { found?: boolean }[] }).docs ?? [];
      results.forEach((doc, i) => {
        const candidate = slice[i];
        if (doc.found === true && candidate)
          found.push(osproxyBulkLine(candidate.write, candidate.placed, stringifyExact));
      });
    }
    return found;
  }

  async isSeeded(index: IndexName): Promise<boolean> {
    return this.logical(index).seeded;
  }

  async markSeeded(index: IndexName): Promise<void> {
    const logical = this.logical(index);
    await this.call('refresh', () => this.client.indices.refresh({ index: logical.physical }));
    logical.seeded = true;
    await this.writeMeta(index, logical);
  }

  async reindex(index: IndexName): Promise<void> {
    const logical = this.logical(index);
    logical.seeded = false;
    await this.writeMeta(index, logical);
    await this.clear(index);
  }

  private async writeMeta(index: IndexName, logical: Logical): Promise<void> {
    await this.call('write meta', () =>
      this.client.index({
        index: this.meta,
        id: logical.metaId,
        refresh: true,
        body: { index, hash: logical.metaId, active_generation: 0, seeded: logical.seeded },
      }),
    );
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private logical(index: IndexName): Logical {
    const logical = this.logicals.get(index);
    if (!logical) throw toSinkError(this.name, `index ${index} was never ensured`, new Error('not ensured'));
    return logical;
  }
}
