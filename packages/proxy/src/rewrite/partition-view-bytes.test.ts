// A view's upstream bytes for search bodies and documents (spliced where it can)
// against the tree path (screen, wrap or inject, emit) for the bodies clients send.
import { parseIndexName, parsePartitionId } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { encodeNode, readObjectBody } from '../json/body.js';
import { ReferenceTenancy } from '../tenancy/reference-tenancy.js';
import { docIdCodec } from './doc-id.js';
import { PartitionView } from './partition-view.js';

const tenancy = new ReferenceTenancy();
const acme = parsePartitionId('acme');
const view = new PartitionView({
  partition: acme,
  placement: tenancy.placementOf(acme).placement,
  logical: parseIndexName('orders'),
  ids: docIdCodec(tenancy.docIdRule),
});
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const bytesOf = (body: string) => new TextEncoder().encode(body);

const SEARCHES = [
  '{"query":{"match":{"msg":"x"}},"size":10}',
  '{"query":{"bool":{"must":[{"match":{"msg":"x"}}],"filter":[{"range":{"n":{"gte":1234567890123456789,"lte":1e400}}},{"term":{"price":1.0}}]}},"size":10}',
  '{"size":-0,"query":{"term":{"msg":"caf\\u00e9"}}}',
  '{"size":1}',
  '{}',
  '{ "query" : { "match_all" : {} } }',
  '{"query":{"term":{"msg":"café"}}}',
  '{"query":{"ids":{"values":["1","2"]}}}',
];

describe('a shared-index view writes search bodies', () => {
  it.each(SEARCHES)('%s as the tree path writes it', (body) => {
    const read = readObjectBody(bytesOf(body));
    const screened = view.screenOnly(read?.node ?? null, 'search');
    const tree = encodeNode(view.screenSearch(read?.node ?? null, 'search') ?? { t: 'o', members: [] }, read);
    expect(text(view.searchBytes(screened, read))).toBe(text(tree));
  });

  it('wraps the query of a body with none in match_all and the filter', () => {
    expect(text(view.searchBytes(null, null))).toBe(
      text(encodeNode(view.screenSearch(null, 'search') ?? { t: 'o', members: [] })),
    );
  });
});

const DOCUMENTS = [
  '{"msg":"x","n":1234567890123456789,"price":1.0,"huge":1e400,"z":-0}',
  '{}',
  '{ "msg" : "x" }',
  '{"msg":"café","ids":[1234567890123456789,9007199254740993]}',
  '{"nested":{"a":[1,2,{"b":null}]},"s":"a\\"b"}',
];

describe('a shared-index view writes documents', () => {
  it.each(DOCUMENTS)('%s as the tree path writes it', (body) => {
    const read = readObjectBody(bytesOf(body), 1);
    if (read === null) throw new Error('empty');
    expect(text(view.documentBytes(read))).toBe(text(encodeNode(view.prepareDocument(read.node), read)));
  });

  it('refuses a document that carries an injected field, spliced or not', () => {
    const read = readObjectBody(bytesOf('{"msg":"x","_tenant":"globex"}'), 1);
    if (read === null) throw new Error('empty');
    expect(() => view.documentBytes(read)).toThrow(expect.objectContaining({ code: 'malformed_request' }));
  });
});
