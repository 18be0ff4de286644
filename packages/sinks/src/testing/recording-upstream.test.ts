import { newTraceContext, parseClusterId } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import type { ForwardOp } from '../upstream/contract.js';
import { UpstreamError } from '../upstream/upstream-error.js';
import { jsonReply, RecordingUpstream } from './recording-upstream.js';

const op = (path: string): ForwardOp => ({
  kind: 'forward',
  action: 'passthrough',
  target: { cluster: parseClusterId('eu-1') },
  method: 'POST',
  path,
  query: {},
  body: null,
  headers: {},
  trace: newTraceContext(),
  requestId: 'r1',
});

describe('RecordingUpstream', () => {
  it('records the request UndiciUpstream would send and answers with the scripted reply', async () => {
    const upstream = new RecordingUpstream((o) => jsonReply(201, { path: o.path }));
    async function* body() {
      yield new TextEncoder().encode('{"a":');
      yield new TextEncoder().encode('1}');
    }
    const res = await upstream.forwardStream(op('/legacy/_doc'), body());
    const chunks: Uint8Array[] = [];
    for await (const c of res.body) chunks.push(c);

    expect(res.status).toBe(201);
    expect(JSON.parse(Buffer.concat(chunks).toString())).toEqual({ path: '/legacy/_doc' });
    const [call] = upstream.calls;
    expect(call?.family).toBe('forwardStream');
    expect(call?.request.headers['content-type']).toBe('application/json');
    expect(new TextDecoder().decode(call?.body ?? new Uint8Array())).toBe('{"a":1}');
  });

  it('refuses a traversal path like the real upstream, recording nothing', async () => {
    const upstream = new RecordingUpstream();
    await expect(upstream.forward(op('/_cat/../_cluster'))).rejects.toBeInstanceOf(UpstreamError);
    expect(upstream.calls).toHaveLength(0);
  });
});
