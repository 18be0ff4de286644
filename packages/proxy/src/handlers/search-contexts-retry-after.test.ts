// A tenant refused a search context (429 `too_many_search_contexts`) is told when to
// retry: `retry-after` is the seconds until its soonest context runs out on the
// proxy's Clock, at least 1 and at most 60 (it may clear one of its own sooner).
import { parsePartitionId } from '@flusso/core';
import { ManualClock } from '@flusso/core/testing';
import { describe, expect, it } from 'vitest';
import { SearchContexts } from '../cursor/search-contexts.js';
import { errorResponse } from '../request/json-body.js';
import { isProxyError } from '../request/proxy-error.js';
import { harness } from '../testing/proxy.fixture.js';

async function seeded() {
  const clock = new ManualClock();
  const h = harness({ contexts: new SearchContexts({ maxPerTenant: 2, clock }) });
  const ndjson = [];
  for (let i = 0; i < 3; i++)
    ndjson.push({ index: { _index: 'orders', _id: `a${i}` } }, { tenant_id: 'acme', i });
  await h.send('POST', '/_bulk?refresh=true', { ndjson });
  return { h, clock };
}

const openScroll = (h: ReturnType<typeof harness>, keep: string) =>
  h.send('POST', `/orders/_search?scroll=${keep}`, { tenant: 'acme', body: { size: 1 } });
const openPit = (h: ReturnType<typeof harness>, keep: string) =>
  h.send('POST', `/orders/_search/point_in_time?keep_alive=${keep}`, { tenant: 'acme' });

describe('retry-after on too_many_search_contexts', () => {
  it('names the seconds until the soonest context runs out', async () => {
    const { h, clock } = await seeded();
    expect((await openPit(h, '2m')).status).toBe(200);
    expect((await openScroll(h, '30s')).status).toBe(200);
    clock.advance(10_500);
    const capped = await openScroll(h, '30s');
    expect(capped.status).toBe(429);
    expect(capped.body).toEqual({ error: 'too_many_search_contexts', retryable: true });
    expect(capped.headers['retry-after']).toBe('20');
    // Once it has run out the slot is free, as the header said.
    clock.advance(20_000);
    expect((await openScroll(h, '30s')).status).toBe(200);
  });

  it('is at most a minute when every context is held longer, and at least a second', async () => {
    const { h, clock } = await seeded();
    expect((await openPit(h, '5m')).status).toBe(200);
    expect((await openScroll(h, '5m')).status).toBe(200);
    expect((await openScroll(h, '1m')).headers['retry-after']).toBe('60');
    clock.advance(5 * 60_000 - 1);
    expect((await openScroll(h, '1m')).headers['retry-after']).toBe('1');
  });

  it('is a second when every slot is an open still in flight', () => {
    const contexts = new SearchContexts({ maxPerTenant: 1, clock: new ManualClock() });
    const acme = parsePartitionId('acme');
    contexts.reserve(acme);
    let refusal: unknown;
    try {
      contexts.reserve(acme);
    } catch (error) {
      refusal = error;
    }
    if (!isProxyError(refusal, 'too_many_search_contexts')) throw new Error('expected a refusal');
    const reply = errorResponse(refusal);
    expect([reply.status, reply.headers['retry-after']]).toEqual([429, '1']);
  });
});
