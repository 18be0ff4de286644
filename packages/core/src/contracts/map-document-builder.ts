// A DocumentBuilder double over an in-memory "users" table: ids are the key
// values, documents are whatever the table holds now (absent → delete).
import { FlussoError } from '../errors/flusso-error.js';
import { type IndexName, parseColumnName, parseIndexName } from '../names/names.js';
import { type DocumentId, documentIdFromValues } from '../values/document-id.js';
import type { JsonObject } from '../values/json.js';
import type { ChangeEvent, QualifiedTable, RowKey } from './change.js';
import type { SnapshotScope } from './change-capture.js';
import type { BuiltDocument, DocumentBuilder, IndexSpec, Resolution } from './document-builder.js';
import { usersTable } from './scripted-capture.js';

export const usersIndex: IndexName = parseIndexName('users');

export class MapDocumentBuilder implements DocumentBuilder {
  /** Current rows by document id. */
  readonly rows = new Map<string, JsonObject>();
  /** How many times each document id was built. */
  readonly builds = new Map<string, number>();
  /** Collapse every change onto this id (to prove build-once). */
  collapseTo: DocumentId | null = null;
  /** Fail every build with this error, after a moment (a build query on a dropped connection). */
  failBuilds: Error | null = null;
  /**
   * Rows whose data the document query cannot take, by id → SQLSTATE: a build holding
   * one fails whole with `invalid_value`, as the Postgres builder's does (codes only).
   */
  readonly badRows = new Map<string, string>();
  /** How many ids each build call was given, in call order. */
  readonly buildSizes: number[] = [];

  indexes(): readonly IndexSpec[] {
    return [{ name: usersIndex, mapping: { mappings: { dynamic: 'strict' } }, hash: 'abc123' }];
  }

  tables(): readonly QualifiedTable[] {
    return [usersTable];
  }

  async resolve(events: readonly ChangeEvent[]): Promise<Resolution> {
    const ids = new Set<DocumentId>();
    const rebuild = new Set<IndexName>();
    for (const event of events) {
      if (event.kind === 'truncate') rebuild.add(usersIndex);
      else ids.add(this.collapseTo ?? documentIdFromValues(event.key));
    }
    return { documents: new Map([[usersIndex, ids]]), rebuild };
  }

  async build(index: IndexName, ids: readonly DocumentId[]): Promise<readonly BuiltDocument[]> {
    if (this.failBuilds) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw this.failBuilds;
    }
    this.buildSizes.push(ids.length);
    const bad = ids.find((id) => this.badRows.has(id));
    if (bad !== undefined) {
      const sqlstate = this.badRows.get(bad) as string;
      throw new FlussoError('invalid_value', `the document query failed (SQLSTATE ${sqlstate})`, {
        context: { index, pg_code: sqlstate, documents: ids.length },
      });
    }
    return ids.map((id) => {
      this.builds.set(id, (this.builds.get(id) ?? 0) + 1);
      const document = this.rows.get(id);
      return document ? { op: 'upsert', index, id, document } : { op: 'delete', index, id };
    });
  }

  backfillScope(): SnapshotScope {
    return { table: usersTable, keyColumns: [parseColumnName('id')] };
  }

  idsFromKeys(_index: IndexName, keys: readonly RowKey[]): readonly DocumentId[] {
    return keys.map((k) => documentIdFromValues(k));
  }
}
