// One tenant must not hold the cluster's search contexts (scrolls, PITs) so others
// cannot open theirs. What a client observes: past its cap a tenant's next open is
// 429 `too_many_search_contexts` while another tenant still opens one; clearing,
// closing, reading a scroll to its end or letting its keep-alive run out (on the
// proxy's Clock) frees a slot; a keep-alive past the maximum is 400 naming it.
import { ManualClock } from '@flusso/core/testing';
import { describe, expect, it } from 'vitest';
import { SearchContexts } from '../cursor/search-contexts.js';
import { harness } from '../testing/proxy.fixture.js';

async function seeded(options: { max?: number } = {}) {
  const clock = new ManualClock();
  const contexts = new SearchContexts({
    ...(options.max === undefined ? {} : { maxPerTenant: options.max }),
    clock,
  });
  const h = harness({ contexts });
  const ndjson = [];
  for (let i = 0; i < 3; i++) {
    ndjson.push({ index: { _index: 'orders', _id: `a${i}` } }, { tenant_id: 'acme', i });
    ndjson.push({ index: { _index: 'orders', _id: `g${i}` } }, { tenant_id: 'globex', i });
  }
  await h.send('POST', '/_bulk?refresh=true', { ndjson });
  return { h, clock, contexts };
}

const openScroll = (h: ReturnType<typeof harness>, tenant: string, keep = '1m') =>
  h.send('POST', `/orders/_search?scroll=${keep}`, { tenant, body: { size: 1 } });
const openPit = (h: ReturnType<typeof harness>, tenant: string, keep = '1m') =>
  h.send('POST', `/orders/_search/point_in_time?keep_alive=${keep}`, { tenant });

function isCapped(reply: { status: number; body: unknown; headers: Record<string, string> }) {
  expect(reply.status).toBe(429);
  expect(reply.body).toEqual({ error: 'too_many_search_contexts', retryable: true });
}

describe('open search contexts per tenant', () => {
  it('the 51st open (default cap 50) is 429 while another tenant still opens one', async () => {
    const { h } = await seeded();
    for (let i = 0; i < 25; i++) {
      expect((await openScroll(h, 'acme')).status).toBe(200);
      expect((await openPit(h, 'acme')).status).toBe(200);
    }
    const opsBefore = h.upstream.ops.length;
    isCapped(await openScroll(h, 'acme'));
    isCapped(await openPit(h, 'acme'));
    // Refused before dispatch.
    expect(h.upstream.ops.length).toBe(opsBefore);
    // Plain searches are not contexts.
    expect((await h.send('POST', '/orders/_search', { tenant: 'acme', body: {} })).status).toBe(200);
    expect((await openScroll(h, 'globex')).status).toBe(200);
    expect((await openPit(h, 'globex')).status).toBe(200);
  });

  it('clearing a scroll or closing a PIT frees a slot', async () => {
    const { h } = await seeded({ max: 2 });
    const scroll = await openScroll(h, 'acme');
    const pit = await openPit(h, 'acme');
    isCapped(await openScroll(h, 'acme'));
    const cleared = await h.send('DELETE', '/_search/scroll', {
      tenant: 'acme',
      body: { scroll_id: [scroll.body._scroll_id] },
    });
    expect(cleared.body).toMatchObject({ succeeded: true });
    expect((await openScroll(h, 'acme')).status).toBe(200);
    isCapped(await openPit(h, 'acme'));
    await h.send('DELETE', '/_search/point_in_time', { tenant: 'acme', body: { pit_id: [pit.body.pit_id] } });
    expect((await openPit(h, 'acme')).status).toBe(200);
  });

  it('a scroll read to its end (a page with no hits) frees its slot, and a later clear still succeeds', async () => {
    const { h } = await seeded({ max: 1 });
    const first = await openScroll(h, 'acme');
    isCapped(await openScroll(h, 'acme'));
    let id: string = first.body._scroll_id;
    for (let page = 0; page < 10; page++) {
      const next = await h.send('POST', '/_search/scroll', {
        tenant: 'acme',
        body: { scroll: '1m', scroll_id: id },
      });
      expect(next.status).toBe(200);
      if (next.body.hits.hits.length === 0) break;
      id = next.body._scroll_id;
    }
    expect((await openScroll(h, 'acme', '30s')).status).toBe(200);
    const cleared = await h.send('DELETE', '/_search/scroll', { tenant: 'acme', body: { scroll_id: [id] } });
    expect(cleared).toMatchObject({ status: 200, body: { succeeded: true } });
  });

  it('an opening page with no hits ends the scroll at once: empty scrolls never pile up', async () => {
    const { h } = await seeded({ max: 1 });
    for (let i = 0; i < 3; i++) {
      const empty = await h.send('POST', '/nothing/_search?scroll=1m', { tenant: 'acme', body: {} });
      expect(empty.status).toBe(200);
    }
    expect((await openScroll(h, 'acme')).status).toBe(200);
    // Each ended scroll was cleared upstream, so the cluster holds none of them either.
    const clears = h.upstream.ops.filter((op) => op.method === 'DELETE' && op.path === '/_search/scroll');
    expect(clears).toHaveLength(3);
  });

  it("a context's keep-alive running out on the proxy's Clock frees its slot; each continuation renews it", async () => {
    const { h, clock } = await seeded({ max: 1 });
    const scroll = await openScroll(h, 'acme', '1m');
    clock.advance(50_000);
    const next = await h.send('POST', '/_search/scroll', {
      tenant: 'acme',
      body: { scroll: '1m', scroll_id: scroll.body._scroll_id },
    });
    expect(next.body.hits.hits).toHaveLength(1);
    // 50 s + 50 s: past the first keep-alive, not past the renewed one.
    clock.advance(50_000);
    isCapped(await openScroll(h, 'acme'));
    clock.advance(11_000);
    expect((await openPit(h, 'acme', '2m')).status).toBe(200);
    isCapped(await openScroll(h, 'acme'));
    clock.advance(120_000);
    expect((await openScroll(h, 'acme')).status).toBe(200);
  });

  it('a keep-alive longer than the maximum (default 10m), or not a time value, is 400 naming the parameter', async () => {
    const { h } = await seeded();
    const cases = [
      await openScroll(h, 'acme', '11m'),
      await openScroll(h, 'acme', '1d'),
      await openPit(h, 'acme', '601s'),
      await h.send('POST', '/orders/_search/point_in_time', { tenant: 'acme' }),
      await openScroll(h, 'acme', 'forever'),
    ];
    const reasons = ['scroll', 'scroll', 'keep_alive', 'keep_alive', 'scroll'];
    cases.forEach((reply, i) => {
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({ error: 'malformed_request', retryable: false });
      expect(String(reply.headers['x-osproxy-reason'])).toMatch(new RegExp(`^${reasons[i]} `));
    });
    expect((await openScroll(h, 'acme', '10m')).status).toBe(200);
    const scroll = await openScroll(h, 'acme', '1m');
    const renew = await h.send('POST', '/_search/scroll', {
      tenant: 'acme',
      body: { scroll: '1h', scroll_id: scroll.body._scroll_id },
    });
    expect(renew.status).toBe(400);
    const pit = await openPit(h, 'acme');
    const pitRenew = await h.send('POST', '/_search', {
      tenant: 'acme',
      body: { pit: { id: pit.body.pit_id, keep_alive: '2h' } },
    });
    expect(pitRenew.status).toBe(400);
    expect(String(pitRenew.headers['x-osproxy-reason'])).toMatch(/^keep_alive /);
  });
});
