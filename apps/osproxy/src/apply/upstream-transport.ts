// The applier's cluster calls over the proxy's own upstream client (pooled
// keep-alive connections, TLS, timeouts, breaker): one `_bulk` or `_mget` POST.
import { type ClusterId, newTraceContext, parseEpoch } from '@flusso/core';
import type { UndiciUpstream } from '@flusso/sinks/upstream';
import type { ClusterTransport } from './write-applier.js';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export function upstreamTransport(upstream: UndiciUpstream, cluster: ClusterId): ClusterTransport {
  let n = 0;
  return {
    async post(path, body) {
      n += 1;
      const base = {
        target: { cluster },
        method: 'POST' as const,
        path,
        query: {},
        body: encoder.encode(body),
        headers: { 'content-type': path === '/_bulk' ? 'application/x-ndjson' : 'application/json' },
        trace: newTraceContext(),
        requestId: `apply-${n}`,
      };
      const reply =
        path === '/_bulk'
          ? await upstream.bulk({ ...base, kind: 'bulk', items: 0, epoch: parseEpoch(0) })
          : await upstream.read({ ...base, kind: 'read', action: 'mget' });
      return { status: reply.status, text: decoder.decode(reply.body) };
    },
  };
}
