// Generators for the grammar's isolation property: queries built from the
// grammar's own clauses, and the same queries with a refused construct planted
// at a random leaf, placed at a random query position of a search body.
import { type JsonValue, type Placement, parseClusterId, parsePartitionId } from '@flusso/core';
import fc from 'fast-check';
import { QUERY_POSITIONS } from '../grammar/grammar.fixture.js';
import { InMemoryPlacementTable } from '../placement/in-memory-placement-table.js';
import { ReferenceTenancy } from '../tenancy/reference-tenancy.js';
import { type Harness, harness } from './proxy.fixture.js';

const LEAVES: JsonValue[] = [
  { match_all: {} },
  { term: { label: 'x' } },
  { terms: { label: ['a', 'b'] } },
  { match: { label: 'SECRET' } },
  { range: { n: { gte: 1, lte: 99 } } },
  { exists: { field: 'n' } },
  { ids: { values: ['1', '2'] } },
  { prefix: { label: 'SEC' } },
];

/** A query tree made only of clauses the grammar allows. */
export const allowedQuery: fc.Arbitrary<JsonValue> = fc.letrec<{ q: JsonValue }>((tie) => ({
  q: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...LEAVES),
    fc
      .record({ must: fc.array(tie('q'), { maxLength: 2 }), filter: fc.array(tie('q'), { maxLength: 2 }) })
      .map((bool): JsonValue => ({ bool })),
    tie('q').map((filter): JsonValue => ({ constant_score: { filter } })),
    fc
      .array(tie('q'), { minLength: 1, maxLength: 2 })
      .map((queries): JsonValue => ({ dis_max: { queries } })),
    tie('q').map(
      (query): JsonValue => ({ function_score: { query, functions: [{ filter: query, weight: 2 }] } }),
    ),
  ),
})).q;

type Clause = Record<string, JsonValue>;

/** `query` with each leaf clause replaced by `fn(leaf)` (the generator's compound shapes only). */
function mapLeaves(query: JsonValue, fn: (leaf: JsonValue) => JsonValue): JsonValue {
  const [name, raw] = Object.entries(query as Clause)[0] ?? ['', null];
  const body = raw as Clause;
  const each = (list: JsonValue | undefined) => ((list ?? []) as JsonValue[]).map((q) => mapLeaves(q, fn));
  switch (name) {
    case 'bool':
      return { bool: { must: each(body.must), filter: each(body.filter) } };
    case 'constant_score':
      return { constant_score: { filter: mapLeaves(body.filter ?? null, fn) } };
    case 'dis_max':
      return { dis_max: { queries: each(body.queries) } };
    case 'function_score': {
      const functions = (body.functions as Clause[]).map((f) => ({
        ...f,
        filter: mapLeaves(f.filter ?? null, fn),
      }));
      return { function_score: { query: mapLeaves(body.query ?? null, fn), functions } };
    }
    default:
      return fn(query);
  }
}

/** `query` with its `k`-th leaf (modulo the leaf count) replaced by `planted`. */
export function plant(query: JsonValue, planted: JsonValue, k: number): JsonValue {
  let leaves = 0;
  mapLeaves(query, (leaf) => {
    leaves += 1;
    return leaf;
  });
  if (leaves === 0) return { bool: { must: [query, planted] } };
  let seen = 0;
  return mapLeaves(query, (leaf) => (seen++ === k % leaves ? planted : leaf));
}

export const queryPosition = fc.constantFrom(...Object.keys(QUERY_POSITIONS));

/** A search body with `query` at `position`. */
export function placed(position: string, query: JsonValue): JsonValue {
  const place = QUERY_POSITIONS[position];
  if (place === undefined) throw new Error(`no query position ${position}`);
  return place(query);
}

/** A pipeline where acme is on a dedicated index or on the shared one. */
export function placementHarness(mode: 'shared' | 'dedicated'): Harness {
  if (mode === 'shared') return harness();
  const placement: Placement = {
    mode: 'DedicatedIndex',
    cluster: parseClusterId('default'),
    indexTemplate: '{index}-{partition}',
  };
  const placements = new InMemoryPlacementTable({
    entries: new Map([[parsePartitionId('acme'), placement]]),
  });
  return harness({ tenancy: new ReferenceTenancy({ placements }) });
}
