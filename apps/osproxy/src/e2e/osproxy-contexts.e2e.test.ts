// One tenant must not hold every search context of the cluster: through the built
// binary, a tenant past OSPROXY_MAX_OPEN_CONTEXTS_PER_TENANT gets 429 (with a
// `retry-after`: seconds until its soonest context runs out, at most 60) while another
// still opens one, clearing frees a slot, and a keep-alive past
// OSPROXY_MAX_CONTEXT_KEEP_ALIVE is 400 naming the parameter, before dispatch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, type RunningProxy } from './osproxy-process.fixture.js';
import { type RecordedProxy, startRecordedProxy } from './recorded-proxy.fixture.js';
import type { RecordingUpstream } from './recording-upstream.fixture.js';

let stack: RecordedProxy | undefined;
let recorder: RecordingUpstream;
let proxy: RunningProxy;
const as = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  stack = await startRecordedProxy({
    OSPROXY_TOKENS: 'tok-acme=app1:acme,tok-globex=app2:globex',
    OSPROXY_ALLOW_CLEARTEXT_MUTATION: 'true',
    OSPROXY_CURSOR_AFFINITY_KEY: 'e2e-cursor-key-0123456789',
    OSPROXY_MAX_OPEN_CONTEXTS_PER_TENANT: '2',
    OSPROXY_MAX_CONTEXT_KEEP_ALIVE: '5m',
  });
  ({ recorder, proxy } = stack);
  for (const [token, id] of [
    ['tok-acme', 'a1'],
    ['tok-acme', 'a2'],
    ['tok-globex', 'g1'],
  ] as const) {
    const put = await json(`${proxy.url}/orders/_doc/${id}?refresh=true`, {
      method: 'PUT',
      headers: as(token),
      body: { id },
    });
    expect(put.status).toBe(201);
  }
});

afterAll(async () => {
  await stack?.close();
});

const scroll = (token: string, keep = '1m') =>
  json(`${proxy.url}/orders/_search?scroll=${keep}`, { headers: as(token), body: { size: 1 } });

describe('open search contexts per tenant', () => {
  it('caps one tenant, not the others; clearing frees a slot; a long keep-alive is 400', async () => {
    const first = await scroll('tok-acme', '5m');
    const pit = await json(`${proxy.url}/orders/_search/point_in_time?keep_alive=5m`, {
      method: 'POST',
      headers: as('tok-acme'),
    });
    expect([first.status, pit.status]).toEqual([200, 200]);
    const before = recorder.requests.length;
    const capped = await scroll('tok-acme');
    expect(capped).toMatchObject({
      status: 429,
      body: { error: 'too_many_search_contexts', retryable: true },
    });
    // Its contexts run out in five minutes: the header names the most it ever says.
    expect(capped.headers.get('retry-after')).toBe('60');
    expect(recorder.requests.length).toBe(before);
    expect((await scroll('tok-globex')).status).toBe(200);
    const cleared = await json(`${proxy.url}/_search/scroll`, {
      method: 'DELETE',
      headers: as('tok-acme'),
      body: { scroll_id: [first.body?._scroll_id] },
    });
    expect(cleared.status).toBe(200);
    expect((await scroll('tok-acme')).status).toBe(200);
    const long = await scroll('tok-globex', '6m');
    expect(long).toMatchObject({ status: 400, body: { error: 'malformed_request' } });
    expect(long.headers.get('x-osproxy-reason')).toMatch(/^scroll /);
  });
});
