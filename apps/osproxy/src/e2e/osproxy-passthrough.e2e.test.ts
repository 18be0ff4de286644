// issue 12: passthrough is confined to operator principals and to the listed
// legacy indexes, by path, list, wildcard, date math and every body `_index`;
// the shared index is out of its reach whatever a request says.
import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, type RunningProxy, runProxyToExit, startProxy } from './osproxy-process.fixture.js';

let emu: Emulator;
let proxy: RunningProxy;
const ops = { authorization: 'Bearer tok-ops' };
const ndjson = { ...ops, 'content-type': 'application/x-ndjson' };

beforeAll(async () => {
  emu = await startEmulator({ autoRefresh: false });
  proxy = await startProxy({
    OSPROXY_UPSTREAM: emu.url,
    OSPROXY_TOKENS: 'tok-acme=app1:acme,tok-globex=app2:globex,tok-ops=ops,tok-ops2=ops2',
    OSPROXY_ALLOW_CLEARTEXT_MUTATION: 'true',
    OSPROXY_PASSTHROUGH_INDICES: 'legacy-',
    OSPROXY_PASSTHROUGH_PRINCIPALS: 'ops',
  });
  const put = await json(`${proxy.url}/orders/_doc/3?refresh=true`, {
    method: 'PUT',
    headers: { authorization: 'Bearer tok-globex' },
    body: { secret: 'globex-only' },
  });
  expect(put.status).toBe(201);
  const legacy = await json(`${proxy.url}/legacy-x/_doc/1?refresh=true`, {
    method: 'PUT',
    headers: ops,
    body: { n: 1 },
  });
  expect(legacy.status).toBe(201);
});

afterAll(async () => {
  await proxy?.stop();
  await emu?.close();
});

function sharedDoc(): unknown {
  return emu.store.indexes.get('osproxy-shared')?.docs.get('globex:orders:3')?.source;
}

describe('passthrough (issue 12)', () => {
  it('serves a listed principal on a listed index', async () => {
    const res = await json(`${proxy.url}/legacy-x/_search`, { headers: ops, body: {} });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toContain('legacy-x');
  });

  it('refuses tenant tokens and operators not listed in passthrough_principals', async () => {
    for (const authorization of ['Bearer tok-acme', 'Bearer tok-ops2']) {
      const res = await json(`${proxy.url}/legacy-x/_search`, { headers: { authorization }, body: {} });
      expect(res).toMatchObject({ status: 403, body: { error: 'unauthorized' } });
    }
  });

  it.each([
    '/legacy-x,osproxy-shared/_search',
    '/legacy-*/_search',
    '/legacy-x,_all/_search',
    '/legacy-x,-legacy-y/_search',
    `/${encodeURIComponent('<legacy-x-{now}>')}/_search`,
    '/legacy-x,orders/_search',
    '/remote:legacy-x/_search',
  ])('refuses the index expression %s (403) before any upstream call', async (path) => {
    const before = emu.requests.length;
    const res = await json(`${proxy.url}${path}`, { headers: ops, body: {} });
    expect(res).toMatchObject({ status: 403, body: { error: 'unauthorized' } });
    expect(res.headers.get('x-osproxy-reason')).toContain('passthrough');
    expect(emu.requests.length).toBe(before);
  });

  it('refuses a bulk action line naming the shared index; the other tenant’s document is untouched', async () => {
    const before = sharedDoc();
    const res = await json(`${proxy.url}/legacy-x/_bulk`, {
      headers: ndjson,
      raw: '{"index":{"_id":"2"}}\n{"n":2}\n{"index":{"_index":"osproxy-shared","_id":"globex:orders:3"}}\n{"secret":"overwritten"}\n',
    });
    expect(res).toMatchObject({ status: 403, body: { error: 'unauthorized' } });
    expect(sharedDoc()).toEqual(before);
    expect(sharedDoc()).toEqual(expect.objectContaining({ secret: 'globex-only' }));
    const escaped = await json(`${proxy.url}/legacy-x/_bulk`, {
      headers: ndjson,
      raw: '{"delete":{"\\u005findex":"osproxy-shared","_id":"globex:orders:3"}}\n',
    });
    expect(escaped.status).toBe(403);
    const inside = await json(`${proxy.url}/legacy-x/_bulk`, {
      headers: ndjson,
      raw: '{"index":{"_index":"legacy-y","_id":"1"}}\n{"n":1}\n{"delete":{"_id":"nope"}}\n',
    });
    expect(inside.status).toBe(200);
  });

  it.each([
    ['mget docs', '/legacy-x/_mget', { docs: [{ _index: 'osproxy-shared', _id: 'globex:orders:3' }] }],
    [
      'a terms lookup',
      '/legacy-x/_search',
      { query: { terms: { n: { index: 'osproxy-shared', id: 'globex:orders:3', path: 'secret' } } } },
    ],
    [
      'more_like_this documents',
      '/legacy-x/_search',
      { query: { more_like_this: { like: [{ _index: 'osproxy-shared', _id: 'x' }] } } },
    ],
  ])('refuses %s naming the shared index', async (_what, path, body) => {
    const before = emu.requests.length;
    const res = await json(`${proxy.url}${path}`, { headers: ops, body });
    expect(res).toMatchObject({ status: 403, body: { error: 'unauthorized' } });
    expect(emu.requests.length).toBe(before);
  });

  it('refuses an msearch header naming the shared index, alone or in a list', async () => {
    for (const index of ['"osproxy-shared"', '["legacy-x","osproxy-shared"]', '"legacy-*"']) {
      const res = await json(`${proxy.url}/legacy-x/_msearch`, {
        headers: ndjson,
        raw: `{}\n{"query":{"match_all":{}}}\n{"index":${index}}\n{"query":{"match_all":{}}}\n`,
      });
      expect(res).toMatchObject({ status: 403, body: { error: 'unauthorized' } });
    }
  });

  it('refuses to start when a passthrough prefix reaches the tenancy index', async () => {
    for (const prefix of ['osproxy-', 'osproxy-shared', 'legacy-*']) {
      const { code, stderr } = await runProxyToExit([], {
        OSPROXY_UPSTREAM: emu.url,
        OSPROXY_PASSTHROUGH_INDICES: prefix,
      });
      expect(code).toBe(2);
      expect(stderr).toContain('passthrough_indices');
    }
  });
});
