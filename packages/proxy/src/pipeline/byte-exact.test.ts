// Numbers, escapes and key order survive the proxy both ways: what it does not
// change reaches the cluster (and the client) byte for byte.
import { type Placement, parseClusterId, parsePartitionId } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { InMemoryPlacementTable } from '../placement/in-memory-placement-table.js';
import { ReferenceTenancy } from '../tenancy/reference-tenancy.js';
import { EmulatorUpstream } from '../testing/emulator-upstream.fixture.js';
import { harness } from '../testing/proxy.fixture.js';

const decoder = new TextDecoder();
const encoder = new TextEncoder();
const EXACT = '"snow":1234567890123456789,"f":1.0,"e":1e400,"z":-0,"s":"\\u00e9\\n"';

function sentBodies(upstream: EmulatorUpstream): string[] {
  return upstream.ops.map((op) => (op.body === null ? '' : decoder.decode(op.body)));
}

/** An upstream whose replies are replaced by `reply(path)` when it gives one. */
function replying(reply: (path: string) => string | undefined): EmulatorUpstream {
  const upstream = new EmulatorUpstream();
  for (const kind of ['search', 'read', 'write', 'bulk', 'cursor'] as const) {
    const real = upstream[kind];
    upstream[kind] = async (op) => {
      const response = await real(op);
      const text = reply(op.path);
      return text === undefined ? response : { ...response, status: 200, body: encoder.encode(text) };
    };
  }
  return upstream;
}

describe('byte-exact bodies on a shared index', () => {
  it('sends a document as written, the injected fields appended', async () => {
    const h = harness();
    const raw = `{"tenant_id":"acme",${EXACT}}`;
    expect((await h.send('PUT', '/orders/_doc/1', { raw })).status).toBe(201);
    expect(sentBodies(h.upstream).at(-1)).toBe(
      `{"tenant_id":"acme",${EXACT},"_tenant":"acme","_index_name":"orders"}`,
    );
  });

  it('keeps numbers exact in update docs and upserts, bulk source lines and external versions', async () => {
    const h = harness();
    await h.send('POST', '/orders/_update/1', {
      tenant: 'acme',
      raw: `{"doc":{${EXACT}},"doc_as_upsert":true}`,
    });
    expect(sentBodies(h.upstream).at(-1)).toBe(
      `{"doc":{${EXACT},"_tenant":"acme","_index_name":"orders"},"doc_as_upsert":true}`,
    );
    const raw = `{"index":{"_id":"2","version":1234567890123456789,"version_type":"external"}}\n{${EXACT}}\n`;
    await h.send('POST', '/orders/_bulk', { tenant: 'acme', raw });
    const [meta, source] = (sentBodies(h.upstream).at(-1) ?? '').split('\n');
    expect(meta).toContain('"version":1234567890123456789');
    expect(source).toBe(`{${EXACT},"_tenant":"acme","_index_name":"orders"}`);
  });

  it('keeps every untouched member of a search body byte for byte around the wrapped query', async () => {
    const h = harness();
    const raw =
      '{"query":{"range":{"snow":{"gte":1234567890123456789}}},"search_after":[1e400,"\\u00e9"],"size":1.0}';
    // The cluster itself refuses search_after without a sort; the proxy only has to forward it.
    const res = await h.send('POST', '/orders/_search', { tenant: 'acme', raw });
    expect(res.headers['x-osproxy-reason']).toBeUndefined();
    const sent = sentBodies(h.upstream).at(-1) ?? '';
    expect(sent).toContain('{"must":[{"range":{"snow":{"gte":1234567890123456789}}}]');
    expect(sent).toContain(',"search_after":[1e400,"\\u00e9"],"size":1.0}');
  });

  it('returns sources, sort values and aggregation values exactly as the cluster wrote them', async () => {
    const hit = `{"_index":"osproxy-shared","_id":"acme:orders:1","_routing":"acme","_score":null,"_source":{${EXACT},"_tenant":"acme","_index_name":"orders"},"sort":[1234567890123456789],"highlight":{"_tenant":["<em>acme</em>"]}}`;
    const aggs = '"aggregations":{"m":{"value":1.0E20,"big":9007199254740993}}';
    const h = harness({
      upstream: replying((path) =>
        path.endsWith('/_search')
          ? `{"took":1,"hits":{"total":{"value":1,"relation":"eq"},"hits":[${hit}]},${aggs}}`
          : undefined,
      ),
    });
    const res = await h.send('POST', '/orders/_search', { tenant: 'acme', body: { sort: ['snow'] } });
    expect(res.text).toContain(`"_source":{${EXACT}},"sort":[1234567890123456789]`);
    expect(res.text).toContain(aggs);
    expect(res.text).toContain('"_index":"orders","_id":"1"');
    expect(res.text).not.toContain('_tenant');
  });

  it('returns a get and an mget document exactly as the cluster wrote it', async () => {
    const doc = `{"_index":"osproxy-shared","_id":"acme:orders:1","_version":1234567890123456789,"found":true,"_source":{${EXACT},"_tenant":"acme","_index_name":"orders"}}`;
    const h = harness({
      upstream: replying((path) =>
        path === '/_mget' ? `{"docs":[${doc}]}` : path.includes('/_doc/') ? doc : undefined,
      ),
    });
    const got = await h.send('GET', '/orders/_doc/1', { tenant: 'acme' });
    expect(got.text).toBe(
      `{"_index":"orders","_id":"1","_version":1234567890123456789,"found":true,"_source":{${EXACT}}}`,
    );
    const many = await h.send('POST', '/orders/_mget', { tenant: 'acme', body: { ids: ['1'] } });
    expect(many.text).toContain(`"_version":1234567890123456789,"found":true,"_source":{${EXACT}}`);
  });
});

describe('byte-exact bodies on a dedicated index', () => {
  it('forwards a document and a search body it does not change as the very same bytes', async () => {
    const placement: Placement = {
      mode: 'DedicatedIndex',
      cluster: parseClusterId('default'),
      indexTemplate: '{index}-{partition}',
    };
    const placements = new InMemoryPlacementTable({
      entries: new Map([[parsePartitionId('acme'), placement]]),
    });
    const h = harness({ tenancy: new ReferenceTenancy({ placements }) });
    const doc = ` { ${EXACT} } `;
    await h.send('PUT', '/orders/_doc/1', { tenant: 'acme', raw: doc });
    expect(sentBodies(h.upstream).at(-1)).toBe(doc);
    const search = '{ "query" : {"term":{"snow":1234567890123456789}} }';
    await h.send('POST', '/orders/_search', { tenant: 'acme', raw: search });
    expect(sentBodies(h.upstream).at(-1)).toBe(search);
  });
});
