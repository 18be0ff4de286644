// A client may name a document id as a JSON number; OpenSearch takes the token's
// text as written. Read as a double, `12345678901234567891` and `...892` were one
// id (the second write overwrote the first) and `1.0` was `1`. The class: every
// place an id is a number in a body (bulk action lines of each action, mget docs
// and ids, ids and term queries) keeps the number's text.
import { type PartitionId, parsePartitionId } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { harness } from '../testing/proxy.fixture.js';

const acme = { principal: { id: 'app-acme', tenant: parsePartitionId('acme') as PartitionId } };
const IDS = [
  '12345678901234567891',
  '12345678901234567892',
  '9007199254740993',
  '1.0',
  '1',
  '1e2',
  '100',
  '-0',
];
const dec = new TextDecoder();

async function seeded() {
  const h = harness();
  const raw = IDS.map((id, n) => `{"index":{"_index":"orders","_id":${id}}}\n{"n":${n}}\n`).join('');
  const bulk = await h.send('POST', '/_bulk?refresh=true', { ...acme, raw });
  expect(bulk.status).toBe(200);
  expect(bulk.body.items.map((i: { index: { _id: string } }) => i.index._id)).toEqual(IDS);
  expect(bulk.body.items.map((i: { index: { result: string } }) => i.index.result)).toEqual(
    IDS.map(() => 'created'),
  );
  return h;
}

describe('numeric document ids keep their text', () => {
  it('bulk index: each id its own document, physical ids as written', async () => {
    const h = await seeded();
    const sent = dec.decode(h.upstream.ops.at(-1)?.body ?? new Uint8Array());
    for (const id of IDS) expect(sent).toContain(`"_id":"acme:orders:${id}"`);
    const count = await h.send('POST', '/orders/_count', { ...acme, body: { query: { match_all: {} } } });
    expect(count.body.count).toBe(IDS.length);
  });

  it('mget docs and ids answer each id with its own document', async () => {
    const h = await seeded();
    const docs = `{"docs":[${IDS.map((id) => `{"_index":"orders","_id":${id}}`).join(',')}]}`;
    const ids = `{"ids":[${IDS.join(',')}]}`;
    for (const [path, raw] of [
      ['/_mget', docs],
      ['/orders/_mget', ids],
    ] as const) {
      const r = await h.send('POST', path, { ...acme, raw });
      expect(r.body.docs.map((d: { _id: string }) => d._id)).toEqual(IDS);
      expect(r.body.docs.map((d: { _source: { n: number } }) => d._source.n)).toEqual(IDS.map((_, n) => n));
    }
  });

  it('ids and term queries find each numeric id', async () => {
    const h = await seeded();
    for (const query of [`{"ids":{"values":[${IDS.join(',')}]}}`, `{"terms":{"_id":[${IDS.join(',')}]}}`]) {
      const r = await h.send('POST', '/orders/_search', { ...acme, raw: `{"size":20,"query":${query}}` });
      expect(r.body.hits.hits.map((h: { _id: string }) => h._id).sort()).toEqual([...IDS].sort());
    }
  });

  it('bulk update, create and delete address the id as written', async () => {
    const h = await seeded();
    const raw = [
      '{"update":{"_index":"orders","_id":12345678901234567892}}\n{"doc":{"n":-1}}\n',
      '{"delete":{"_index":"orders","_id":1.0}}\n',
      '{"create":{"_index":"orders","_id":12345678901234567893}}\n{"n":99}\n',
    ].join('');
    const r = await h.send('POST', '/_bulk?refresh=true', { ...acme, raw });
    expect(r.body.items.map((i: Record<string, { _id: string }>) => Object.values(i)[0]?._id)).toEqual([
      '12345678901234567892',
      '1.0',
      '12345678901234567893',
    ]);
    const got = await h.send('POST', '/orders/_mget', {
      ...acme,
      raw: '{"ids":[12345678901234567891,12345678901234567892,1.0,1]}',
    });
    expect(got.body.docs.map((d: { found: boolean; _source?: { n: number } }) => d._source?.n)).toEqual([
      0,
      -1,
      undefined,
      4,
    ]);
  });
});
