import { describe, expect, it } from 'vitest';
import { MemoryWriteQueue } from '../testing/memory-write-queue.fixture.js';
import { harness } from '../testing/proxy.fixture.js';

const asyncMode = { 'x-write-mode': 'async' };

describe('async writes (X-Write-Mode: async)', () => {
  it('queues the document with every number exactly as the client sent it', async () => {
    const queue = new MemoryWriteQueue();
    const h = harness({ queue });
    const raw = '{"tenant_id":"acme","snow":1234567890123456789,"f":1.0,"e":1e400,"z":-0,"s":"\\u00e9"}';
    const res = await h.send('PUT', '/orders/_doc/8', { headers: asyncMode, raw });
    expect(res.status).toBe(202);
    expect(queue.writes[0]?.bodyText).toBe(
      '{"tenant_id":"acme","snow":1234567890123456789,"f":1.0,"e":1e400,"z":-0,"s":"\\u00e9","_tenant":"acme","_index_name":"orders"}',
    );
  });

  it('queues the resolved write keyed by partition and answers 202 only after the queue acknowledged', async () => {
    const queue = new MemoryWriteQueue();
    const h = harness({ queue });
    const res = await h.send('PUT', '/orders/_doc/7', {
      headers: asyncMode,
      body: { tenant_id: 'acme', msg: 'hi' },
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'accepted', result: 'queued', _index: 'orders', _id: '7' });
    expect(res.body.op_id).toEqual(expect.any(String));
    expect(queue.writes).toEqual([
      expect.objectContaining({
        opId: res.body.op_id,
        partition: 'acme',
        action: 'index',
        cluster: 'default',
        index: 'osproxy-shared',
        id: 'acme:orders:7',
        routing: 'acme',
        body: { tenant_id: 'acme', msg: 'hi', _tenant: 'acme', _index_name: 'orders' },
      }),
    ]);
    expect(queue.writes[0]?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
    expect(h.upstream.ops).toHaveLength(0);
    const del = await h.send('DELETE', '/orders/_doc/7', { tenant: 'acme', headers: asyncMode });
    expect(del.status).toBe(202);
    expect(queue.writes[1]).toMatchObject({ action: 'delete', id: 'acme:orders:7', body: null });
    const upd = await h.send('POST', '/orders/_update/7', {
      tenant: 'acme',
      headers: asyncMode,
      body: { doc: { msg: 'x' } },
    });
    expect(upd.status).toBe(202);
    expect(queue.writes[2]).toMatchObject({
      action: 'update',
      body: { doc: { msg: 'x', _tenant: 'acme', _index_name: 'orders' } },
    });
  });

  it('gives a queued auto-id write an id of its own, so applying it twice is harmless', async () => {
    const queue = new MemoryWriteQueue();
    const h = harness({ queue });
    const res = await h.send('POST', '/orders/_doc', { headers: asyncMode, body: { tenant_id: 'acme' } });
    expect(res.status).toBe(202);
    expect(queue.writes[0]?.id).toBe(`acme:orders:${res.body._id}`);
  });

  it('is 422 without a queue, 400 for version-conditional or bulk writes, 503 when the queue fails', async () => {
    const none = harness();
    const noQueue = await none.send('PUT', '/orders/_doc/1', {
      headers: asyncMode,
      body: { tenant_id: 'acme' },
    });
    expect(noQueue).toMatchObject({ status: 422, body: { error: 'unprocessable', retryable: false } });
    const queue = new MemoryWriteQueue();
    const h = harness({ queue });
    const conditional = await h.send('PUT', '/orders/_doc/1?if_seq_no=3&if_primary_term=1', {
      headers: asyncMode,
      body: { tenant_id: 'acme' },
    });
    expect(conditional).toMatchObject({ status: 400, body: { error: 'malformed_request' } });
    const bulk = await h.send('POST', '/_bulk', {
      headers: asyncMode,
      ndjson: [{ delete: { _index: 'orders', _id: '1' } }],
    });
    expect(bulk).toMatchObject({ status: 400, body: { error: 'malformed_request' } });
    queue.failing = true;
    const down = await h.send('PUT', '/orders/_doc/1', { headers: asyncMode, body: { tenant_id: 'acme' } });
    expect(down).toMatchObject({ status: 503, body: { error: 'queue_unavailable', retryable: true } });
    expect(queue.writes).toHaveLength(0);
    expect(h.upstream.ops).toHaveLength(0);
  });

  it('with async as the default, X-Write-Mode: sync writes straight to the cluster', async () => {
    const queue = new MemoryWriteQueue();
    const h = harness({ queue, asyncDefault: true });
    expect((await h.send('PUT', '/orders/_doc/1', { body: { tenant_id: 'acme' } })).status).toBe(202);
    const sync = await h.send('PUT', '/orders/_doc/2', {
      headers: { 'x-write-mode': 'sync' },
      body: { tenant_id: 'acme' },
    });
    expect(sync.status).toBe(201);
    expect(queue.writes).toHaveLength(1);
  });

  it('keeps a client X-Op-Id as the idempotency key, and refuses a bad one or an unknown write mode', async () => {
    const queue = new MemoryWriteQueue();
    const h = harness({ queue });
    const keyed = await h.send('PUT', '/orders/_doc/1', {
      headers: { ...asyncMode, 'x-op-id': 'order-1:v2' },
      body: { tenant_id: 'acme' },
    });
    expect(keyed).toMatchObject({ status: 202, body: { op_id: 'order-1:v2' } });
    expect(queue.writes[0]?.opId).toBe('order-1:v2');
    const badId = await h.send('PUT', '/orders/_doc/1', {
      headers: { ...asyncMode, 'x-op-id': 'a b' },
      body: { tenant_id: 'acme' },
    });
    expect(badId).toMatchObject({ status: 400, body: { error: 'malformed_request' } });
    const badMode = await h.send('PUT', '/orders/_doc/1', {
      headers: { 'x-write-mode': 'later' },
      body: { tenant_id: 'acme' },
    });
    expect(badMode).toMatchObject({ status: 400, body: { error: 'malformed_request' } });
    expect(queue.writes).toHaveLength(1);
    expect(h.upstream.ops).toHaveLength(0);
  });
});
