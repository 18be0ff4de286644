import type { JsonValue } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import {
  ALLOWED,
  FOREIGN_QUERIES,
  QUERY_POSITIONS,
  READS_OTHERS,
  REFUSED_EVERYWHERE,
  refusal,
  SHARED_REFUSED,
  screen,
} from './grammar.fixture.js';

describe('query grammar: what reads other documents is refused', () => {
  for (const [position, place] of Object.entries(QUERY_POSITIONS)) {
    for (const [construct, query] of Object.entries(READS_OTHERS)) {
      it(`refuses ${construct} in ${position} (shared and dedicated)`, () => {
        for (const shared of [true, false]) {
          const refused = refusal(place(query), { shared });
          // The background filter of significant_terms is refused first on a shared index.
          expect(refused?.status).toBe(400);
        }
      });
    }
    for (const [construct, query] of Object.entries(ALLOWED)) {
      it(`accepts ${construct} in ${position} on a dedicated index`, () => {
        expect(refusal(place(query), { shared: false })).toBeUndefined();
      });
    }
  }
});

describe('query grammar: fields a shared-index tenant does not own', () => {
  for (const [position, place] of Object.entries(QUERY_POSITIONS)) {
    for (const [construct, query] of Object.entries(FOREIGN_QUERIES)) {
      it(`refuses ${construct} in ${position}`, () => {
        expect(refusal(place(query))?.status).toBe(400);
      });
    }
  }

  it('accepts them on a dedicated index, where every field is the tenant’s', () => {
    expect(refusal({ query: { term: { _index: 'orders' } } }, { shared: false })).toBeUndefined();
  });

  it('refuses `_index` wherever a dedicated index has a physical name of its own', () => {
    const renamed = { shared: false, renamed: true };
    expect(refusal({ aggs: { i: { terms: { field: '_index' } } } }, renamed)).toMatchObject({
      rule: 'foreign_field',
    });
    expect(refusal({ sort: ['_index'] }, renamed)).toMatchObject({ rule: 'foreign_field' });
    expect(refusal({ sort: ['_id'], aggs: { g: { global: {} } } }, renamed)).toBeUndefined();
  });
});

describe('search grammar: positions other than queries', () => {
  for (const [construct, body] of Object.entries(SHARED_REFUSED)) {
    it(`refuses ${construct} on a shared index and accepts it on a dedicated one`, () => {
      expect(refusal(body)?.status).toBe(400);
      expect(refusal(body, { shared: false })).toBeUndefined();
    });
  }
  for (const [construct, body] of Object.entries(REFUSED_EVERYWHERE)) {
    it(`refuses ${construct} in every placement`, () => {
      expect(refusal(body)?.status).toBe(400);
      expect(refusal(body, { shared: false })?.status).toBe(400);
    });
  }

  it('reads a script’s doc access: literal names pass, computed ones are refused on a shared index', () => {
    const script = (source: string) => ({
      script_fields: { x: { script: { source, params: { f: '_id' } } } },
    });
    for (const ok of [
      "doc['n'].value * 2",
      'doc["n"].size() == 0 ? 0 : doc["n"].value',
      "doc.containsKey('n') && doc.get('n').size() > 0",
      'doc.n.value',
      "params._source.title + ' ' + params.f",
      'my_doc.value + docs',
    ])
      expect(refusal(script(ok)), ok).toBeUndefined();
    for (const computed of [
      'doc[params.f].value',
      "doc['_' + 'id'].value",
      'doc.get(params.f)',
      'def d = doc; d[params.f]',
      'doc .get( params["f"] )',
      "doc[ 'a\\'b' ]",
    ]) {
      expect(refusal(script(computed)), computed).toMatchObject({ rule: 'foreign_field' });
      expect(refusal(script(computed), { shared: false }), computed).toBeUndefined();
    }
  });

  it('reads a script’s params: literal names pass; the lookup behind params.doc, params._doc and params._fields does not', () => {
    const script = (source: string) => ({
      script_fields: { x: { script: { source, params: { f: '_id', k: '_doc' } } } },
    });
    for (const ok of [
      'params.f',
      'params[\'f\'] + params["k"]',
      "params.get('f')",
      "params.containsKey('f') ? params.f.length() : 0",
      'params._source.title',
      'params.f.length() + params.documents',
      'myparams.x + params_list',
    ])
      expect(refusal(script(ok)), ok).toBeUndefined();
    for (const lookup of [
      'params._doc[params.f].value',
      'params.doc[params.f].value',
      "params['_doc'][params.f].value",
      'params.get("doc").get(params.f)',
      'params._fields[params.f].value',
      'params[params.k][params.f].value',
      'def p = params; p._doc[p.f].value',
      'params . _doc [ params.f ]',
      'params.keySet().size()',
      'getDoc()[params.f].value',
      'getParams().get(params.k)',
    ]) {
      expect(refusal(script(lookup)), lookup).toMatchObject({ rule: 'foreign_field' });
      expect(refusal(script(lookup), { shared: false }), lookup).toBeUndefined();
    }
  });

  it('reads query_string syntax for the fields it names', () => {
    const qs = (query: string) => ({ query: { query_string: { query } } });
    for (const ok of ['title:x AND body:"_id:y"', 'a\\:_id', '/_index:.*/', 'user_id:3 OR _idx:4', 'x'])
      expect(refusal(qs(ok)), ok).toBeUndefined();
    for (const foreign of [
      '_index:osproxy-shared',
      'x OR (_id:acme*)',
      '\\_routing:g',
      '_exists_:_tenant',
      '_i*:x',
      '+_index_name:(a b)',
    ])
      expect(refusal(qs(foreign)), foreign).toMatchObject({ rule: 'foreign_field' });
  });

  it('reads a script for whole field names only: user_id is not _id', () => {
    const script = (source: string) => ({ script_fields: { x: { script: { source } } } });
    expect(refusal(script("doc['user_id'].value + doc['_tenant_count'].value"))).toBeUndefined();
    expect(refusal(script('doc["_id"].value'))).toMatchObject({ rule: 'foreign_field' });
    expect(refusal(script('params._source._tenant'))).toMatchObject({ rule: 'foreign_field' });
    expect(refusal({ sort: { _script: { type: 'string', script: "doc['_index'].value" } } })).toMatchObject({
      rule: 'foreign_field',
    });
  });

  it('accepts an ordinary search body with aggregations, sort, highlight and collapse', () => {
    const body: JsonValue = {
      query: { bool: { must: [{ match: { v: 'x' } }], filter: [{ range: { n: { gte: 1 } } }] } },
      sort: ['_score', { n: 'desc' }, { price: { order: 'asc', nested: { path: 'items' } } }],
      aggs: {
        by: {
          terms: { field: 'v', min_doc_count: 1 },
          aggs: { top: { top_hits: { size: 1, sort: ['n'] } } },
        },
        h: { date_histogram: { field: 'ts', calendar_interval: 'day', min_doc_count: 0 } },
      },
      highlight: { fields: { v: {} } },
      collapse: { field: 'u', inner_hits: [{ name: 'a', size: 2 }] },
      explain: false,
      track_total_hits: true,
      search_after: [123456789, 'x'],
    };
    expect(refusal(body)).toBeUndefined();
  });

  it('takes only a query (and its scalars) in count and delete-by-query bodies', () => {
    expect(refusal({ query: { match_all: {} }, terminate_after: 3 }, { kind: 'count' })).toBeUndefined();
    expect(refusal({ query: { match_all: {} }, aggs: {} }, { kind: 'count' })?.status).toBe(400);
    expect(refusal({ query: { wrapper: { query: 'e30=' } } }, { kind: 'delete_by_query' })?.status).toBe(400);
    expect(refusal({ query: { match_all: {} }, max_docs: 5 }, { kind: 'delete_by_query' })).toBeUndefined();
  });

  it('finds nothing on the prototype: keys such as constructor or __proto__ are unknown constructs', () => {
    for (const key of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const bodies = [
        JSON.parse(`{"${key}":1}`),
        JSON.parse(`{"query":{"${key}":{}}}`),
        JSON.parse(`{"aggs":{"a":{"${key}":{}}}}`),
        JSON.parse(`{"query":{"match":{"v":"x","${key}":1}}}`),
        JSON.parse(`{"query":{"bool":{"${key}":{"wrapper":{"query":"e30="}}}}}`),
        JSON.parse(`{"sort":[{"_geo_distance":{"${key}":[0,0]}}]}`),
      ];
      for (const body of bodies) {
        for (const shared of [true, false]) {
          const refused = refusal(body, { shared });
          expect(refused === undefined || refused.status === 400).toBe(true);
        }
      }
      expect(refusal(JSON.parse(`{"query":{"bool":{"${key}":{"wrapper":{"query":"e30="}}}}}`))?.status).toBe(
        400,
      );
    }
  });

  it('says why in shape-only words: the rule and a plain construct name, never a value or field', () => {
    expect(refusal({ query: { wrapper: { query: 'c2VjcmV0' } } })).toMatchObject({ construct: 'wrapper' });
    expect(refusal({ query: { terms: { v: { index: 'x', id: '1' } } } })).toMatchObject({
      rule: 'reads_other_documents',
      construct: 'terms_lookup',
    });
    expect(refusal({ sort: ['_id'] })).toMatchObject({ rule: 'foreign_field', construct: 'field' });
    expect(refusal({ 'Weird Key!': 1 })).toMatchObject({ construct: 'unknown' });
  });
});

describe('search grammar: depth', () => {
  const nested = (depth: number): JsonValue => {
    let query: JsonValue = { match_all: {} };
    for (let i = 1; i < depth; i++) query = { bool: { must: [query] } };
    return { query };
  };
  const aggs = (depth: number): JsonValue => {
    let agg: JsonValue = { terms: { field: 'v' } };
    for (let i = 1; i < depth; i++) agg = { terms: { field: 'v' }, aggs: { a: agg } };
    return { aggs: { a: agg } };
  };

  it('accepts nesting up to the limit and refuses one level more', () => {
    expect(refusal(nested(64))).toBeUndefined();
    expect(refusal(nested(65))).toMatchObject({ rule: 'too_deep' });
    expect(refusal(aggs(64))).toBeUndefined();
    expect(refusal(aggs(65))).toMatchObject({ rule: 'too_deep' });
  });

  it('takes its limit from the options', () => {
    expect(refusal(nested(5), { maxDepth: 4 })).toMatchObject({ rule: 'too_deep' });
    expect(refusal(nested(4), { maxDepth: 4 })).toBeUndefined();
  });
});

describe('search grammar: shared-index rewrites', () => {
  it('maps logical ids to physical ones in ids, term and terms queries wherever a query sits', () => {
    for (const place of Object.values(QUERY_POSITIONS)) {
      // Refused first on a shared index: a significant_terms background, a join's other side.
      if (/significant_terms|has_child|has_parent/.test(JSON.stringify(place({})))) continue;
      const out = JSON.stringify(screen(place({ ids: { values: ['7'] } })));
      expect(out).toContain('"acme:orders:7"');
    }
    expect(screen({ query: { term: { _id: '7' } } })).toEqual({ query: { term: { _id: 'acme:orders:7' } } });
    expect(screen({ query: { term: { _id: { value: '7', boost: 2 } } } })).toEqual({
      query: { term: { _id: { value: 'acme:orders:7', boost: 2 } } },
    });
    expect(screen({ query: { terms: { _id: ['1', '2'] } } })).toEqual({
      query: { terms: { _id: ['acme:orders:1', 'acme:orders:2'] } },
    });
    expect(screen({ query: { ids: { values: ['7'] } } }, { shared: false })).toEqual({
      query: { ids: { values: ['7'] } },
    });
  });

  it('keeps the tenancy fields in source filters of the body, inner_hits and top_hits', () => {
    const body = {
      _source: ['v'],
      query: { nested: { path: 'items', query: { match_all: {} }, inner_hits: { _source: ['items.sku'] } } },
      collapse: {
        field: 'user',
        inner_hits: [
          { name: 'last', _source: false },
          { name: 'v', _source: 'v' },
        ],
      },
      aggs: { by: { terms: { field: 'x' }, aggs: { top: { top_hits: { _source: { includes: ['v'] } } } } } },
    };
    const kept = ['_tenant', '_index_name'];
    expect(screen(body)).toEqual({
      _source: ['v', ...kept],
      query: {
        nested: { path: 'items', query: { match_all: {} }, inner_hits: { _source: ['items.sku', ...kept] } },
      },
      collapse: {
        field: 'user',
        inner_hits: [
          { name: 'last', _source: false },
          { name: 'v', _source: ['v', ...kept] },
        ],
      },
      aggs: {
        by: { terms: { field: 'x' }, aggs: { top: { top_hits: { _source: { includes: ['v', ...kept] } } } } },
      },
    });
    expect(screen(body, { shared: false })).toEqual(body);
  });
});
