// `_count` reads `terminate_after` and `min_score` from the URL only; its body holds
// `query` and nothing else (OpenSearch: "request does not support [terminate_after]").
// Moved into the body, a count with either failed upstream.
import { type PartitionId, parsePartitionId } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { harness } from '../testing/proxy.fixture.js';

const acme = { principal: { id: 'app-acme', tenant: parsePartitionId('acme') as PartitionId } };
const dec = new TextDecoder();

describe('_count URL parameters', () => {
  it('stay URL parameters, and the count answers', async () => {
    const h = harness();
    await h.send('PUT', '/orders/_doc/1?refresh=true', { ...acme, body: { v: 1 } });
    const r = await h.send('GET', '/orders/_count?terminate_after=5&min_score=0', {
      ...acme,
      body: { query: { match_all: {} } },
    });
    expect(r.status).toBe(200);
    expect(r.body.count).toBe(1);
    const op = h.upstream.ops.at(-1);
    expect(op?.query).toMatchObject({ terminate_after: '5', min_score: '0', routing: 'acme' });
    expect(dec.decode(op?.body ?? new Uint8Array())).not.toContain('terminate_after');
  });
});
