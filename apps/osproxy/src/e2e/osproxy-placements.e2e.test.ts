// A DedicatedIndex is read and written without a tenant filter, so its name must
// never be another placement's. Through the built binary: a tenant whose dedicated
// name would be the shared index (partition `shared`, `{index}-{partition}`, logical
// `osproxy` → `osproxy-shared`) is refused before anything reaches the cluster; a
// placement table that makes such a collision certain refuses to start.
import type { Emulator } from '@flusso/opensearch-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, type RunningProxy, runProxyToExit } from './osproxy-process.fixture.js';
import { type RecordedProxy, startRecordedProxy } from './recorded-proxy.fixture.js';
import type { RecordingUpstream } from './recording-upstream.fixture.js';

let stack: RecordedProxy | undefined;
let emu: Emulator;
let recorder: RecordingUpstream;
let proxy: RunningProxy;
const as = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  stack = await startRecordedProxy({
    OSPROXY_TOKENS: 'tok-shared=app1:shared,tok-globex=app2:globex,tok-acme=app3:acme',
    OSPROXY_ALLOW_CLEARTEXT_MUTATION: 'true',
    OSPROXY_CURSOR_AFFINITY_KEY: 'e2e-cursor-key-0123456789',
    OSPROXY_DEDICATED_INDICES: 'shared={index}-{partition},acme=acme-{index}',
  });
  ({ emulator: emu, recorder, proxy } = stack);
  const put = await json(`${proxy.url}/orders/_doc/1?refresh=true`, {
    method: 'PUT',
    headers: as('tok-globex'),
    body: { secret: 'globex-only' },
  });
  expect(put.status).toBe(201);
});

afterAll(async () => {
  await stack?.close();
});

describe('dedicated index names (issue: a dedicated name must never be another placement index)', () => {
  it('refuses the tenant whose dedicated name would be the shared index, sending nothing', async () => {
    const before = recorder.requests.length;
    const calls = [
      json(`${proxy.url}/osproxy/_search`, { headers: as('tok-shared'), body: { query: { match_all: {} } } }),
      json(`${proxy.url}/osproxy/_search?scroll=1m`, { headers: as('tok-shared'), body: {} }),
      json(`${proxy.url}/osproxy/_count`, { headers: as('tok-shared'), body: {} }),
      json(`${proxy.url}/osproxy/_doc/globex:orders:1`, { headers: as('tok-shared') }),
      json(`${proxy.url}/osproxy/_doc/1`, { method: 'PUT', headers: as('tok-shared'), body: { v: 1 } }),
      json(`${proxy.url}/osproxy/_doc/globex:orders:1`, { method: 'DELETE', headers: as('tok-shared') }),
      json(`${proxy.url}/osproxy/_delete_by_query`, {
        headers: as('tok-shared'),
        body: { query: { match_all: {} } },
      }),
      json(`${proxy.url}/osproxy/_search/point_in_time?keep_alive=1m`, {
        method: 'POST',
        headers: as('tok-shared'),
      }),
      json(`${proxy.url}/_bulk`, {
        headers: { ...as('tok-shared'), 'content-type': 'application/x-ndjson' },
        raw: '{"delete":{"_index":"osproxy","_id":"globex:orders:1"}}\n',
      }),
      json(`${proxy.url}/_mget`, {
        headers: as('tok-shared'),
        body: { docs: [{ _index: 'osproxy', _id: 'globex:orders:1' }] },
      }),
    ];
    const replies = await Promise.all(calls);
    for (const [i, reply] of replies.slice(0, 8).entries()) {
      expect(reply.status, `${i} ${reply.headers.get('x-osproxy-reason')}`).toBe(404);
      expect(reply.status).toBe(404);
      expect(reply.body).toEqual({ error: 'placement_missing', retryable: false });
      // The reason names the kind of index: no tenant, index or physical name.
      expect(reply.headers.get('x-osproxy-reason')).toBe('placement yields a reserved index (shared_index)');
    }
    // Bulk and mget answer per item; neither may have reached the cluster.
    expect(JSON.stringify(replies[8]?.body)).toContain('placement_missing');
    expect(JSON.stringify(replies.slice(8).map((r) => r.body))).not.toContain('globex-only');
    expect(recorder.requests.slice(before)).toEqual([]);
    expect(emu.store.indexes.get('osproxy-shared')?.docs.get('globex:orders:1')?.source).toEqual({
      secret: 'globex-only',
      _tenant: 'globex',
      _index_name: 'orders',
    });
  });

  it('serves the same tenant on its other logical indexes, and the others as before', async () => {
    const put = await json(`${proxy.url}/orders/_doc/7`, {
      method: 'PUT',
      headers: as('tok-shared'),
      body: { mine: true },
    });
    expect(put).toMatchObject({ status: 201, body: { _index: 'orders', _id: '7' } });
    expect(emu.store.indexes.get('orders-shared')?.docs.get('7')?.source).toEqual({ mine: true });
    const acme = await json(`${proxy.url}/orders/_doc/8`, {
      method: 'PUT',
      headers: as('tok-acme'),
      body: {},
    });
    expect(acme.status).toBe(201);
    expect(emu.store.indexes.get('acme-orders')?.docs.has('8')).toBe(true);
    const globex = await json(`${proxy.url}/orders/_search`, { headers: as('tok-globex'), body: {} });
    expect(JSON.stringify(globex.body)).toContain('globex-only');
  });

  it('refuses to start when the placements make a collision certain, naming them', async () => {
    const cases: [Record<string, string>, RegExp[]][] = [
      [
        { OSPROXY_DEDICATED_INDICES: 'acme=team-{index},globex=team-{index}' },
        [/partition acme/, /partition globex/],
      ],
      [
        { OSPROXY_INDEX: 'os-{index}', OSPROXY_DEDICATED_INDICES: 'acme=os-acme-{index}' },
        [/partition acme/, /shared index/],
      ],
      [{ OSPROXY_DEDICATED_INDICES: 'acme=.{index}-{partition}' }, [/partition acme/, /hidden/]],
      [
        {
          OSPROXY_PASSTHROUGH_INDICES: 'legacy-',
          OSPROXY_DEDICATED_INDICES: 'acme=legacy-{index}-{partition}',
        },
        [/partition acme/, /passthrough/],
      ],
      [{ OSPROXY_DEDICATED_INDICES: 'acme=acme' }, [/dedicated_indices/, /\{index\}/]],
    ];
    for (const [env, names] of cases) {
      const { code, stderr } = await runProxyToExit([], { OSPROXY_UPSTREAM: emu.url, ...env });
      expect(code, stderr).toBe(2);
      for (const name of names) expect(stderr).toMatch(name);
    }
  });
});
