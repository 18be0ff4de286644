// Through the built binary: what reaches the cluster is JSON the proxy read and
// says so. A body declared YAML, CBOR or SMILE is 415 before dispatch (the cluster
// would read it as another format than the grammar saw); the client's accept never
// reaches the cluster (a CBOR or YAML reply could not be reshaped); ids keep their
// text, whether a JSON number in a bulk line or a percent sequence in the path.
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
});

afterAll(async () => {
  await stack?.close();
});

beforeEach(() => {
  recorder.requests.length = 0;
});

/** Requests osproxy sent for tenant traffic (not its start-up index checks). */
const tenantCalls = () =>
  recorder.requests.filter((r) => r.url.includes('osproxy-shared/_') || r.url.startsWith('/_'));

describe('osproxy e2e: body formats', () => {
  for (const [method, path, raw] of [
    ['PUT', '/orders/_doc/1', '{"v":1}'],
    ['POST', '/orders/_search', '{"query":{"match_all":{}}}'],
    ['POST', '/_bulk', '{"index":{"_index":"orders","_id":"2"}}\n{"v":1}\n'],
  ] as const) {
    for (const type of ['application/yaml', 'application/cbor', 'application/smile']) {
      it(`${method} ${path} declared ${type}: 415 before dispatch`, async () => {
        const res = await json(`${proxy.url}${path}`, {
          method,
          headers: { ...acme, 'content-type': type },
          raw,
        });
        expect(res.status).toBe(415);
        expect(res.body).toEqual({ error: 'unsupported_media_type', retryable: false });
        expect(tenantCalls()).toEqual([]);
      });
    }
  }

  it('answers JSON to an accept of YAML or CBOR, and the cluster is asked for neither', async () => {
    await json(`${proxy.url}/orders/_doc/1?refresh=true`, {
      method: 'PUT',
      headers: acme,
      body: { v: 'mine' },
    });
    for (const accept of ['application/yaml', 'application/cbor']) {
      const res = await json(`${proxy.url}/orders/_search`, {
        headers: { ...acme, accept },
        body: { query: { match_all: {} } },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/json');
    }
    const sent = tenantCalls();
    expect(sent.length).toBeGreaterThan(0);
    for (const call of sent) {
      expect(call.headers.accept).toBeUndefined();
      expect(call.headers['content-type'] ?? 'application/json').toMatch(/^application\/(json|x-ndjson)$/);
    }
  });
});

describe('osproxy e2e: ids keep their text', () => {
  it('two numeric bulk ids a double cannot tell apart stay two documents', async () => {
    const raw =
      '{"index":{"_index":"orders","_id":12345678901234567891}}\n{"n":1}\n' +
      '{"index":{"_index":"orders","_id":12345678901234567892}}\n{"n":2}\n';
    const bulk = await json(`${proxy.url}/_bulk?refresh=true`, {
      headers: { ...acme, 'content-type': 'application/x-ndjson' },
      raw,
    });
    const items = (bulk.body?.items ?? []) as { index: { _id: string; result: string } }[];
    expect(items.map((i) => [i.index._id, i.index.result])).toEqual([
      ['12345678901234567891', 'created'],
      ['12345678901234567892', 'created'],
    ]);
    const [sent] = recorder.bodiesTo('/_bulk');
    expect(sent).toContain('"_id":"acme:orders:12345678901234567891"');
    const got = await json(`${proxy.url}/orders/_mget`, {
      headers: acme,
      raw: '{"ids":[12345678901234567891]}',
    });
    expect(got.body?.docs).toMatchObject([{ _id: '12345678901234567891', _source: { n: 1 } }]);
  });

  it('an id with a percent sequence is decoded once', async () => {
    const put = await json(`${proxy.url}/orders/_doc/a%2541`, {
      method: 'PUT',
      headers: acme,
      body: { v: 1 },
    });
    expect(put.body?._id).toBe('a%41');
    expect(recorder.requests.at(-1)?.url).toContain('/_doc/acme%3Aorders%3Aa%2541');
  });
});
