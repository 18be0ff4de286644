import { describe, expect, it } from 'vitest';
import { classify } from './classify.js';

const options = { adminPrefixes: ['/_cat/', '/_cluster/', '/_nodes/'], passthroughPrefixes: ['legacy-'] };
const kind = (method: string, path: string, query: Record<string, string> = {}) =>
  classify({ method, path, query }, options);

describe('classify', () => {
  it.each([
    ['POST', '/orders/_doc', { kind: 'IngestDoc', index: 'orders', create: false }],
    ['PUT', '/orders/_doc/7', { kind: 'IngestDoc', index: 'orders', id: '7', create: false }],
    ['PUT', '/orders/_create/7', { kind: 'IngestDoc', index: 'orders', id: '7', create: true }],
    ['POST', '/orders/_update/7', { kind: 'UpdateById', index: 'orders', id: '7' }],
    ['GET', '/orders/_doc/a%3Ab', { kind: 'GetById', index: 'orders', id: 'a:b', head: false }],
    ['HEAD', '/orders/_doc/7', { kind: 'GetById', head: true }],
    ['DELETE', '/orders/_doc/7', { kind: 'DeleteById', id: '7' }],
    ['GET', '/orders/_search', { kind: 'Search', index: 'orders' }],
    ['POST', '/orders/_count', { kind: 'Count' }],
    ['POST', '/orders/_delete_by_query', { kind: 'DeleteByQuery' }],
    ['POST', '/_bulk', { kind: 'IngestBulk' }],
    ['PUT', '/orders/_bulk', { kind: 'IngestBulk', index: 'orders' }],
    ['POST', '/_mget', { kind: 'MultiGet' }],
    ['GET', '/orders/_msearch', { kind: 'MultiSearch', index: 'orders' }],
    ['POST', '/orders/_search/point_in_time', { kind: 'Cursor', action: 'pit_open', index: 'orders' }],
    ['POST', '/_search', { kind: 'Cursor', action: 'pit_search' }],
    ['DELETE', '/_search/point_in_time', { kind: 'Cursor', action: 'pit_close' }],
    ['POST', '/_search/scroll', { kind: 'Cursor', action: 'scroll' }],
    ['GET', '/_search/scroll/abc', { kind: 'Cursor', action: 'scroll', pathCursor: 'abc' }],
    ['DELETE', '/_search/scroll', { kind: 'Cursor', action: 'scroll_clear' }],
    ['GET', '/_cat/indices', { kind: 'Admin' }],
    ['GET', '/_cluster/health', { kind: 'Admin' }],
    ['GET', '/legacy-logs/_search', { kind: 'Passthrough', segments: ['legacy-logs', '_search'] }],
    ['GET', '/legacy-x,osproxy-shared/_search', { kind: 'Passthrough' }],
    ['GET', '/osproxy-shared,legacy-x/_search', { kind: 'Passthrough' }],
    ['GET', '/%3Clegacy-x-%7Bnow%7D%3E/_search', { kind: 'Passthrough' }],
    ['DELETE', '/orders', { kind: 'Unknown' }],
    ['POST', '/orders/_rollover', { kind: 'Unknown' }],
    ['GET', '/_all/_search', { kind: 'Unknown' }],
    ['GET', '/Orders/_search', { kind: 'Unknown' }],
    ['PATCH', '/orders/_doc/1', { kind: 'Unknown' }],
    ['GET', '/orders/_doc/1/extra', { kind: 'Unknown' }],
  ])('%s %s', (method, path, expected) => {
    expect(kind(method, path)).toMatchObject(expected);
  });

  it('reads op_type=create as _create', () => {
    expect(kind('PUT', '/orders/_doc/1', { op_type: 'create' })).toMatchObject({ create: true });
  });

  it.each([
    '/orders/../_cat/indices',
    '/orders/%2e%2e/x',
    '/orders/_doc/%252e%252e',
    '/./orders/_search',
    '/orders/_doc/a%2Fb',
    '/_cat/../orders',
  ])('refuses traversal in %s', (path) => {
    expect(() => kind('GET', path)).toThrowError(expect.objectContaining({ code: 'malformed_request' }));
  });
});
