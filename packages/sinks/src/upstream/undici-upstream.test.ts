// UndiciUpstream over real HTTP on loopback: each test asserts what the upstream
// server captured or what the caller got back.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatTraceparent, parseClusterId } from '@flusso/core';
import { ManualClock } from '@flusso/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { BulkOp, CursorOp, ForwardOp, ReadOp, SearchOp } from './contract.js';
import { UndiciUpstream, type UndiciUpstreamOptions } from './undici-upstream.js';
import {
  base,
  type Cert,
  CLIENT_TRACESTATE,
  cluster,
  deadUrl,
  epoch,
  h1,
  h2,
  indexOp,
  json,
  type Recorder,
  selfSigned,
  startH2c,
  startH2Tls,
  startRecorder,
  startStuck,
  target,
  text,
} from './upstream.fixture.js';
import { UpstreamError } from './upstream-error.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

function upstream(options: UndiciUpstreamOptions = {}): UndiciUpstream {
  const u = new UndiciUpstream(options);
  cleanups.push(() => u.close());
  return u;
}

async function server(start: Promise<Recorder>): Promise<Recorder> {
  const s = await start;
  cleanups.push(() => s.close());
  return s;
}

async function caught(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UpstreamError) return error;
    throw error;
  }
  throw new Error('expected an UpstreamError');
}

const only = (s: Recorder) => {
  expect(s.requests).toHaveLength(1);
  return s.requests[0] as NonNullable<(typeof s.requests)[0]>;
};

describe('UndiciUpstream', () => {
  it('propagates the trace context: same trace id, the proxy span id, tracestate verbatim', async () => {
    const s = await server(startRecorder({ status: 201, body: '{"_id":"acme:1","result":"created"}' }));
    const op = indexOp(target('eu-1', 'orders-shared', h1(s.url)), 'acme:1', { _tenant: 'acme' }, 'acme');
    await upstream().write(op);

    const got = only(s);
    expect(got.headers.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(got.headers.traceparent).not.toContain('00f067aa0ba902b7');
    expect(got.headers.traceparent).toBe(formatTraceparent(op.trace));
    expect(got.headers.tracestate).toBe(CLIENT_TRACESTATE);
    expect(got.headers['x-request-id']).toBe('req-42');
  });

  it('forwards a cursor op with its method, path and body to the pinned cluster and relays the reply', async () => {
    const s = await server(startRecorder({ body: '{"_scroll_id":"X","hits":{"hits":[]}}' }));
    const op: CursorOp = {
      kind: 'cursor',
      action: 'scroll',
      ...base(target('eu-1', undefined, h1(s.url)), {
        method: 'POST',
        path: '/_search/scroll',
        body: json({ scroll: '1m', scroll_id: 'REALID' }),
      }),
    };
    const res = await upstream().cursor(op);

    const got = only(s);
    expect(got.method).toBe('POST');
    expect(got.url).toBe('/_search/scroll');
    expect(JSON.parse(got.body)).toEqual({ scroll: '1m', scroll_id: 'REALID' });
    expect(got.headers['content-type']).toBe('application/json');
    expect(res.status).toBe(200);
    expect(text(res.body)).toBe('{"_scroll_id":"X","hits":{"hits":[]}}');
    expect(res.headers['content-type']).toBe('application/json');
  });

  it('relays forwarded client headers, drops hop-by-hop ones, and a client content type wins', async () => {
    const s = await server(startRecorder({ body: '{"ok":true}' }));
    const op: ForwardOp = {
      kind: 'forward',
      action: 'admin',
      ...base(target('eu-1', undefined, h1(s.url)), {
        method: 'POST',
        path: '/_cat/health',
        body: new TextEncoder().encode('hello'),
        headers: {
          'X-Custom-Header': 'abc',
          authorization: 'Bearer client-token',
          'content-type': 'text/plain',
          connection: 'x-hop',
          'x-hop': 'listed-in-connection',
          'keep-alive': 'timeout=5',
          'proxy-authorization': 'Basic cHJveHk=',
          upgrade: 'websocket',
          host: 'evil.example',
          'content-length': '999',
          traceparent: '00-11111111111111111111111111111111-2222222222222222-01',
        },
      }),
    };
    await upstream().forward(op);

    const got = only(s);
    expect(got.headers['x-custom-header']).toBe('abc');
    expect(got.headers.authorization).toBe('Bearer client-token');
    expect(got.headers['content-type']).toBe('text/plain');
    expect(got.body).toBe('hello');
    expect(got.headers['content-length']).toBe('5');
    expect(got.headers.host).toBe(new URL(s.url).host);
    for (const dropped of ['x-hop', 'keep-alive', 'proxy-authorization', 'upgrade']) {
      expect(got.headers[dropped], dropped).toBeUndefined();
    }
    expect(got.headers.traceparent).toBe(formatTraceparent(op.trace));
  });

  it('sends a bulk body as NDJSON to the path the proxy chose', async () => {
    const s = await server(startRecorder({ body: '{"errors":false,"items":[]}' }));
    const ndjson = '{"index":{"_id":"a:1"}}\n{"x":1}\n';
    const op: BulkOp = {
      kind: 'bulk',
      items: 1,
      epoch,
      ...base(target('eu-1', 'orders', h1(s.url)), {
        method: 'POST',
        path: '/orders/_bulk',
        query: { routing: 'acme' },
        body: new TextEncoder().encode(ndjson),
      }),
    };
    const res = await upstream().bulk(op);

    const got = only(s);
    expect(got.url).toBe('/orders/_bulk?routing=acme');
    expect(got.headers['content-type']).toBe('application/x-ndjson');
    expect(got.body).toBe(ndjson);
    expect(JSON.parse(text(res.body))).toEqual({ errors: false, items: [] });
  });

  it('forwardStream streams the request body and the reply without buffering either', async () => {
    let sawFirstChunk: () => void = () => undefined;
    const firstChunkSeen = new Promise<void>((resolve) => {
      sawFirstChunk = resolve;
    });
    let readFirstReplyChunk: () => void = () => undefined;
    const firstReplyChunkRead = new Promise<void>((resolve) => {
      readFirstReplyChunk = resolve;
    });
    const seen: { method?: string; url?: string; body: string } = { body: '' };
    const http = createServer((req, res) => {
      seen.method = req.method;
      seen.url = req.url;
      req.on('data', (c: Buffer) => {
        seen.body += c.toString('utf8');
        sawFirstChunk();
      });
      req.on('end', async () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"result":');
        await firstReplyChunkRead;
        res.end('"created"}');
      });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    });
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

    // The second chunk is produced only once the server has received the first:
    // a buffering upstream would never send anything.
    async function* body(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode('{"msg":');
      await firstChunkSeen;
      yield new TextEncoder().encode('"streamed"}');
    }
    const op: ForwardOp = {
      kind: 'forward',
      action: 'passthrough',
      ...base(target('eu-1', undefined, h1(url)), { method: 'POST', path: '/legacy/_doc' }),
    };
    const res = await upstream().forwardStream(op, body());
    expect(res.status).toBe(200);

    const chunks: string[] = [];
    for await (const chunk of res.body) {
      chunks.push(text(chunk));
      readFirstReplyChunk();
    }
    expect(seen).toEqual({ method: 'POST', url: '/legacy/_doc', body: '{"msg":"streamed"}' });
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    expect(chunks.join('')).toBe('{"result":"created"}');
  });

  it('refuses a path with a dot segment before dispatch, plain or percent-encoded', async () => {
    const s = await server(startRecorder());
    const u = upstream();
    for (const path of [
      '/_cat/../_cluster/settings',
      '/_cat/%2e%2E/_cluster',
      '/a/./b',
      '/_cat/..%2F_cluster',
    ]) {
      const op: CursorOp = {
        kind: 'cursor',
        action: 'scroll',
        ...base(target('eu-1', undefined, h1(s.url)), { method: 'GET', path }),
      };
      const err = await caught(u.cursor(op));
      expect(err.code, path).toBe('refused_request');
    }
    expect(s.requests).toHaveLength(0);
    expect(s.accepts).toBe(0);
    expect(u.poolStats(cluster('eu-1'))).toBeUndefined();
  });

  it('appends a search op allow-listed query to the upstream URL', async () => {
    const s = await server(startRecorder({ body: '{"_scroll_id":"X","hits":{"hits":[]}}' }));
    const op: SearchOp = {
      kind: 'search',
      action: 'search',
      ...base(target('eu-1', 'orders-shared', h1(s.url)), {
        method: 'POST',
        path: '/orders-shared/_search',
        query: { scroll: '1m' },
        body: json({ query: { match_all: {} } }),
      }),
    };
    await upstream().search(op);

    const got = only(s);
    expect(got.method).toBe('POST');
    expect(got.url).toBe('/orders-shared/_search?scroll=1m');
  });

  it('sends an index op with id and routing and returns the parsed reply', async () => {
    const s = await server(startRecorder({ status: 201, body: '{"_id":"acme:1001","result":"created"}' }));
    const op = indexOp(
      target('eu-1', 'orders-shared', h1(s.url)),
      'acme:1001',
      { _tenant: 'acme', msg: 'hi' },
      'acme',
    );
    const res = await upstream().write(op);

    expect(res.status).toBe(201);
    expect(JSON.parse(text(res.body))).toEqual({ _id: 'acme:1001', result: 'created' });
    const got = only(s);
    expect(got.method).toBe('PUT');
    expect(got.url).toBe('/orders-shared/_doc/acme:1001?routing=acme');
    expect(JSON.parse(got.body)).toEqual({ _tenant: 'acme', msg: 'hi' });
  });

  it('dispatches an h2 cluster over HTTP/2 (prior knowledge) on one multiplexed connection', async () => {
    const s = await server(startH2c({ status: 201, body: '{"_id":"acme:1","result":"created"}' }));
    const u = upstream();
    const t = target('eu-1', 'orders', h2(s.url));
    const first = await u.write(indexOp(t, 'acme:1', {}));
    const second = await u.write(indexOp(t, 'acme:2', {}));

    expect(s.requests.map((r) => [r.httpVersion, r.method, r.url])).toEqual([
      ['2.0', 'PUT', '/orders/_doc/acme:1'],
      ['2.0', 'PUT', '/orders/_doc/acme:2'],
    ]);
    expect(s.requests[0]?.headers.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-/);
    expect([first.status, first.reused, second.reused]).toEqual([201, false, true]);
    expect(s.accepts).toBe(1);
    expect(u.poolStats(cluster('eu-1'))).toEqual({ opened: 1, dispatched: 2, reused: 1 });
  });

  describe('over TLS', () => {
    let serverCert: Cert;
    let clientCert: Cert;

    it('speaks h2 over TLS with the configured CA and presents the client certificate', async () => {
      serverCert = selfSigned('localhost');
      clientCert = selfSigned('osproxy-client');
      const s = await server(startH2Tls(serverCert, { body: '{"found":true}' }, clientCert.cert));
      const eu = parseClusterId('eu-tls');
      const u = upstream({
        clusters: new Map([
          [
            eu,
            {
              url: s.url,
              protocol: 'h2',
              tls: { ca: serverCert.cert, cert: clientCert.cert, key: clientCert.key },
            },
          ],
        ]),
      });
      const op: ReadOp = {
        kind: 'read',
        action: 'get',
        ...base(target('eu-tls', 'orders'), { method: 'GET', path: '/orders/_doc/1' }),
      };
      const res = await u.read(op);

      expect(res.status).toBe(200);
      const got = only(s);
      expect(got.httpVersion).toBe('2.0');
      expect(got.clientCn).toBe('osproxy-client');
    });

    it('refuses a cluster whose certificate is not trusted, as a retryable transport failure', async () => {
      const untrusted = selfSigned('localhost');
      const s = await server(startH2Tls(untrusted));
      const op: ReadOp = {
        kind: 'read',
        action: 'get',
        ...base(target('eu-1', 'orders', h2(s.url)), { method: 'GET', path: '/orders/_doc/1' }),
      };
      const err = await caught(upstream().read(op));
      expect(err.code).toBe('transport');
      expect(err.retryable).toBe(true);
      expect(s.requests).toHaveLength(0);
    });
  });

  it('returns a get by id with the found document', async () => {
    const s = await server(
      startRecorder({
        body: '{"_index":"orders-shared","_id":"acme:7","found":true,"_source":{"_tenant":"acme","msg":"hi"}}',
      }),
    );
    const op: ReadOp = {
      kind: 'read',
      action: 'get',
      ...base(target('eu-1', 'orders-shared', h1(s.url)), {
        method: 'GET',
        path: '/orders-shared/_doc/acme:7',
        query: { routing: 'acme' },
      }),
    };
    const res = await upstream().read(op);

    expect(res.status).toBe(200);
    expect(JSON.parse(text(res.body))).toMatchObject({ found: true, _source: { msg: 'hi' } });
    const got = only(s);
    expect(got.method).toBe('GET');
    expect(got.url).toBe('/orders-shared/_doc/acme:7?routing=acme');
    expect(got.body).toBe('');
    expect(got.headers['content-type']).toBeUndefined();
  });

  it('returns an HTTP error status as a reply, not a throw, and keeps the circuit closed', async () => {
    const s = await server(startRecorder({ status: 503, body: '{"error":"unavailable"}' }));
    const u = upstream({ breakerThreshold: 1 });
    const t = target('eu-1', 'orders', h1(s.url));
    const res = await u.write(indexOp(t, '1', {}));
    const again = await u.write(indexOp(t, '2', {}));

    expect([res.status, again.status]).toEqual([503, 503]);
    expect(text(res.body)).toBe('{"error":"unavailable"}');
    expect(u.breakerState(cluster('eu-1'))).toBe('closed');
    expect(s.requests).toHaveLength(2);
  });

  it('routes each cluster to its own pool', async () => {
    const a = await server(startRecorder({ status: 201, body: '{"_id":"a:1"}' }));
    const b = await server(startRecorder({ status: 201, body: '{"_id":"b:1"}' }));
    const u = upstream();
    const ra = await u.write(indexOp(target('eu-1', 'orders', h1(a.url)), '1', {}));
    const rb = await u.write(indexOp(target('us-1', 'orders', h1(b.url)), '1', {}));

    expect(only(a).url).toBe('/orders/_doc/1');
    expect(only(b).url).toBe('/orders/_doc/1');
    expect([text(ra.body), text(rb.body)]).toEqual(['{"_id":"a:1"}', '{"_id":"b:1"}']);
    expect(u.poolStats(cluster('eu-1'))).toMatchObject({ opened: 1, dispatched: 1 });
    expect(u.poolStats(cluster('us-1'))).toMatchObject({ opened: 1, dispatched: 1 });
    expect(u.clusters().sort()).toEqual(['eu-1', 'us-1']);
  });

  it('reaches a configured cluster when the op carries no endpoint', async () => {
    const s = await server(startRecorder({ status: 201 }));
    const u = upstream({ clusters: new Map([[cluster('eu-1'), h1(s.url)]]) });
    const res = await u.write(indexOp(target('eu-1', 'orders'), '1', {}));

    expect(res.status).toBe(201);
    expect(only(s).url).toBe('/orders/_doc/1');
  });

  it('fails an unreachable upstream with a retryable transport failure', async () => {
    const url = await deadUrl();
    const op: ReadOp = {
      kind: 'read',
      action: 'get',
      ...base(target('eu-1', 'i', h1(url)), { method: 'GET', path: '/i/_doc/x' }),
    };
    const err = await caught(upstream().read(op));
    expect(err.code).toBe('transport');
    expect(err.retryable).toBe(true);
    expect(err.context).toMatchObject({ cluster: 'eu-1', reason: 'transport', code: 'ECONNREFUSED' });
  });

  it('opens the circuit after the threshold, sheds without dispatch, retries after the cooldown', async () => {
    const url = await deadUrl();
    const clock = new ManualClock();
    const u = upstream({ clock, breakerThreshold: 2, breakerCooldownMs: 5_000 });
    const write = () => caught(u.write(indexOp(target('eu-1', 'i', h1(url)), 'x', {})));
    const eu = cluster('eu-1');

    expect((await write()).context.reason).toBe('transport');
    expect(u.breakerState(eu)).toBe('closed');
    expect((await write()).context.reason).toBe('transport');
    expect(u.breakerState(eu)).toBe('open');

    const started = performance.now();
    const shed = await write();
    expect(shed.code).toBe('circuit_open');
    expect(shed.retryable).toBe(true);
    expect(shed.context).toEqual({ cluster: 'eu-1', reason: 'circuit_open' });
    expect(performance.now() - started).toBeLessThan(50);
    expect(u.poolStats(eu)?.dispatched).toBe(2);

    clock.advance(6_000);
    expect(u.breakerState(eu)).toBe('half_open');
    expect((await write()).context.reason).toBe('transport');
    expect(u.poolStats(eu)?.dispatched).toBe(3);
    expect(u.breakerState(eu)).toBe('open');
  });

  it('closes the circuit when the half-open trial succeeds', async () => {
    let failing = true;
    const s = await server(
      startRecorder((req, res) => {
        if (failing) req.socket.destroy();
        else res.end('{"result":"created"}');
      }),
    );
    const clock = new ManualClock();
    const u = upstream({ clock, breakerThreshold: 2, breakerCooldownMs: 5_000 });
    const write = () => u.write(indexOp(target('eu-1', 'i', h1(s.url)), 'x', {}));
    const eu = cluster('eu-1');

    expect((await caught(write())).context.reason).toBe('transport');
    expect((await caught(write())).context.reason).toBe('transport');
    expect((await caught(write())).context.reason).toBe('circuit_open');
    expect(s.requests).toHaveLength(2);

    clock.advance(5_000);
    failing = false;
    const res = await write();
    expect(res.status).toBe(200);
    expect(s.requests).toHaveLength(3);
    expect(u.breakerState(eu)).toBe('closed');
    expect((await write()).status).toBe(200);
  });

  it('times out a stuck upstream quickly as a retryable timeout', async () => {
    const stuck = await startStuck();
    cleanups.push(() => stuck.close());
    const u = upstream({ timeoutMs: 50 });
    const started = performance.now();
    const err = await caught(u.write(indexOp(target('eu-1', 'i', h1(stuck.url)), 'x', {})));

    expect(err.code).toBe('timeout');
    expect(err.retryable).toBe(true);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('refuses an unconfigured cluster without dispatch', async () => {
    const u = upstream();
    const err = await caught(u.write(indexOp(target('unknown', 'i'), 'x', {})));
    expect(err.code).toBe('bad_endpoint');
    expect(err.context).toEqual({ cluster: 'unknown', reason: 'unconfigured' });
    expect(u.poolStats(cluster('unknown'))).toBeUndefined();
  });

  it('reuses one pooled connection for repeated writes', async () => {
    const s = await server(startRecorder({ status: 201, body: '{"_id":"a:1","result":"created"}' }));
    const u = upstream();
    const flags: boolean[] = [];
    for (let i = 0; i < 5; i += 1) {
      const res = await u.write(indexOp(target('eu-1', 'orders', h1(s.url)), '1', {}));
      expect(res.status).toBe(201);
      flags.push(res.reused);
    }

    expect(flags).toEqual([false, true, true, true, true]);
    expect(s.accepts).toBe(1);
    expect(s.requests).toHaveLength(5);
    expect(u.poolStats(cluster('eu-1'))).toEqual({ opened: 1, dispatched: 5, reused: 4 });
  });

  it('counts a request on a reopened connection as not reused', async () => {
    // The server closes every connection after its reply: each request opens a new one.
    const s = await server(
      startRecorder({ status: 201, body: '{"result":"created"}', headers: { connection: 'close' } }),
    );
    const u = upstream();
    const flags: boolean[] = [];
    for (let i = 0; i < 3; i += 1) {
      const res = await u.write(indexOp(target('eu-1', 'orders', h1(s.url)), String(i), {}));
      expect(res.status).toBe(201);
      flags.push(res.reused);
    }

    expect(flags).toEqual([false, false, false]);
    expect(s.accepts).toBe(3);
    expect(u.poolStats(cluster('eu-1'))).toEqual({ opened: 3, dispatched: 3, reused: 0 });
  });

  it('counts reuse per connection when requests overlap', async () => {
    const s = await server(startRecorder({ status: 201, body: '{"result":"created"}' }));
    const u = upstream();
    const write = (id: string) => u.write(indexOp(target('eu-1', 'orders', h1(s.url)), id, {}));
    // Three at once open three connections; three more at once ride them.
    const first = await Promise.all(['1', '2', '3'].map(write));
    await new Promise((resolve) => setImmediate(resolve));
    const second = await Promise.all(['4', '5', '6'].map(write));

    expect(first.map((r) => r.reused)).toEqual([false, false, false]);
    expect(second.map((r) => r.reused)).toEqual([true, true, true]);
    expect(s.accepts).toBe(3);
    expect(u.poolStats(cluster('eu-1'))).toEqual({ opened: 3, dispatched: 6, reused: 3 });
  });
});
