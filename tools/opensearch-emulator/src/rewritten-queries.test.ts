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
  call('PUT', '/docs/_doc/1', { tag: 'red', text: 'quick brown fox' }, 'refresh=true');
  call('PUT', '/docs/_doc/2', { tag: 'blue', text: 'lazy dog' }, 'refresh=true');
  call('PUT', '/lists/_doc/allowed', { tags: ['blue'] }, 'refresh=true');
  const ids = (query: unknown) =>
    (call('POST', '/docs/_search', { query }).body.hits.hits as { _id: string }[]).map((h) => h._id);
  return { call, ids };
}

describe('queries OpenSearch rewrites', () => {
  it('performs a terms lookup, reading the list from another index', () => {
    const { ids } = cluster();
    expect(ids({ terms: { tag: { index: 'lists', id: 'allowed', path: 'tags' } } })).toEqual(['2']);
    expect(ids({ terms: { tag: { index: 'lists', id: 'missing', path: 'tags' } } })).toEqual([]);
  });

  it('decodes and evaluates a wrapper query', () => {
    const { ids } = cluster();
    const inner = Buffer.from(JSON.stringify({ term: { tag: 'red' } })).toString('base64');
    expect(ids({ wrapper: { query: inner } })).toEqual(['1']);
    expect(ids({ bool: { must_not: [{ wrapper: { query: inner } }] } })).toEqual(['2']);
  });

  it('evaluates constant_score and simple_query_string', () => {
    const { ids, call } = cluster();
    expect(ids({ constant_score: { filter: { term: { tag: 'blue' } } } })).toEqual(['2']);
    expect(ids({ simple_query_string: { query: 'fox dog', fields: ['text'] } })).toEqual(['1', '2']);
    expect(ids({ simple_query_string: { query: 'fox -brown' } })).toEqual([]);
    expect(call('POST', '/docs/_search', { query: { constant_score: {} } }).status).toBe(400);
  });
});
