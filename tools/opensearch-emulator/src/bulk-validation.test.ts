// `_bulk` as OpenSearch's `BulkRequest.validate` and `BulkRequestParser` treat it: an item
// whose own request is invalid (id over 512 bytes, an illegal version, no id for a delete)
// refuses the WHOLE request with one 400 listing every problem, and nothing is written;
// a body whose last line has no newline is refused too. Only execution errors (mapping,
// version conflicts, missing documents) are per-item.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './server.js';

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ autoRefresh: false });
});

afterAll(async () => {
  await emu?.close();
});

async function bulk(body: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${emu.url}/_bulk?refresh=true`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body,
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const lines = (...l: object[]) => `${l.map((x) => JSON.stringify(x)).join('\n')}\n`;
const good = [{ index: { _index: 'bv', _id: 'good' } }, { n: 1 }];

async function count(): Promise<number> {
  const res = await fetch(`${emu.url}/bv/_count`);
  return res.status === 404 ? 0 : ((await res.json()) as { count: number }).count;
}

describe('OpenSearch emulator: bulk request validation refuses the whole request', () => {
  const invalid: [string, object[], string][] = [
    [
      'an id over 512 bytes',
      [{ index: { _index: 'bv', _id: 'é'.repeat(257) } }, { n: 2 }],
      `id [${'é'.repeat(257)}] is too long, must be no longer than 512 bytes but was: 514`,
    ],
    [
      'a delete with an id over 512 bytes',
      [{ delete: { _index: 'bv', _id: 'x'.repeat(513) } }],
      'is too long, must be no longer than 512 bytes but was: 513',
    ],
    [
      'an external version without a value',
      [{ index: { _index: 'bv', _id: 'v', version_type: 'external' } }, { n: 2 }],
      'illegal version value [-3] for version type [EXTERNAL]',
    ],
    [
      'a negative external_gte version',
      [{ index: { _index: 'bv', _id: 'v', version: -1, version_type: 'external_gte' } }, { n: 2 }],
      'illegal version value [-1] for version type [EXTERNAL_GTE]',
    ],
    ['a delete without an id', [{ delete: { _index: 'bv' } }], 'id is missing'],
    ['an update without an id', [{ update: { _index: 'bv' } }, { doc: { n: 2 } }], 'id is missing'],
    [
      'if_seq_no with an external version',
      [
        {
          index: {
            _index: 'bv',
            _id: 'v',
            if_seq_no: 1,
            if_primary_term: 1,
            version: 3,
            version_type: 'external',
          },
        },
        { n: 2 },
      ],
      'compare and write operations can not use versioning',
    ],
  ];
  for (const [what, item, reason] of invalid)
    it(`${what}: 400 action_request_validation_exception, the valid items beside it not written`, async () => {
      const before = await count();
      const { status, json } = await bulk(lines(...good, ...item));
      expect(status).toBe(400);
      const error = json.error as { type: string; reason: string };
      expect(error.type).toBe('action_request_validation_exception');
      expect(error.reason).toContain(reason);
      expect(error.reason).toMatch(/^Validation Failed: 1: /);
      expect(await count()).toBe(before);
    });

  it('lists every invalid item in one reason, numbered', async () => {
    const { status, json } = await bulk(
      lines({ delete: { _index: 'bv' } }, { delete: { _index: 'bv', _id: 'y'.repeat(600) } }),
    );
    expect(status).toBe(400);
    expect((json.error as { reason: string }).reason).toMatch(
      /^Validation Failed: 1: id is missing;2: id \[y+\] is too long, must be no longer than 512 bytes but was: 600;$/,
    );
  });

  it('refuses a body whose last line has no newline, source or delete', async () => {
    for (const body of [
      lines(...good).slice(0, -1),
      lines({ delete: { _index: 'bv', _id: 'good' } }).slice(0, -1),
    ]) {
      const { status, json } = await bulk(body);
      expect(status).toBe(400);
      expect(json.error).toMatchObject({
        type: 'illegal_argument_exception',
        reason: 'The bulk request must be terminated by a newline [\\n]',
      });
    }
  });

  it('keeps execution failures per item: a 512-byte id, a mapping error and a conflict beside a success', async () => {
    const ok512 = 'z'.repeat(512);
    const { status, json } = await bulk(
      lines(
        { index: { _index: 'bv2', _id: ok512 } },
        { n: 1 },
        { index: { _index: 'bv2', _id: 'bad' } },
        { n: 'not a number' },
        { create: { _index: 'bv2', _id: ok512 } },
        { n: 2 },
      ),
    );
    expect(status).toBe(200);
    expect(json.errors).toBe(true);
    const statuses = (json.items as Record<string, { status: number }>[]).map(
      (i) => Object.values(i)[0]?.status,
    );
    expect(statuses).toEqual([201, 400, 409]);
  });
});

describe('OpenSearch emulator: http.max_content_length', () => {
  it('answers a request body over the limit 413 with an empty body, and one at the limit as usual', async () => {
    const small = await startEmulator({ autoRefresh: false, maxContentLength: 200 });
    try {
      const send = (body: string) =>
        fetch(`${small.url}/_bulk`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-ndjson' },
          body,
        });
      const line = (pad: number) => `{"index":{"_index":"big","_id":"1"}}\n{"p":"${'x'.repeat(pad)}"}\n`;
      const at = line(200 - line(0).length);
      expect(Buffer.byteLength(at)).toBe(200);
      expect((await send(at)).status).toBe(200);
      const over = await send(line(201 - line(0).length));
      expect(over.status).toBe(413);
      expect(await over.text()).toBe('');
    } finally {
      await small.close();
    }
  });
});
