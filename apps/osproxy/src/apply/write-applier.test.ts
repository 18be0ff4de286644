// The idempotency and order rule, against the OpenSearch emulator (or OPENSEARCH_URL):
// what a reader of the index sees after writes are applied, redelivered and retried.
import { randomUUID } from 'node:crypto';
import { type Clock, parseClusterId, systemClock } from '@flusso/core';
import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';
import { UndiciUpstream } from '@flusso/sinks/upstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplyAction, ApplyOp } from './apply-op.js';
import { upstreamTransport } from './upstream-transport.js';
import { BulkWriteApplier } from './write-applier.js';

const cluster = parseClusterId('default');
let emu: Emulator | undefined;
let url: string;
let upstream: UndiciUpstream;
// Retries without waiting: the backoff's delays are the policy's business, not this test's.
const instant: Clock = { ...systemClock, sleep: async () => undefined };
const ctx = { signal: new AbortController().signal, heartbeat: async () => undefined };

beforeAll(async () => {
  if (process.env.OPENSEARCH_URL === undefined) emu = await startEmulator({ autoRefresh: false });
  url = process.env.OPENSEARCH_URL ?? emu!.url;
  upstream = new UndiciUpstream({ clusters: new Map([[cluster, { url, protocol: 'http1' }]]) });
});

afterAll(async () => {
  await upstream?.close();
  await emu?.close();
});

const applier = () =>
  new BulkWriteApplier({ transport: upstreamTransport(upstream, cluster), clock: instant });

function op(index: string, offset: number, action: ApplyAction, source: string | null, id = 'doc'): ApplyOp {
  return { opId: `op-${offset}`, offset: BigInt(offset), action, index, id, routing: 'acme', source };
}

async function read(index: string, id = 'doc'): Promise<unknown> {
  const res = await fetch(`${url}/${index}/_doc/${id}?routing=acme`);
  return res.status === 404 ? undefined : ((await res.json()) as { _source: unknown })._source;
}

const statuses = (outcomes: readonly { status: string }[] | undefined) => outcomes?.map((o) => o.status);

describe('BulkWriteApplier', () => {
  it('an earlier write redelivered after a later one is a conflict; the later write stays', async () => {
    const index = `orders-${randomUUID().slice(0, 8)}`;
    const first = op(index, 0, 'index', '{"v":1}');
    const later = op(index, 1, 'index', '{"v":2}');
    expect(statuses(await applier().apply([first, later], ctx))).toEqual(['applied', 'applied']);
    expect(statuses(await applier().apply([first], ctx))).toEqual(['conflict']);
    expect(statuses(await applier().apply([first, later], ctx))).toEqual(['conflict', 'conflict']);
    expect(await read(index)).toEqual({ v: 2 });
  });

  it('an update redelivered after a later full write is skipped, not merged over it', async () => {
    const index = `orders-${randomUUID().slice(0, 8)}`;
    const batch = [
      op(index, 0, 'index', '{"v":1,"n":0}'),
      op(index, 1, 'update', '{"doc":{"n":1}}'),
      op(index, 2, 'index', '{"v":3}'),
    ];
    expect(statuses(await applier().apply(batch, ctx))).toEqual(['applied', 'applied', 'applied']);
    const replay = await applier().apply(batch, ctx);
    expect(replay).toMatchObject([
      { status: 'conflict' },
      { status: 'conflict', reason: 'superseded' },
      { status: 'conflict' },
    ]);
    expect(await read(index)).toEqual({ v: 3 });
  });

  it('updates replayed any number of times never block the writes after them', async () => {
    const index = `orders-${randomUUID().slice(0, 8)}`;
    const batch = [op(index, 0, 'index', '{"v":1,"n":0}'), op(index, 1, 'update', '{"doc":{"n":1}}')];
    for (let i = 0; i < 3; i++) await applier().apply(batch, ctx);
    expect(await read(index)).toEqual({ v: 1, n: 1 });
    expect(statuses(await applier().apply([op(index, 2, 'index', '{"v":2}')], ctx))).toEqual(['applied']);
    expect(await read(index)).toEqual({ v: 2 });
  });

  it('a create redelivered is a conflict and does not overwrite what came after it', async () => {
    const index = `orders-${randomUUID().slice(0, 8)}`;
    const create = op(index, 0, 'create', '{"v":1}');
    const later = op(index, 1, 'index', '{"v":2}');
    expect(statuses(await applier().apply([create, later], ctx))).toEqual(['applied', 'applied']);
    expect(await applier().apply([create], ctx)).toMatchObject([
      { status: 'conflict', reason: 'document_exists' },
    ]);
    expect(await read(index)).toEqual({ v: 2 });
  });

  it('a delete is versioned: an older write redelivered after it stays out; redelivered itself it undoes nothing', async () => {
    const index = `orders-${randomUUID().slice(0, 8)}`;
    const created = op(index, 0, 'index', '{"v":1}');
    const deleted = op(index, 1, 'delete', null);
    expect(statuses(await applier().apply([created, deleted], ctx))).toEqual(['applied', 'applied']);
    expect(statuses(await applier().apply([created], ctx))).toEqual(['conflict']);
    expect(await read(index)).toBeUndefined();
    expect(statuses(await applier().apply([op(index, 2, 'index', '{"v":3}')], ctx))).toEqual(['applied']);
    expect(statuses(await applier().apply([deleted], ctx))).toEqual(['conflict']);
    expect(await read(index)).toEqual({ v: 3 });
  });

  it('a write the mapping refuses is rejected with the error type; the writes around it apply', async () => {
    const index = `strict-${randomUUID().slice(0, 8)}`;
    await fetch(`${url}/${index}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mappings: { dynamic: 'strict', properties: { v: { type: 'long' } } } }),
    });
    const outcomes = await applier().apply(
      [
        op(index, 0, 'index', '{"v":1}', 'a'),
        op(index, 1, 'index', '{"nope":"x"}', 'b'),
        op(index, 2, 'index', '{"v":3}', 'c'),
      ],
      ctx,
    );
    expect(outcomes).toMatchObject([
      { status: 'applied' },
      { status: 'rejected', reason: 'strict_dynamic_mapping_exception', index, id: 'b' },
      { status: 'applied' },
    ]);
    expect(JSON.stringify(outcomes)).not.toContain('nope');
    expect(await read(index, 'c')).toEqual({ v: 3 });
  });
});

describe.skipIf(process.env.OPENSEARCH_URL !== undefined)('BulkWriteApplier on the wire', () => {
  it('sends the document byte for byte, numbers past 2^53 unrounded', async () => {
    const index = `orders-${randomUUID().slice(0, 8)}`;
    const source = '{"n":12345678901234567890,"f":1.10,"e":1e400}';
    await applier().apply([op(index, 7, 'index', source)], ctx);
    const sent = emu!.requests.filter((r) => r.path === '/_bulk').at(-1)?.body ?? '';
    expect(sent.split('\n')[1]).toBe(source);
    expect(sent.split('\n')[0]).toContain(`"version":${8n << 20n},"version_type":"external"`);
  });
});

describe.skipIf(process.env.OPENSEARCH_URL !== undefined)('BulkWriteApplier when the cluster fails', () => {
  it('retries a 429 item from the first unapplied op, in order; each op reports its first outcome', async () => {
    const index = `orders-${randomUUID().slice(0, 8)}`;
    let refusals = 1;
    emu!.faults.rejectItem = (_index, id) =>
      id === 'a' && refusals-- > 0 ? { status: 429, type: 'es_rejected_execution_exception' } : null;
    const retries: string[] = [];
    const applying = new BulkWriteApplier({
      transport: upstreamTransport(upstream, cluster),
      clock: instant,
      onRetry: (r) => retries.push(`${r.reason}:${r.pending}`),
    });
    try {
      const outcomes = await applying.apply(
        [
          op(index, 0, 'index', '{"v":1}', 'a'),
          op(index, 1, 'index', '{"v":1}', 'b'),
          op(index, 2, 'index', '{"v":2}', 'a'),
        ],
        ctx,
      );
      expect(statuses(outcomes)).toEqual(['conflict', 'applied', 'applied']);
    } finally {
      emu!.faults.rejectItem = null;
    }
    expect(retries).toEqual(['es_rejected_execution_exception:3']);
    expect(await read(index, 'a')).toEqual({ v: 2 });
    expect(await read(index, 'b')).toEqual({ v: 1 });
  });

  it('retries a cluster answering 503 until it recovers, and gives up uncommitted when stopping', async () => {
    const index = `orders-${randomUUID().slice(0, 8)}`;
    emu!.faults.failNext(2, 503, '/_bulk');
    expect(statuses(await applier().apply([op(index, 0, 'index', '{"v":1}')], ctx))).toEqual(['applied']);
    emu!.faults.failNext(1_000, 503, '/_bulk');
    const stopping = new AbortController();
    const slow = new BulkWriteApplier({
      transport: upstreamTransport(upstream, cluster),
      onRetry: () => stopping.abort(),
    });
    try {
      expect(
        await slow.apply([op(index, 1, 'index', '{"v":2}')], { ...ctx, signal: stopping.signal }),
      ).toBeUndefined();
    } finally {
      emu!.faults.clear();
    }
    expect(await read(index)).toEqual({ v: 1 });
  });
});
