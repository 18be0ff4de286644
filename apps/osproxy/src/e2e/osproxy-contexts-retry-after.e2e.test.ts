// Through the built binary: a tenant past OSPROXY_MAX_OPEN_CONTEXTS_PER_TENANT gets
// 429 `too_many_search_contexts` with a `retry-after` (seconds until its soonest
// context runs out, at most 60), nothing sent upstream.
import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, type RunningProxy, startProxy } from './osproxy-process.fixture.js';
import { type RecordingUpstream, startRecordingUpstream } from './recording-upstream.fixture.js';

let emu: Emulator;
let recorder: RecordingUpstream;
let proxy: RunningProxy;
const acme = { authorization: 'Bearer tok-acme' };

beforeAll(async () => {
  emu = await startEmulator({ autoRefresh: false });
  recorder = await startRecordingUpstream(emu.url);
  proxy = await startProxy({
    OSPROXY_UPSTREAM: recorder.url,
    OSPROXY_TOKENS: 'tok-acme=app1:acme',
    OSPROXY_ALLOW_CLEARTEXT_MUTATION: 'true',
    OSPROXY_CURSOR_AFFINITY_KEY: 'e2e-cursor-key-0123456789',
    OSPROXY_MAX_OPEN_CONTEXTS_PER_TENANT: '1',
  });
  const put = await json(`${proxy.url}/orders/_doc/a1?refresh=true`, {
    method: 'PUT',
    headers: acme,
    body: { id: 'a1' },
  });
  expect(put.status).toBe(201);
});

afterAll(async () => {
  await proxy?.stop();
  await recorder?.close();
  await emu?.close();
});

describe('too_many_search_contexts', () => {
  it('tells the client when to retry', async () => {
    const opened = await json(`${proxy.url}/orders/_search?scroll=5m`, { headers: acme, body: { size: 1 } });
    expect(opened.status).toBe(200);
    const before = recorder.requests.length;
    const capped = await json(`${proxy.url}/orders/_search?scroll=1m`, { headers: acme, body: { size: 1 } });
    expect(capped).toMatchObject({
      status: 429,
      body: { error: 'too_many_search_contexts', retryable: true },
    });
    // Its one context runs out in five minutes: the header names the most it ever says.
    expect(capped.headers.get('retry-after')).toBe('60');
    expect(recorder.requests.length).toBe(before);
  });
});
