// The columns of each table a change must carry for resolution to find every document it
// touches: the link columns of every index (keys, foreign keys, junction keys). Documents
// are rebuilt from current rows, so no other value of a change is ever read; the capture
// steps over the rest instead of decoding it (the key and replica identity always stay).
import type { IndexSchema } from '@flusso/core';
import { resolveLinks } from './resolve-links.js';

/** `schema.table` → the columns resolution reads from its changes. */
export type ChangeColumns = ReadonlyMap<string, ReadonlySet<string>>;

export function changeColumns(schemas: readonly IndexSchema[]): ChangeColumns {
  const out = new Map<string, Set<string>>();
  for (const schema of schemas)
    for (const link of resolveLinks(schema)) {
      let columns = out.get(link.table);
      if (!columns) {
        columns = new Set();
        out.set(link.table, columns);
      }
      for (const column of link.columns) columns.add(column);
    }
  return out;
}

const NONE: ReadonlySet<string> = new Set();

/** A table no index reads (a shared publication's) needs nothing beyond its key. */
export function neededColumns(columns: ChangeColumns, table: string): ReadonlySet<string> {
  return columns.get(table) ?? NONE;
}
