// The sink against OpenSearch's real `_bulk` replies and refusals: an `_id` OpenSearch's
// request validation refuses would fail the whole request (so it is a rejection before
// sending, the rest written); a 5xx item (unavailable shards) is transient like a 429; a
// 200 reply that does not answer every action, in order, is never success; a 401 says
// so without the credentials. Against the emulator, or a real cluster (OPENSEARCH_URL)
// for what needs no crafted reply.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type DocumentId, parseIndexName } from '@flusso/core';
import { startEmulator } from '@flusso/opensearch-emulator';
import { Client } from '@opensearch-project/opensearch';
import { describe, expect, it } from 'vitest';
import { OpenSearchSink, type OpenSearchSinkOptions } from './opensearch-sink.js';
import { type Emulator, emu, reader, real, url, useTestCluster } from './test-cluster.fixture.js';

useTestCluster();
let n = 0;

const index = parseIndexName('users');
const id = (s: string) => s as DocumentId;
const mapping = { mappings: { dynamic: 'strict', properties: { name: { type: 'keyword' } } } };

async function fresh(options: Partial<OpenSearchSinkOptions> = {}) {
  n += 1;
  const prefix = `r${Date.now().toString(36)}${n}_`;
  const sink = new OpenSearchSink({
    name: 'primary',
    url,
    prefix,
    numberOfReplicas: 0,
    backoff: { initialMs: 1, maxMs: 5, factor: 2 },
    tlsVerify: false,
    ...options,
  });
  await sink.ensureIndex({ name: index, mapping, hash: 'h1' });
  return { sink, prefix };
}

async function docsIn(alias: string): Promise<string[]> {
  await reader.indices.refresh({ index: alias });
  const res = await reader.search({ index: alias, body: { size: 100, query: { match_all: {} } } });
  return res.body.hits.hits.map((h) => h._id as string).sort();
}

type Reply = { status: number; body: string; headers?: Record<string, string> } | null;

/** Forwards to the cluster, except `_bulk` requests `craft` answers itself (null: forward). */
async function crafting(craft: (body: string) => Reply): Promise<{ url: string; server: Server }> {
  const upstream = new URL(url);
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const crafted = req.url?.includes('/_bulk') ? craft(body.toString('utf8')) : null;
    if (crafted) {
      res.writeHead(crafted.status, {
        'content-type': 'application/json; charset=UTF-8',
        ...crafted.headers,
      });
      res.end(crafted.body);
      return;
    }
    const out = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    out.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** The `_id`s of the actions in an NDJSON bulk body. */
function actionIds(body: string): string[] {
  const ids: string[] = [];
  const lines = body.split('\n').filter((l) => l !== '');
  for (let i = 0; i < lines.length; i++) {
    const [op, meta] = Object.entries(JSON.parse(lines[i] as string))[0] as [string, { _id: string }];
    ids.push(meta._id);
    if (op !== 'delete') i++;
  }
  return ids;
}

const created = (_id: string) => ({
  index: { _index: 'x', _id, _version: 1, result: 'created', status: 201 },
});

describe('OpenSearchSink against real bulk replies', () => {
  it('rejects a document whose _id is over 512 bytes before sending, and writes the rest', async () => {
    const { sink, prefix } = await fresh();
    const long = 'é'.repeat(300); // 600 bytes of UTF-8, 300 UTF-16 units
    sink.write({ op: 'upsert', index, id: id('a'), document: { name: 'A' } });
    sink.write({ op: 'upsert', index, id: id(long), document: { name: 'long' } });
    sink.write({ op: 'delete', index, id: id(`${long}x`) });
    sink.write({ op: 'upsert', index, id: id('z'.repeat(512)), document: { name: 'just fits' } });
    const report = await sink.flush(true);
    expect(report.written).toBe(2);
    expect(report.rejections).toEqual([
      expect.objectContaining({
        id: long,
        op: 'upsert',
        status: 400,
        type: 'action_request_validation_exception',
      }),
      expect.objectContaining({
        id: `${long}x`,
        op: 'delete',
        status: 400,
        type: 'action_request_validation_exception',
      }),
    ]);
    expect(await docsIn(`${prefix}users`)).toEqual(['a', 'z'.repeat(512)]);
    await sink.close();
  });

  it.runIf(!real)('retries an item a shard answered 503 (unavailable shards), then writes it', async () => {
    const { sink, prefix } = await fresh();
    let failures = 2;
    (emu as Emulator).faults.rejectItem = (_index, docId) =>
      docId === 'b' && failures-- > 0
        ? { status: 503, type: 'unavailable_shards_exception', reason: 'primary shard is not active' }
        : null;
    try {
      sink.write({ op: 'upsert', index, id: id('a'), document: { name: 'A' } });
      sink.write({ op: 'upsert', index, id: id('b'), document: { name: 'B' } });
      expect(await sink.flush(true)).toEqual({ written: 2, rejections: [] });
    } finally {
      (emu as Emulator).faults.rejectItem = null;
    }
    expect(await docsIn(`${prefix}users`)).toEqual(['a', 'b']);
    await sink.close();
  });

  it.runIf(!real)('surfaces sink_transient when a 5xx item keeps failing, never a rejection', async () => {
    const { sink } = await fresh({ maxRetries: 2 });
    (emu as Emulator).faults.rejectItem = () => ({ status: 500, type: 'exception', reason: 'shard failure' });
    try {
      sink.write({ op: 'upsert', index, id: id('a'), document: { name: 'A' } });
      await expect(sink.flush(false)).rejects.toMatchObject({ code: 'sink_transient' });
    } finally {
      (emu as Emulator).faults.rejectItem = null;
    }
    await sink.close();
  });

  const malformed: [string, (ids: string[]) => unknown][] = [
    ['fewer items than actions', (ids) => ids.slice(1).map(created)],
    ['more items than actions', (ids) => [...ids, 'extra'].map(created)],
    ['no items at all', () => undefined],
    ['the items of other documents', (ids) => ids.map((i) => created(`${i}-other`))],
    ['an item without a status', (ids) => ids.map((i) => ({ index: { _id: i, result: 'created' } }))],
  ];
  for (const [what, items] of malformed)
    it.runIf(!real)(`fails the flush (sink_failed) on a 200 reply with ${what}`, async () => {
      const fake = await crafting((body) => ({
        status: 200,
        body: JSON.stringify({ took: 1, errors: false, items: items(actionIds(body)) }),
      }));
      const { sink } = await fresh({ url: fake.url });
      try {
        for (const doc of ['a', 'b', 'c'])
          sink.write({ op: 'upsert', index, id: id(doc), document: { name: doc } });
        await expect(sink.flush(false)).rejects.toMatchObject({ code: 'sink_failed' });
      } finally {
        await sink.close();
        fake.server.close();
      }
    });

  it.runIf(!real)(
    'waits as long as a 429/503 Retry-After says (seconds or a date), capped at a minute',
    async () => {
      const now = Date.UTC(2026, 0, 1, 12, 0, 0);
      const busy = '{"error":{"type":"es_rejected_execution_exception","reason":"busy"},"status":429}';
      const replies: Reply[] = [
        { status: 429, body: busy, headers: { 'retry-after': '7' } },
        { status: 503, body: busy, headers: { 'retry-after': new Date(now + 3000).toUTCString() } },
        { status: 429, body: busy, headers: { 'retry-after': '3600' } },
      ];
      const fake = await crafting(() => replies.shift() ?? null);
      const sleeps: number[] = [];
      const clock = {
        now: () => now,
        monotonic: () => 0,
        sleep: async (ms: number) => {
          sleeps.push(ms);
        },
      };
      const { sink } = await fresh({ url: fake.url, clock });
      try {
        sink.write({ op: 'upsert', index, id: id('a'), document: { name: 'A' } });
        expect(await sink.flush(false)).toEqual({ written: 1, rejections: [] });
        expect(sleeps).toEqual([7000, 3000, 60_000]);
      } finally {
        await sink.close();
        fake.server.close();
      }
    },
  );

  it.runIf(!real)(
    'fails a 401 as sink_failed, naming the status and error type, never the credentials',
    async () => {
      const fake = await crafting(() => ({
        status: 401,
        body: '{"error":{"root_cause":[{"type":"security_exception","reason":"Authentication required"}],"type":"security_exception","reason":"Authentication required"},"status":401}',
      }));
      const { sink } = await fresh({ url: fake.url, username: 'flusso', password: 's3cret-pw' });
      try {
        sink.write({ op: 'upsert', index, id: id('a'), document: { name: 'A' } });
        const error = (await sink.flush(false).then(
          () => null,
          (e: unknown) => e,
        )) as Error & { code: string; context: unknown };
        expect(error).toMatchObject({ code: 'sink_failed' });
        expect(error.message).toContain('status 401 security_exception');
        expect(`${error.message} ${JSON.stringify(error.context)}`).not.toContain('s3cret-pw');
      } finally {
        await sink.close();
        fake.server.close();
      }
    },
  );
});

describe.runIf(!real)('OpenSearchSink against a cluster with a small http.max_content_length', () => {
  it('splits a chunk refused 413 until each part fits, and rejects a document that fits in no request', async () => {
    const small = await startEmulator({ maxContentLength: 700 });
    const sink = new OpenSearchSink({
      name: 'primary',
      url: small.url,
      prefix: 'mcl_',
      numberOfReplicas: 0,
      backoff: { initialMs: 1, maxMs: 5, factor: 2 },
    });
    const check = new Client({ node: small.url });
    try {
      await sink.ensureIndex({ name: index, mapping, hash: 'h1' });
      for (let i = 0; i < 8; i++)
        sink.write({ op: 'upsert', index, id: id(`d${i}`), document: { name: `${i}${'x'.repeat(100)}` } });
      sink.write({ op: 'upsert', index, id: id('huge'), document: { name: 'y'.repeat(800) } });
      sink.write({ op: 'upsert', index, id: id('last'), document: { name: 'last' } });
      const report = await sink.flush(true);
      expect(report.rejections).toEqual([
        expect.objectContaining({ id: 'huge', status: 413, type: 'request_entity_too_large' }),
      ]);
      expect(report.written).toBe(9);
      const res = await check.search({ index: 'mcl_users', body: { size: 100 } });
      const ids = res.body.hits.hits.map((h) => h._id as string).sort();
      expect(ids).toEqual([...Array.from({ length: 8 }, (_, i) => `d${i}`), 'last'].sort());
      // The refresh rode on the last request: everything was visible at once.
      const bulks = small.requests.filter((r) => r.path.endsWith('/_bulk'));
      expect(bulks.at(-1)?.query).toContain('refresh=true');
    } finally {
      await check.close();
      await sink.close();
      await small.close();
    }
  });
});
