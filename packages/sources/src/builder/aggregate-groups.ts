// Aggregates of one row over the same related rows (same table, same foreign key or the
// same junction) read those rows once: one LATERAL subquery computes them all, each with
// its own filters as FILTER (WHERE …), instead of one correlated subquery (one index scan)
// each. The same aggregates over the same rows give the same values. A lone aggregate, or
// one with a raw filter (its SQL is the user's: kept where it was written), stays a
// subquery of its own.
import type { AggregateField, Field } from '@flusso/core';

/** Which related rows an aggregate reads: aggregates with the same source share a scan. */
export function aggregateSource(agg: AggregateField): string | null {
  if (agg.filters.some((f) => 'raw' in f)) return null;
  return JSON.stringify([agg.schema, agg.table, agg.through ?? null, agg.through ? null : agg.foreignKey]);
}

/** How many aggregates of the row (its `object` groups included) read each source. */
function sourceCounts(fields: readonly Field[], into = new Map<string, number>()): Map<string, number> {
  for (const field of fields) {
    if (field.kind === 'object') sourceCounts(field.fields, into);
    if (field.kind !== 'aggregate') continue;
    const source = aggregateSource(field);
    if (source !== null) into.set(source, (into.get(source) ?? 0) + 1);
  }
  return into;
}

interface Scan {
  /** The LATERAL's alias (its aggregates are columns of it). */
  readonly alias: string;
  /** `FROM … WHERE <link to the row>`, over `rows`. */
  readonly from: string;
  /** The alias of the related rows inside the scan. */
  readonly rows: string;
}

interface Group extends Scan {
  readonly columns: string[];
}

/** The shared scans of one row (alias): filled while its object is written, then joined. */
export class AggregateGroups {
  private readonly shared: ReadonlySet<string>;
  private readonly groups = new Map<string, Group>();

  constructor(fields: readonly Field[]) {
    this.shared = new Set([...sourceCounts(fields)].filter(([, n]) => n > 1).map(([s]) => s));
  }

  /** Whether `agg` is computed in a shared scan. */
  shares(agg: AggregateField): boolean {
    const source = aggregateSource(agg);
    return source !== null && this.shared.has(source);
  }

  /** `agg`'s shared scan, made by `open` the first time its source is seen. */
  scan(agg: AggregateField, open: () => Scan): Scan {
    const source = aggregateSource(agg) ?? '';
    let group = this.groups.get(source);
    if (!group) {
      group = { ...open(), columns: [] };
      this.groups.set(source, group);
    }
    return group;
  }

  /** Adds `expr` (an aggregate over the scan's rows) to `agg`'s scan; returns its reference. */
  add(agg: AggregateField, expr: string): string {
    const group = this.groups.get(aggregateSource(agg) ?? '');
    if (!group) throw new TypeError('aggregate added before its scan was opened');
    const name = `a${group.columns.length + 1}`;
    group.columns.push(`${expr} AS ${name}`);
    return `${group.alias}.${name}`;
  }

  /** ` CROSS JOIN LATERAL (…) alias` per shared scan: each yields exactly one row. */
  laterals(): string {
    return [...this.groups.values()]
      .map((g) => ` CROSS JOIN LATERAL (SELECT ${g.columns.join(', ')} ${g.from}) ${g.alias}`)
      .join('');
  }
}
