// PgDocumentBuilder: documents built by SQL from current rows, one query per index
// per chunk; reverse resolution from any included table (old and new parents).

import { createHash } from 'node:crypto';
import type {
  BuiltDocument,
  ChangeEvent,
  DocumentBuilder,
  IndexSpec,
  QualifiedTable,
  Resolution,
  RowKey,
  SnapshotScope,
} from '@flusso/core';
import {
  type DocumentId,
  documentIdFromTexts,
  type ExactObject,
  FlussoError,
  type IndexName,
  type IndexSchema,
  isExactObject,
  keyColumns,
  parseExactJson,
  parseSchemaName,
  parseTableName,
  tableKey,
} from '@flusso/core';
import { asDocumentFailure } from '../errors/pg-data-error.js';
import { asSourceFailure } from '../errors/pg-transient.js';
import { keyValueText } from '../types/key-text.js';
import { type ColumnTypes, columnKey, loadColumnTypes } from '../types/pg-column-type.js';
import { ValueNoteCounter, type ValueNoteCounts } from '../types/value-notes.js';
import { coerceDocument } from './coerce.js';
import { type DocumentQuery, documentQuery } from './document-sql.js';
import { defaultMappingOptions, type MappingOptions } from './index-analysis.js';
import { indexMapping, schemaHash } from './index-mapping.js';
import { collectLinkValues, type LinkTuples, linkParams } from './link-values.js';
import { type Link, resolveLinks } from './resolve-links.js';
import { TextShaper } from './shape-text.js';
import { SqlParams } from './sql-params.js';
import { textUpsert } from './text-document.js';
import { textPlans } from './text-plan.js';

/** The slice of pg.Pool / pg.Client the builder needs. */
export interface Queryable {
  query(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/**
 * A pg.Pool / pg.Client taking a named statement: Postgres parses and plans it once per
 * connection, and later runs send only the values.
 */
export interface NamedQueryable {
  query(config: {
    name: string;
    text: string;
    values: unknown[];
  }): Promise<{ rows: Record<string, unknown>[] }>;
}

export interface BuilderIndex {
  readonly name: IndexName;
  readonly schema: IndexSchema;
}

interface Prepared extends BuilderIndex {
  readonly spec: IndexSpec;
  readonly links: readonly Link[];
  readonly tables: ReadonlySet<string>;
  /** Writes documents straight from the SQL's JSON text; null when the schema needs the object path. */
  readonly shaper: TextShaper | null;
}

export interface PgDocumentBuilderOptions {
  readonly db: Queryable;
  /**
   * The same database taking named statements (usually the same pg.Pool): the build query
   * of each index is then prepared once per connection instead of parsed and planned per
   * chunk. Without it every build query is sent whole.
   */
  readonly named?: NamedQueryable;
  readonly indexes: readonly BuilderIndex[];
  /** Root ids per build query (default 500). */
  readonly chunkSize?: number;
  /** The sinks' text_analysis and auto_subfields (default builtin, on); part of the hash. */
  readonly mapping?: MappingOptions;
  /** Told after a build that sent values as null by rule (NaN/±Infinity, ±infinity dates); counts only. */
  readonly onValueNotes?: (index: IndexName, counts: ValueNoteCounts) => void;
}

export class PgDocumentBuilder implements DocumentBuilder {
  private readonly prepared: Map<string, Prepared>;
  private readonly columnTypes = new Map<string, ColumnTypes>();
  private readonly notes = new ValueNoteCounter();
  private readonly statements = new Map<string, string>();
  private readonly queries = new Map<string, DocumentQuery>();

  constructor(private readonly options: PgDocumentBuilderOptions) {
    this.prepared = new Map(
      options.indexes.map((i) => {
        const links = resolveLinks(i.schema);
        const mapping = options.mapping ?? defaultMappingOptions;
        const spec: IndexSpec = {
          name: i.name,
          mapping: indexMapping(i.schema, mapping),
          hash: schemaHash(i.schema, mapping),
        };
        const plans = textPlans(i.schema.fields);
        const shaper = plans === null ? null : new TextShaper(plans);
        return [i.name, { ...i, spec, links, tables: new Set(links.map((l) => l.table)), shaper }];
      }),
    );
  }

  indexes(): readonly IndexSpec[] {
    return [...this.prepared.values()].map((p) => p.spec);
  }

  tables(): readonly QualifiedTable[] {
    const all = new Set<string>();
    for (const p of this.prepared.values()) for (const t of p.tables) all.add(t);
    return [...all].sort().map((t) => {
      const [schema, name] = t.split('.');
      return { schema: parseSchemaName(schema ?? 'public'), table: parseTableName(name ?? '') };
    });
  }

  async resolve(events: readonly ChangeEvent[]): Promise<Resolution> {
    const documents = new Map<IndexName, Set<DocumentId>>();
    const rebuild = new Set<IndexName>();
    for (const index of this.prepared.values()) {
      const ids = new Set<DocumentId>();
      const values: LinkTuples = new Map();
      for (const event of events) {
        if (event.kind === 'truncate') {
          if (event.tables.some((t) => index.tables.has(tableKey(t)))) rebuild.add(index.name);
          continue;
        }
        const table = tableKey(event.table);
        if (!index.tables.has(table)) continue;
        for (const link of index.links) if (link.table === table) collectLinkValues(event, link, values);
      }
      for (const [link, tuples] of values) {
        if (link.sql === null) for (const t of tuples.values()) ids.add(documentIdFromTexts(t));
        else {
          const res = await this.query('resolve query', link.sql, linkParams(link, tuples.values()));
          for (const row of res.rows) ids.add(documentIdFromTexts([String(row.id)]));
        }
      }
      documents.set(index.name, ids);
    }
    return { documents, rebuild };
  }

  async build(index: IndexName, ids: readonly DocumentId[]): Promise<readonly BuiltDocument[]> {
    const p = this.index(index);
    const types = await this.types(p);
    const query = this.documentQuery(p, types);
    const out: BuiltDocument[] = [];
    const notes = new ValueNoteCounter();
    const size = this.options.chunkSize ?? 500;
    for (let i = 0; i < ids.length; i += size) {
      const chunk = ids.slice(i, i + size);
      // A failure on one row's data fails the chunk as `invalid_value`: the engine splits it.
      const res = await this.query('build query', query.text, [chunk, ...query.params], true).catch(
        (error: unknown) => {
          throw asDocumentFailure(index, chunk.length, error);
        },
      );
      const found = new Map(res.rows.map((row) => [String(row.id), row]));
      for (const id of chunk) {
        const row = found.get(id);
        if (!row || row.deleted === true) {
          out.push({ op: 'delete', index, id });
          continue;
        }
        // The document's text as the bulk body carries it, without building objects;
        // the object path when the text is not what the SQL promises (it reports why).
        const text = typeof row.doc === 'string' ? p.shaper?.shape(row.doc, notes) : null;
        out.push(
          typeof text === 'string'
            ? textUpsert(index, id, text)
            : {
                op: 'upsert',
                index,
                id,
                document: coerceDocument(p.schema.fields, parseDoc(row.doc), notes),
              },
        );
      }
    }
    this.report(index, notes.snapshot());
    return out;
  }

  private report(index: IndexName, counts: ValueNoteCounts): void {
    if (counts.non_finite_number + counts.infinite_date === 0) return;
    this.notes.add(counts);
    this.options.onValueNotes?.(index, counts);
  }

  /** NaN/±Infinity numbers and ±infinity dates sent as null since the last call (then zero). */
  drainValueNotes(): ValueNoteCounts {
    return this.notes.drain();
  }

  backfillScope(index: IndexName): SnapshotScope {
    const s = this.index(index).schema;
    return {
      table: { schema: parseSchemaName(s.schema), table: parseTableName(s.table) },
      keyColumns: keyColumns(s.primaryKey) as never[],
    };
  }

  idsFromKeys(_index: IndexName, keys: readonly RowKey[]): readonly DocumentId[] {
    return keys.map((k) => documentIdFromTexts(k.map(keyText)));
  }

  /** A query whose lost connection surfaces as a retryable `source_failed`. */
  private async query(
    what: string,
    text: string,
    params: unknown[],
    reused = false,
  ): ReturnType<Queryable['query']> {
    const named = reused ? this.options.named : undefined;
    try {
      if (named) return await named.query({ name: this.statementName(text), text, values: params });
      return await this.options.db.query(text, params);
    } catch (error) {
      throw asSourceFailure(what, error);
    }
  }

  /** The index's build query, written once (its column types are loaded once too). */
  private documentQuery(p: Prepared, types: ColumnTypes): DocumentQuery {
    let query = this.queries.get(p.name);
    if (query === undefined) {
      query = documentQuery(p.schema, rootKeyTypes(p.schema, types), new SqlParams(1), types);
      this.queries.set(p.name, query);
    }
    return query;
  }

  /** One statement name per distinct query text (a schema's build query is always the same). */
  private statementName(text: string): string {
    let name = this.statements.get(text);
    if (name === undefined) {
      name = `flusso_build_${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
      this.statements.set(text, name);
    }
    return name;
  }

  private index(name: IndexName): Prepared {
    const p = this.prepared.get(name);
    if (!p) throw new FlussoError('config_invalid', `unknown index ${name}`, { context: { index: name } });
    return p;
  }

  /** Catalog types of every column the index reads, loaded once. */
  private async types(p: Prepared): Promise<ColumnTypes> {
    const cached = this.columnTypes.get(p.name);
    if (cached) return cached;
    try {
      const types = await loadColumnTypes(this.options.db, [...p.tables]);
      this.columnTypes.set(p.name, types);
      return types;
    } catch (error) {
      throw asSourceFailure('column type query', error);
    }
  }
}

/** The root key columns' catalog types, in key order (ids are cast to them). */
function rootKeyTypes(schema: IndexSchema, types: ColumnTypes): string[] {
  return keyColumns(schema.primaryKey).map((c) => {
    const type = types.get(columnKey(schema.schema, schema.table, c))?.declared;
    if (type === undefined)
      throw new FlussoError(
        'schema_invalid',
        `${schema.schema}.${schema.table}.${c}: primary key column not found`,
      );
    return type;
  });
}

/** One key part's id text; a primary key has no NULL part. */
function keyText(value: RowKey[number], position: number): string {
  const text = keyValueText(value);
  if (text === null)
    throw new FlussoError('invalid_value', `key column ${position} is null; primary keys cannot be null`, {
      context: { position },
    });
  return text;
}

/** The document's JSON text, read without letting any number pass through a double. */
function parseDoc(doc: unknown): ExactObject {
  const parsed = typeof doc === 'string' ? parseExactJson(doc) : null;
  if (!isExactObject(parsed ?? undefined))
    throw new FlussoError('invalid_value', 'the document query returned a non-object document');
  return parsed as ExactObject;
}
