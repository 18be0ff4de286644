// Which writes create a missing index, as `TransportBulkAction` decides it: an
// externally versioned delete does (its tombstone needs an index), an internal one
// does not, and no write does when any action of the same `_bulk` to that name sets
// `require_alias` (the flags are OR-ed per name before any index is created).
// Runs against a real cluster when OPENSEARCH_URL is set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './server.js';

const real = process.env.OPENSEARCH_URL;
let emu: Emulator | null = null;
let url: string;
const prefix = `dac${Date.now().toString(36)}_`;

beforeAll(async () => {
  if (!real) emu = await startEmulator();
  url = real ?? (emu as Emulator).url;
});
afterAll(async () => {
  if (real) await fetch(`${url}/${prefix}*`, { method: 'DELETE' });
  await emu?.close();
});

type Item = { status: number; error?: { type?: string; reason?: string } };

async function bulk(lines: readonly object[], query = ''): Promise<Item[]> {
  const res = await fetch(`${url}/_bulk${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body: `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`,
  });
  const { items } = (await res.json()) as { items: Record<string, Item>[] };
  return items.map((item) => Object.values(item)[0] as Item);
}

const exists = async (name: string) => (await fetch(`${url}/${name}`, { method: 'HEAD' })).status === 200;

describe('OpenSearch emulator: deletes and index auto-creation', () => {
  it('creates the index for an externally versioned delete, not for an internal one', async () => {
    const [internal] = await bulk([{ delete: { _index: `${prefix}plain`, _id: '1' } }]);
    expect(internal).toMatchObject({ status: 404, error: { type: 'index_not_found_exception' } });
    expect(await exists(`${prefix}plain`)).toBe(false);
    const [external] = await bulk([
      { delete: { _index: `${prefix}ext`, _id: '1', version: 5, version_type: 'external_gte' } },
    ]);
    expect(external?.status).toBe(404);
    expect(await exists(`${prefix}ext`)).toBe(true);
  });

  it('creates nothing when another action of the bulk to that name requires an alias', async () => {
    const name = `${prefix}guarded`;
    const items = await bulk([
      { update: { _index: name, _id: '1', require_alias: true } },
      { doc: {} },
      { delete: { _index: name, _id: '1', version: 5, version_type: 'external_gte' } },
    ]);
    expect(items.map((i) => [i.status, i.error?.type])).toEqual([
      [404, 'index_not_found_exception'],
      [404, 'index_not_found_exception'],
    ]);
    expect(items[0]?.error?.reason).toBe(
      `no such index [${name}] and [require_alias] request flag is [true] and [${name}] is not an alias`,
    );
    expect(await exists(name)).toBe(false);
  });

  it('a delete alone ignores the request-level require_alias (it has no such flag)', async () => {
    const name = `${prefix}request_flag`;
    await bulk(
      [{ delete: { _index: name, _id: '1', version: 5, version_type: 'external' } }],
      '?require_alias=true',
    );
    expect(await exists(name)).toBe(true);
  });
});
