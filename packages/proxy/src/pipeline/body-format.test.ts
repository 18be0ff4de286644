// The proxy screens and rewrites bodies as JSON and reshapes JSON replies. A body
// declared in another of OpenSearch's formats (YAML, CBOR, SMILE) would be read by
// the cluster as something other than what the grammar saw, and a reply asked for
// in one could not be reshaped: so such a body is refused before dispatch, and the
// client's content-type and accept never reach the cluster on a tenancy endpoint.
import { type PartitionId, parsePartitionId } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { harness } from '../testing/proxy.fixture.js';

const as = (tenant: string) => ({
  principal: { id: `app-${tenant}`, tenant: parsePartitionId(tenant) as PartitionId },
});

// One request per tenancy endpoint that takes a body.
const WITH_BODY: readonly [string, string, string][] = [
  ['PUT', '/orders/_doc/1', '{"v":1}'],
  ['POST', '/orders/_doc', '{"v":1}'],
  ['PUT', '/orders/_create/2', '{"v":1}'],
  ['POST', '/orders/_update/1', '{"doc":{"v":2}}'],
  ['POST', '/orders/_search', '{"query":{"match_all":{}}}'],
  ['POST', '/orders/_count', '{"query":{"match_all":{}}}'],
  ['POST', '/orders/_delete_by_query', '{"query":{"match_all":{}}}'],
  ['POST', '/_bulk', '{"index":{"_index":"orders","_id":"3"}}\n{"v":1}\n'],
  ['POST', '/_mget', '{"docs":[{"_index":"orders","_id":"1"}]}'],
  ['POST', '/_msearch', '{"index":"orders"}\n{"query":{"match_all":{}}}\n'],
];

const FORMATS = ['application/yaml', 'application/cbor', 'application/smile', 'application/x-jackson-smile'];

describe('request body formats on tenancy endpoints', () => {
  for (const [method, path, raw] of WITH_BODY) {
    for (const type of FORMATS) {
      it(`refuses ${method} ${path} declared ${type} with 415 before dispatch`, async () => {
        const h = harness();
        const r = await h.send(method, path, { ...as('acme'), raw, headers: { 'content-type': type } });
        expect(r.status).toBe(415);
        expect(r.body).toEqual({ error: 'unsupported_media_type', retryable: false });
        expect(h.upstream.ops).toEqual([]);
      });
    }

    it(`${method} ${path}: the client's content-type and accept never reach the cluster`, async () => {
      const h = harness();
      await h.send(method, path, {
        ...as('acme'),
        raw,
        headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/yaml' },
      });
      expect(h.upstream.ops.length).toBeGreaterThan(0);
      for (const op of h.upstream.ops) {
        expect(op.headers['content-type']).toBeUndefined();
        expect(op.headers.accept).toBeUndefined();
      }
    });
  }

  it('answers a GET without a body whatever it declares, and relays no accept', async () => {
    const h = harness();
    await h.send('PUT', '/orders/_doc/1?refresh=true', { ...as('acme'), body: { v: 1 } });
    const r = await h.send('GET', '/orders/_doc/1', {
      ...as('acme'),
      headers: { 'content-type': 'application/yaml', accept: 'application/cbor' },
    });
    expect(r.status).toBe(200);
    expect(r.body._source).toEqual({ v: 1 });
    expect(h.upstream.ops.at(-1)?.headers.accept).toBeUndefined();
  });

  it('relays an operator’s admin request with its own accept', async () => {
    const h = harness();
    await h.send('GET', '/_cat/indices?format=json', {
      principal: { id: 'ops' },
      headers: { accept: 'application/yaml' },
    });
    expect(h.upstream.ops.at(-1)?.headers.accept).toBe('application/yaml');
  });
});
