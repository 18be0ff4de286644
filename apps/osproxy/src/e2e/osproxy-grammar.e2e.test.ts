// issue 12 through the built binary: what a tenant may send is a closed grammar,
// numbers reach the cluster byte for byte, a body id never overwrites and every
// document of a write is the tenant's. A recording reverse proxy between osproxy
// and the emulator keeps the exact bytes osproxy sent upstream.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { json, type RunningProxy } from './osproxy-process.fixture.js';
import { type RecordedProxy, startRecordedProxy } from './recorded-proxy.fixture.js';
import type { RecordingUpstream } from './recording-upstream.fixture.js';

let stack: RecordedProxy | undefined;
let recorder: RecordingUpstream;
let proxy: RunningProxy;
const acme = { authorization: 'Bearer tok-acme' };

beforeAll(async () => {
  stack = await startRecordedProxy({
    OSPROXY_TOKENS: 'tok-acme=app1:acme,tok-globex=app2:globex',
    OSPROXY_ALLOW_CLEARTEXT_MUTATION: 'true',
  });
  ({ recorder, proxy } = stack);
  // globex holds a document a lookup would read.
  await json(`${proxy.url}/orders/_doc/1?refresh=true`, {
    method: 'PUT',
    headers: { authorization: 'Bearer tok-globex' },
    body: { followers: ['secret-globex'], v: 'globex' },
  });
});

afterAll(async () => {
  await stack?.close();
});

beforeEach(() => {
  recorder.requests.length = 0;
});

const LOOKUP = { terms: { v: { index: 'orders', id: '1', path: 'followers' } } };
const WRAPPED = { wrapper: { query: Buffer.from(JSON.stringify(LOOKUP)).toString('base64') } };
const MLT = { more_like_this: { fields: ['v'], like: [{ _index: 'orders', _id: '1' }] } };

// Finding A: each construct that escaped the old key screening.
const REFUSED: Readonly<Record<string, unknown>> = {
  wrapper: { query: WRAPPED },
  rescore_lookup: { rescore: { window_size: 10, query: { rescore_query: LOOKUP } } },
  highlight_lookup: { highlight: { highlight_query: LOOKUP, fields: { v: {} } } },
  sort_nested_filter_mlt: { sort: [{ v: { order: 'asc', nested: { path: 'n', filter: MLT } } }] },
  terms_min_doc_count_0: { size: 0, aggs: { t: { terms: { field: 'v.keyword', min_doc_count: 0 } } } },
  explain: { explain: true, query: { match_all: {} } },
  sort_on_id: { sort: ['_id'] },
  aggregate_on_index: { size: 0, aggs: { t: { terms: { field: '_index' } } } },
  // Values OpenSearch coerces: 0.5 and "0" are read as 0, "true" as true.
  terms_min_doc_count_fraction: {
    size: 0,
    aggs: { t: { terms: { field: 'v.keyword', min_doc_count: 0.5 } } },
  },
  terms_min_doc_count_string: { size: 0, aggs: { t: { terms: { field: 'v.keyword', min_doc_count: '0' } } } },
  explain_string: { explain: 'true', query: { match_all: {} } },
  // Where a field name hides, and a join's unfiltered other side.
  query_string_index: { query: { query_string: { query: 'v:x OR _index:osproxy-shared' } } },
  pattern_meta: { docvalue_fields: ['_i*'] },
  script_computed_field: {
    script_fields: { x: { script: { source: 'doc[params.f].value', params: { f: '_id' } } } },
  },
  // OpenSearch serves `params._doc` as `doc` (deprecated, still there).
  script_params_doc: {
    script_fields: { x: { script: { source: 'params._doc[params.f].value', params: { f: '_index' } } } },
  },
  has_parent: { query: { has_parent: { parent_type: 'p', query: { match: { v: 'globex' } } } } },
};

describe('osproxy e2e: the closed grammar (issue 12)', () => {
  for (const [construct, body] of Object.entries(REFUSED)) {
    it(`refuses ${construct} with 400 before anything reaches the upstream`, async () => {
      const res = await json(`${proxy.url}/orders/_search`, { headers: acme, body });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: 'malformed_request', retryable: false });
      expect(res.headers.get('x-osproxy-reason')).not.toContain('secret');
      expect(recorder.requests).toEqual([]);
    });
  }

  it('refuses a wrapped lookup in _count and in an _msearch body before dispatch', async () => {
    const count = await json(`${proxy.url}/orders/_count`, { headers: acme, body: { query: WRAPPED } });
    expect(count.status).toBe(400);
    const multi = await fetch(`${proxy.url}/_msearch`, {
      method: 'POST',
      headers: { ...acme, 'content-type': 'application/x-ndjson' },
      body: `{"index":"orders"}\n${JSON.stringify({ query: { bool: { filter: [WRAPPED] } } })}\n`,
    });
    const answer = (await multi.json()) as { responses: { status: number }[] };
    expect(answer.responses[0]?.status).toBe(400);
    expect(recorder.requests).toEqual([]);
  });

  it('answers a query nested 1 000 deep with 400, not 502', async () => {
    const raw = `{"query":${'{"bool":{"must":['.repeat(1000)}{"match_all":{}}${']}}'.repeat(1000)}}`;
    const res = await json(`${proxy.url}/orders/_search`, { headers: acme, raw });
    expect(res.status).toBe(400);
    expect(res.body?.error).toBe('malformed_request');
    expect(recorder.requests).toEqual([]);
  });
});

describe('osproxy e2e: byte-exact writes and body ids (issue 12)', () => {
  it('sends a document upstream with its numbers exactly as written', async () => {
    const exact = '"snow":1234567890123456789,"f":1.0,"e":1e400';
    const res = await json(`${proxy.url}/orders/_doc/big`, {
      method: 'PUT',
      headers: acme,
      raw: `{${exact}}`,
    });
    expect(res.status).toBe(201);
    const [sent] = recorder.bodiesTo('/_doc/');
    expect(sent).toBe(`{${exact},"_tenant":"acme","_index_name":"orders"}`);
  });

  it('POST _doc with a body id gets an auto id and never overwrites', async () => {
    await json(`${proxy.url}/orders/_doc/7?refresh=true`, {
      method: 'PUT',
      headers: acme,
      body: { v: 'original' },
    });
    const posted = await json(`${proxy.url}/orders/_doc?refresh=true`, {
      headers: acme,
      body: { id: '7', v: 'intruder' },
    });
    expect(posted.status).toBe(201);
    expect(posted.body?._id).not.toBe('7');
    const got = await json(`${proxy.url}/orders/_doc/7`, { headers: acme });
    expect(got.body?._source).toEqual({ v: 'original' });
  });

  it('refuses an upsert naming another tenant with 403', async () => {
    const res = await json(`${proxy.url}/orders/_update/9`, {
      headers: acme,
      body: { doc: { v: 1 }, upsert: { v: 1, tenant_id: 'globex' } },
    });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'tenant_mismatch', retryable: false });
    expect(recorder.requests).toEqual([]);
  });
});
