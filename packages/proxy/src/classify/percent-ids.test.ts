// A path segment is decoded once, as OpenSearch decodes it. Decoded until it stopped
// changing, the id `a%41` (sent `a%2541`) became `aA`, one document with the id `aA`,
// and `100%` (sent `100%25`) was refused. The class: ids holding `%` sequences
// round-trip through the URL, each its own document; traversal stays refused.
import { type PartitionId, parsePartitionId } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { harness } from '../testing/proxy.fixture.js';

const acme = { principal: { id: 'app-acme', tenant: parsePartitionId('acme') as PartitionId } };
// (A literal `%2e%2e` stays refused: decoded twice it is `..`.)
const IDS = ['a%41', 'aA', '100%', '%25', '%2525', 'x%zz', '%', 'a%2e'];

describe('ids with percent sequences in the path', () => {
  it('each is its own document, stored and answered as written', async () => {
    const h = harness();
    for (const [n, id] of IDS.entries()) {
      const put = await h.send('PUT', `/orders/_doc/${encodeURIComponent(id)}?refresh=true`, {
        ...acme,
        body: { n },
      });
      expect(put.status, id).toBe(201);
      expect(put.body._id).toBe(id);
      expect(h.upstream.ops.at(-1)?.path).toBe(
        `/osproxy-shared/_doc/${encodeURIComponent(`acme:orders:${id}`)}`,
      );
    }
    for (const [n, id] of IDS.entries()) {
      const got = await h.send('GET', `/orders/_doc/${encodeURIComponent(id)}`, acme);
      expect(got.body, id).toMatchObject({ _id: id, _source: { n } });
    }
  });

  it.each(['/orders/_doc/%2e%2e', '/orders/_doc/%252e%252e', '/orders/_doc/%25252e', '/orders/_doc/a%252Fb'])(
    'still refuses %s, which decodes to traversal',
    async (path) => {
      const h = harness();
      const r = await h.send('GET', path, acme);
      expect(r.status).toBe(400);
      expect(h.upstream.ops).toEqual([]);
    },
  );
});
