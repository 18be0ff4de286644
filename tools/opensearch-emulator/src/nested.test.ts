import { describe, expect, it } from 'vitest';
import { dispatch } from './dispatch.js';
import { Faults } from './faults.js';
import { Store } from './store.js';

function cluster() {
  const store = new Store();
  const faults = new Faults();
  const call = (method: string, path: string, body?: unknown, query = '') => {
    const out = dispatch(store, faults, {
      method,
      path,
      query: new URLSearchParams(query),
      text: body === undefined ? '' : JSON.stringify(body),
    });
    return { status: out.status, body: out.body === null ? null : JSON.parse(out.body) };
  };
  const users = { type: 'nested', properties: { first: { type: 'keyword' }, last: { type: 'keyword' } } };
  call('PUT', '/people', { mappings: { properties: { users } } });
  const alice = [
    { first: 'John', last: 'Smith' },
    { first: 'Alice', last: 'White' },
  ];
  call('PUT', '/people/_doc/1', { users: alice }, 'refresh=true');
  call('PUT', '/people/_doc/2', { users: [{ first: 'Alice', last: 'Smith' }] }, 'refresh=true');
  return { call };
}

describe('nested documents', () => {
  it('matches a nested query within one nested object only', () => {
    const { call } = cluster();
    const both = [{ term: { 'users.first': 'Alice' } }, { term: { 'users.last': 'Smith' } }];
    const nested = call('POST', '/people/_search', {
      query: { nested: { path: 'users', query: { bool: { must: both } } } },
    });
    expect(nested.body.hits.hits.map((h: { _id: string }) => h._id)).toEqual(['2']);
    // Without `nested` the two conditions may hold in different objects (object semantics).
    const flat = call('POST', '/people/_search', { query: { bool: { must: both } } });
    expect(flat.body.hits.hits).toHaveLength(2);
  });

  it('counts nested objects in a nested aggregation and shows _nested in top_hits', () => {
    const { call } = cluster();
    const r = call('POST', '/people/_search', {
      size: 0,
      aggs: {
        u: {
          nested: { path: 'users' },
          aggs: { last: { terms: { field: 'users.last' } }, top: { top_hits: { sort: ['users.first'] } } },
        },
      },
    });
    expect(r.body.aggregations.u.doc_count).toBe(3);
    expect(r.body.aggregations.u.last.buckets).toEqual([
      { key: 'Smith', doc_count: 2 },
      { key: 'White', doc_count: 1 },
    ]);
    const first = r.body.aggregations.u.top.hits.hits[0];
    expect(first._nested).toEqual({ field: 'users', offset: 1 });
    expect(first._source).toEqual({ first: 'Alice', last: 'White' });
  });

  it('refuses a document with more nested objects than index.mapping.nested_objects.limit', () => {
    const { call } = cluster();
    call('PUT', '/people/_settings', { index: { mapping: { nested_objects: { limit: 1 } } } });
    const r = call('PUT', '/people/_doc/3', { users: [{ first: 'a' }, { first: 'b' }] });
    expect(r.status).toBe(400);
    expect(r.body.error.reason).toContain('[index.mapping.nested_objects.limit]');
  });
});
