// A terms lookup (or one wrapped in `wrapper`) reads another document by index
// and id. The emulator performs lookups and decodes `wrapper`, so if the proxy let
// one through, a tenant naming another tenant's physical document would get an
// answer shaped by that document: here, its own document comes back only when the
// other tenant's `followers` hold the guessed value. Whatever the proxy answers,
// the answer must not depend on the other tenant's data.
import { type JsonValue, type PartitionId, parsePartitionId } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { type Harness, harness } from '../testing/proxy.fixture.js';

const as = (tenant: string) => ({
  principal: { id: `app-${tenant}`, tenant: parsePartitionId(tenant) as PartitionId },
});
const GUESS = 'guess-followed-by-globex';

/** Where the emulator holds globex's document: its physical index and id. */
function physicalDoc(h: Harness): { index: string; id: string } {
  const store = h.upstream.store();
  store.refresh([...store.indexes.keys()]);
  for (const [index, ix] of store.indexes)
    for (const doc of ix.docs.values())
      if (JSON.stringify(doc.source).includes('secret-globex')) return { index, id: doc.id };
  throw new Error('globex document not found in the emulator');
}

async function setUp(): Promise<{ h: Harness; lookup: JsonValue }> {
  const h = harness();
  const globex = await h.send('PUT', '/orders/_doc/1', {
    ...as('globex'),
    body: { followers: [GUESS], v: 'secret-globex' },
  });
  expect(globex.status).toBeLessThan(300);
  const acme = await h.send('PUT', '/orders/_doc/1', { ...as('acme'), body: { v: GUESS } });
  expect(acme.status).toBeLessThan(300);
  const { index, id } = physicalDoc(h);
  return { h, lookup: { terms: { 'v.keyword': { index, id, path: 'followers' } } } };
}

/** The search's answer carries nothing that only globex's document could have decided. */
function expectNothingOfGlobex(reply: { status: number; body: unknown }): void {
  const text = JSON.stringify(reply.body);
  expect(text).not.toContain('secret-globex');
  // acme's own document matches only if globex's followers were read.
  expect(text).not.toContain(GUESS);
}

describe('terms lookups on another tenant’s document', () => {
  it('the guessed value alone finds acme’s document (so a lookup hit would show)', async () => {
    const { h } = await setUp();
    const r = await h.send('POST', '/orders/_search', {
      ...as('acme'),
      body: { query: { terms: { 'v.keyword': [GUESS] } } },
    });
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).toContain(GUESS);
  });

  it('a terms lookup naming globex’s physical document answers nothing of it', async () => {
    const { h, lookup } = await setUp();
    const r = await h.send('POST', '/orders/_search', { ...as('acme'), body: { query: lookup } });
    expectNothingOfGlobex(r);
  });

  it('a wrapped terms lookup answers nothing of it, in _search and _count', async () => {
    const { h, lookup } = await setUp();
    const wrapper = { wrapper: { query: Buffer.from(JSON.stringify(lookup)).toString('base64') } };
    const r = await h.send('POST', '/orders/_search', { ...as('acme'), body: { query: wrapper } });
    expectNothingOfGlobex(r);
    const count = await h.send('POST', '/orders/_count', { ...as('acme'), body: { query: wrapper } });
    expectNothingOfGlobex(count);
    expect(count.body?.count ?? 0).toBe(0);
  });

  it('a lookup inside a filter aggregation answers nothing of it', async () => {
    const { h, lookup } = await setUp();
    const r = await h.send('POST', '/orders/_search', {
      ...as('acme'),
      body: { size: 0, aggs: { f: { filter: lookup } } },
    });
    expectNothingOfGlobex(r);
    expect(r.body?.aggregations?.f?.doc_count ?? 0).toBe(0);
  });
});
