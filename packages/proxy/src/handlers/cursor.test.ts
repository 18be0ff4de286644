import { describe, expect, it } from 'vitest';
import { harness } from '../testing/proxy.fixture.js';

async function seeded(key?: string | null) {
  const h = harness(key === undefined ? {} : { key });
  const ndjson = [];
  for (let i = 0; i < 7; i++)
    ndjson.push({ index: { _index: 'orders', _id: `a${i}` } }, { tenant_id: 'acme', i });
  for (let i = 0; i < 5; i++)
    ndjson.push({ index: { _index: 'orders', _id: `g${i}` } }, { tenant_id: 'globex', i });
  await h.send('POST', '/_bulk?refresh=true', { ndjson });
  return h;
}

describe('scroll and point in time through the proxy', () => {
  it('scrolls every page of the partition with logical ids and sealed scroll ids, then clears', async () => {
    const h = await seeded();
    const first = await h.send('POST', '/orders/_search?scroll=1m', {
      tenant: 'acme',
      body: { size: 3, sort: [{ i: 'asc' }] },
    });
    expect(first.status).toBe(200);
    const ids: string[] = first.body.hits.hits.map((x: { _id: string }) => x._id);
    let scrollId: string = first.body._scroll_id;
    expect(scrollId.split('.')).toHaveLength(4);
    for (;;) {
      const page = await h.send('POST', '/_search/scroll', {
        tenant: 'acme',
        body: { scroll: '1m', scroll_id: scrollId },
      });
      expect(page.status).toBe(200);
      if (page.body.hits.hits.length === 0) break;
      for (const hit of page.body.hits.hits) {
        expect(hit._index).toBe('orders');
        expect(hit._source._tenant).toBeUndefined();
        ids.push(hit._id);
      }
      scrollId = page.body._scroll_id;
    }
    expect(ids.sort()).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6']);
    const cleared = await h.send('DELETE', '/_search/scroll', {
      tenant: 'acme',
      body: { scroll_id: [scrollId] },
    });
    expect(cleared).toMatchObject({ status: 200, body: { succeeded: true } });
  });

  it('opens a PIT, searches it filtered and reshaped, and closes it on the pinned cluster', async () => {
    const h = await seeded();
    const pit = await h.send('POST', '/orders/_search/point_in_time?keep_alive=1m', { tenant: 'globex' });
    expect(pit.status).toBe(200);
    const pitId: string = pit.body.pit_id;
    await h.send('PUT', '/orders/_doc/late?refresh=true', { body: { tenant_id: 'globex', i: 99 } });
    const page = await h.send('POST', '/_search', {
      tenant: 'globex',
      body: { pit: { id: pitId, keep_alive: '1m' }, size: 50, query: { match_all: {} } },
    });
    expect(page.status).toBe(200);
    expect(page.body.hits.hits.map((x: { _id: string }) => x._id).sort()).toEqual([
      'g0',
      'g1',
      'g2',
      'g3',
      'g4',
    ]);
    expect(page.body.hits.hits[0]._index).toBe('orders');
    const closed = await h.send('DELETE', '/_search/point_in_time', {
      tenant: 'globex',
      body: { pit_id: [pitId] },
    });
    expect(closed).toMatchObject({ status: 200, body: { pits: [{ pit_id: pitId, successful: true }] } });
  });

  it('fails closed on forged, tampered, foreign and unsealed cursors, with no upstream call', async () => {
    const h = await seeded();
    const first = await h.send('POST', '/orders/_search?scroll=1m', { tenant: 'acme', body: { size: 1 } });
    const sealed: string = first.body._scroll_id;
    const [cluster, tag, index, raw] = sealed.split('.') as [string, string, string, string];
    const flipped = `${tag.slice(0, -1)}${tag.endsWith('0') ? '1' : '0'}`;
    const forged = [
      raw,
      `${cluster}.${flipped}.${index}.${raw}`,
      `${cluster}.${tag}.${index}.${raw}x`,
      `${Buffer.from('other').toString('hex')}.${tag}.${index}.${raw}`,
      'not-a-cursor',
      '',
    ];
    const before = h.upstream.ops.length;
    for (const id of forged) {
      const res = await h.send('POST', '/_search/scroll', { tenant: 'acme', body: { scroll_id: id } });
      expect(res).toMatchObject({ status: 400, body: { error: 'cursor_unresolvable', retryable: false } });
      const pit = await h.send('POST', '/_search', { tenant: 'acme', body: { pit: { id } } });
      expect(pit).toMatchObject({ status: 400, body: { error: 'cursor_unresolvable' } });
    }
    // A genuine cursor presented by another tenant does not verify either.
    const foreign = await h.send('POST', '/_search/scroll', {
      tenant: 'globex',
      body: { scroll_id: sealed },
    });
    expect(foreign).toMatchObject({ status: 400, body: { error: 'cursor_unresolvable' } });
    const clearAll = await h.send('DELETE', '/_search/scroll', {
      tenant: 'acme',
      body: { scroll_id: '_all' },
    });
    expect(clearAll).toMatchObject({ status: 400, body: { error: 'cursor_unresolvable' } });
    expect(h.upstream.ops.length).toBe(before);
  });

  it('refuses to open a scroll or PIT when no cursor key is configured', async () => {
    const h = await seeded(null);
    const before = h.upstream.ops.length;
    const scroll = await h.send('POST', '/orders/_search?scroll=1m', { tenant: 'acme', body: {} });
    expect(scroll).toMatchObject({ status: 400, body: { error: 'cursor_unresolvable' } });
    const pit = await h.send('POST', '/orders/_search/point_in_time?keep_alive=1m', { tenant: 'acme' });
    expect(pit).toMatchObject({ status: 400, body: { error: 'cursor_unresolvable' } });
    expect(h.upstream.ops.length).toBe(before);
  });
});
