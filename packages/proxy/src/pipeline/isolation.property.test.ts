// JUSTIFY(budget): one file holds every isolation property (mixed traffic and the closed grammar); the generators live in testing/grammar-attacks.fixture.ts.
// Random mixed operations from several tenants, adversarial ones included,
// against the emulator behind the pipeline. Whatever is sent, no response may
// carry another tenant's document, id or field value, and each tenant reads back
// exactly what it wrote (a model kept beside the run).
import { isJsonObject, type JsonValue, type PartitionId, parsePartitionId } from '@flusso/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FOREIGN_QUERIES,
  READS_OTHERS,
  REFUSED_EVERYWHERE,
  refusal,
  SHARED_REFUSED,
} from '../grammar/grammar.fixture.js';
import {
  allowedQuery,
  placed,
  placementHarness,
  plant,
  queryPosition,
} from '../testing/grammar-attacks.fixture.js';
import { type Harness, harness, type Reply } from '../testing/proxy.fixture.js';

const TENANTS = ['acme', 'globex', 'initech'] as const;
type Tenant = (typeof TENANTS)[number];
const INDEXES = ['orders', 'users'] as const;

const tenant = fc.constantFrom(...TENANTS);
const index = fc.constantFrom(...INDEXES);
const docId = fc.constantFrom('1', '2', '3', 'x');

const op = fc.oneof(
  fc.record({ kind: fc.constant('put' as const), tenant, index, id: docId, n: fc.nat(99) }),
  fc.record({
    kind: fc.constant('bulk' as const),
    tenant,
    items: fc.array(fc.tuple(index, docId, fc.nat(99), tenant), { minLength: 1, maxLength: 4 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), tenant, index, id: docId }),
  fc.record({ kind: fc.constant('update' as const), tenant, index, id: docId, n: fc.nat(99) }),
  fc.record({ kind: fc.constant('get' as const), tenant, index, id: docId }),
  fc.record({
    kind: fc.constant('mget' as const),
    tenant,
    ids: fc.array(fc.tuple(index, docId), { minLength: 1, maxLength: 4 }),
  }),
  fc.record({ kind: fc.constant('search' as const), tenant, index, other: tenant, attack: fc.nat(9) }),
  fc.record({ kind: fc.constant('count' as const), tenant, index, other: tenant }),
  fc.record({ kind: fc.constant('msearch' as const), tenant, other: tenant }),
  fc.record({ kind: fc.constant('scroll' as const), tenant, index, thief: tenant }),
  fc.record({ kind: fc.constant('pit' as const), tenant, index, thief: tenant }),
  fc.record({ kind: fc.constant('dbq' as const), tenant, index, other: tenant, all: fc.boolean() }),
);

type Model = Map<Tenant, Map<string, number>>;

function secret(t: string, n: number): string {
  return `SECRET-${t}-${n}`;
}

function attackQuery(other: Tenant, attack: number): JsonValue {
  const physicalIds = INDEXES.flatMap((i) => ['1', '2', '3', 'x'].map((id) => `${other}:${i}:${id}`));
  return [
    { query: { bool: { should: [{ term: { _tenant: other } }], minimum_should_match: 1 } } },
    { query: { term: { tenant_id: other } } },
    { query: { ids: { values: physicalIds } } },
    { query: { match: { label: `SECRET-${other}` } } },
    { suggest: { s: { text: other, term: { field: 'label' } } } },
    { aggs: { g: { global: {}, aggs: { t: { terms: { field: '_tenant' } } } } } },
    { query: { match_all: {} }, _source: ['_tenant', 'label'], docvalue_fields: ['_tenant'] },
    { aggs: { s: { significant_terms: { field: 'label' } } } },
    { search_pipeline: { request_processors: [{ filter_query: { query: { term: { _tenant: other } } } }] } },
    // Aggregations run on what the filtered query matched: buckets and top hits stay the tenant's own.
    {
      size: 0,
      aggs: {
        labels: { terms: { field: 'label.keyword', size: 100 } },
        tenants: { terms: { field: '_tenant' }, aggs: { top: { top_hits: { size: 50 } } } },
      },
    },
  ][attack] as JsonValue;
}

describe('tenant isolation (property)', () => {
  it('no response ever carries another tenant’s document, id or value', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 25 }), async (ops) => {
        const h = harness();
        const model: Model = new Map(TENANTS.map((t) => [t, new Map()]));
        const as = (t: Tenant) => ({
          principal: { id: `app-${t}`, tenant: parsePartitionId(t) as PartitionId },
        });
        const check = (t: Tenant, reply: Reply) => {
          const text = JSON.stringify(reply.body);
          for (const other of TENANTS) {
            if (other === t) continue;
            expect(text).not.toContain(`SECRET-${other}-`);
            expect(text).not.toContain(`${other}:`);
          }
          expect(text).not.toContain('_tenant');
          expect(text).not.toContain('osproxy-shared');
          expect(text).not.toContain('_index_name');
          return reply;
        };
        // Time passing: whatever was written becomes searchable, as after a refresh interval.
        const settle = () => h.upstream.store().refresh([...h.upstream.store().indexes.keys()]);
        const put = (t: Tenant, i: string, id: string, n: number) => model.get(t)?.set(`${i}/${id}`, n);
        for (const o of ops) {
          const t = o.tenant;
          settle();
          switch (o.kind) {
            case 'put': {
              const r = check(
                t,
                await h.send('PUT', `/${o.index}/_doc/${o.id}`, {
                  ...as(t),
                  body: { n: o.n, label: secret(t, o.n) },
                }),
              );
              expect(r.status).toBeLessThan(300);
              put(t, o.index, o.id, o.n);
              break;
            }
            case 'bulk': {
              const ndjson: JsonValue[] = o.items.flatMap(([i, id, n, claimed]): JsonValue[] => [
                { index: { _index: i, _id: id } },
                claimed === t ? { n, label: secret(t, n) } : { n, label: secret(t, n), tenant_id: claimed },
              ]);
              const r = check(t, await h.send('POST', '/_bulk', { ...as(t), ndjson }));
              o.items.forEach(([i, id, n, claimed], position) => {
                const item = Object.values(r.body.items[position])[0] as { status: number };
                if (claimed === t) {
                  expect(item.status).toBeLessThan(300);
                  put(t, i, id, n);
                } else expect(item.status).toBe(403);
              });
              break;
            }
            case 'delete':
              check(t, await h.send('DELETE', `/${o.index}/_doc/${o.id}`, as(t)));
              model.get(t)?.delete(`${o.index}/${o.id}`);
              break;
            case 'update': {
              const r = check(
                t,
                await h.send('POST', `/${o.index}/_update/${o.id}`, {
                  ...as(t),
                  body: { doc: { n: o.n, label: secret(t, o.n) } },
                }),
              );
              if (model.get(t)?.has(`${o.index}/${o.id}`)) put(t, o.index, o.id, o.n);
              else expect(r.status).toBe(404);
              break;
            }
            case 'get': {
              const r = check(t, await h.send('GET', `/${o.index}/_doc/${o.id}`, as(t)));
              const expected = model.get(t)?.get(`${o.index}/${o.id}`);
              expect(r.status).toBe(expected === undefined ? 404 : 200);
              if (expected !== undefined) expect(r.body._source.n).toBe(expected);
              break;
            }
            case 'mget': {
              const docs = o.ids.map(([i, id]) => ({ _index: i, _id: id }));
              const r = check(t, await h.send('POST', '/_mget', { ...as(t), body: { docs } }));
              o.ids.forEach(([i, id], k) => {
                expect(r.body.docs[k].found).toBe(model.get(t)?.has(`${i}/${id}`));
              });
              break;
            }
            case 'search':
              check(
                t,
                await h.send('POST', `/${o.index}/_search`, {
                  ...as(t),
                  body: attackQuery(o.other, o.attack),
                }),
              );
              break;
            case 'count':
              check(
                t,
                await h.send('POST', `/${o.index}/_count`, { ...as(t), body: attackQuery(o.other, 0) }),
              );
              break;
            case 'msearch':
              check(
                t,
                await h.send('POST', '/_msearch', {
                  ...as(t),
                  ndjson: INDEXES.flatMap((i) => [{ index: i, routing: o.other }, attackQuery(o.other, 0)]),
                }),
              );
              break;
            case 'scroll': {
              const first = check(
                t,
                await h.send('POST', `/${o.index}/_search?scroll=1m`, { ...as(t), body: { size: 1 } }),
              );
              const stolen = check(
                o.thief,
                await h.send('POST', '/_search/scroll', {
                  ...as(o.thief),
                  body: { scroll_id: first.body._scroll_id },
                }),
              );
              if (o.thief !== t)
                expect(stolen.body).toEqual({ error: 'cursor_unresolvable', retryable: false });
              break;
            }
            case 'pit': {
              const opened = check(
                t,
                await h.send('POST', `/${o.index}/_search/point_in_time?keep_alive=1m`, as(t)),
              );
              const body = { pit: { id: opened.body.pit_id }, query: attackQuery(o.thief, 0) };
              const used = check(o.thief, await h.send('POST', '/_search', { ...as(o.thief), body }));
              if (o.thief !== t)
                expect(used.body).toEqual({ error: 'cursor_unresolvable', retryable: false });
              break;
            }
            case 'dbq': {
              const query: JsonValue = o.all ? { match_all: {} } : { term: { _tenant: o.other } };
              check(
                t,
                await h.send('POST', `/${o.index}/_delete_by_query?refresh=true`, {
                  ...as(t),
                  body: { query },
                }),
              );
              // A query on the injected field is refused: only `match_all` deletes anything.
              if (o.all) {
                for (const key of [...(model.get(t)?.keys() ?? [])]) {
                  if (key.startsWith(`${o.index}/`)) model.get(t)?.delete(key);
                }
              }
              break;
            }
          }
        }
        // Each tenant reads back exactly its own documents, per logical index.
        settle();
        for (const t of TENANTS) {
          for (const i of INDEXES) {
            const r = check(t, await h.send('POST', `/${i}/_search`, { ...as(t), body: { size: 100 } }));
            const seen = Object.fromEntries(
              r.body.hits.hits.map((x: { _id: string; _source: { n: number } }) => [x._id, x._source.n]),
            );
            const expected = Object.fromEntries(
              [...(model.get(t) ?? [])]
                .filter(([k]) => k.startsWith(`${i}/`))
                .map(([k, n]) => [k.slice(i.length + 1), n]),
            );
            expect(seen).toEqual(expected);
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('tenant isolation: the closed grammar (property)', () => {
  const endpoint = fc.constantFrom('search', 'count', 'delete_by_query', 'msearch', 'scroll');
  const mode = fc.constantFrom<'shared' | 'dedicated'>('shared', 'dedicated');

  /** Whether any upstream call carried `construct` (sent bytes are the client's, so it would show verbatim). */
  function reachedUpstream(h: Harness, construct: JsonValue, kind: string): boolean {
    // Its members without the braces: a construct merged into a body shows that way.
    const needle = JSON.stringify(construct).slice(1, -1);
    if (kind !== 'msearch' && h.upstream.ops.length > 0) return true;
    return h.upstream.ops.some(
      (op) => op.body !== null && new TextDecoder().decode(op.body).includes(needle),
    );
  }

  async function attempt(h: Harness, kind: string, body: JsonValue): Promise<number> {
    const as = { principal: { id: 'app-acme', tenant: parsePartitionId('acme') } };
    if (kind === 'msearch') {
      // Beside a pair that is fine: that one runs, the refused one answers 400 in its place.
      const ndjson = [{ index: 'orders' }, { query: { match_all: {} } }, { index: 'orders' }, body];
      const r = await h.send('POST', '/_msearch', { ...as, ndjson });
      expect(r.body.responses[0].status).not.toBe(400);
      return r.body.responses[1].status;
    }
    const query = isJsonObject(body) ? (body.query ?? { match_all: {} }) : {};
    const path = {
      search: '/orders/_search',
      scroll: '/orders/_search?scroll=1m',
      count: '/orders/_count',
      delete_by_query: '/orders/_delete_by_query',
    }[kind] as string;
    // `_count` and `_delete_by_query` take a query only: the planted query goes there.
    const sent = kind === 'search' || kind === 'scroll' ? body : { query };
    const r = await h.send('POST', path, { ...as, body: sent });
    expect(r.body).toEqual({ error: 'malformed_request', retryable: false });
    return r.status;
  }

  it('refuses what reads other documents, planted anywhere in a grammar query, in every placement, before dispatch', async () => {
    await fc.assert(
      fc.asyncProperty(
        allowedQuery,
        fc.constantFrom(...Object.values(READS_OTHERS)),
        fc.nat(),
        queryPosition,
        endpoint,
        mode,
        async (query, construct, k, position, kind, placement) => {
          const h = placementHarness(placement);
          const planted = plant(query, construct, k);
          const body =
            kind === 'count' || kind === 'delete_by_query' ? { query: planted } : placed(position, planted);
          expect(await attempt(h, kind, body)).toBe(400);
          expect(reachedUpstream(h, construct, kind)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses foreign fields and shard-wide statistics on a shared index, before dispatch', async () => {
    const sharedOnly = [...Object.values(SHARED_REFUSED), ...Object.values(REFUSED_EVERYWHERE)];
    await fc.assert(
      fc.asyncProperty(
        allowedQuery,
        fc.constantFrom(...Object.values(FOREIGN_QUERIES)),
        fc.constantFrom(...sharedOnly),
        fc.nat(),
        queryPosition,
        fc.constantFrom('search', 'msearch'),
        async (query, foreign, construct, k, position, kind) => {
          const h = placementHarness('shared');
          expect(await attempt(h, kind, placed(position, plant(query, foreign, k)))).toBe(400);
          expect(await attempt(h, kind, { query, ...(construct as object) })).toBe(400);
          expect(reachedUpstream(h, foreign, kind)).toBe(false);
          expect(reachedUpstream(h, construct, kind)).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('accepts every query the grammar generates, in every query position', () => {
    fc.assert(
      fc.property(allowedQuery, queryPosition, (query, position) => {
        expect(refusal(placed(position, query), { shared: false })).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('answers 400, not a crash, to queries nested 1 000 and 100 000 deep', async () => {
    const h = harness();
    for (const depth of [65, 1_000, 100_000]) {
      const raw = `{"query":${'{"bool":{"must":['.repeat(depth)}{"match_all":{}}${']}}'.repeat(depth)}}`;
      const r = await h.send('POST', '/orders/_search', { tenant: 'acme', raw });
      expect(r.status).toBe(400);
      expect(r.body.error).toBe('malformed_request');
    }
    expect(h.upstream.ops).toHaveLength(0);
  });
});
