import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './server.js';

// Real OpenSearch returns the `_source` bytes it was sent: big integers, `1.0`
// and out-of-range doubles come back as written, on every read path.
const SOURCE = '{"n":1234567890123456789,"f":1.0,"e":1e400, "s":"x"}';
let emu: Emulator;

async function call(method: string, path: string, body?: string): Promise<string> {
  const init: RequestInit = { method, headers: { 'content-type': 'application/json' } };
  if (body !== undefined) init.body = body;
  const res = await fetch(`${emu.url}${path}`, init);
  return res.text();
}

beforeAll(async () => {
  emu = await startEmulator({ autoRefresh: false });
  await call('PUT', '/bytes/_doc/1?refresh=true', SOURCE);
  await call('POST', '/_bulk?refresh=true', `{"index":{"_index":"bytes","_id":"2"}}\n${SOURCE}\n`);
});
afterAll(() => emu.close());

describe('_source bytes', () => {
  it('returns the indexed bytes from get, _source, mget, search and scroll', async () => {
    expect(await call('GET', '/bytes/_doc/1')).toContain(`"_source":${SOURCE}`);
    expect(await call('GET', '/bytes/_source/2')).toBe(SOURCE);
    expect(await call('POST', '/_mget', '{"docs":[{"_index":"bytes","_id":"2"}]}')).toContain(
      `"_source":${SOURCE}`,
    );
    const page = await call('POST', '/bytes/_search?scroll=1m&size=1', '{"sort":["_id"]}');
    expect(page).toContain(`"_source":${SOURCE}`);
    const id = (JSON.parse(page) as { _scroll_id: string })._scroll_id;
    expect(await call('POST', '/_search/scroll', JSON.stringify({ scroll_id: id }))).toContain(
      `"_source":${SOURCE}`,
    );
  });

  it('keeps numbers as written when filtering and when merging an update', async () => {
    expect(await call('GET', '/bytes/_doc/1?_source_includes=n,f')).toContain(
      '"_source":{"n":1234567890123456789,"f":1.0}',
    );
    await call('POST', '/bytes/_update/1?refresh=true', '{"doc":{"m":1.50,"e":2E+2}}');
    expect(await call('GET', '/bytes/_source/1')).toBe(
      '{"n":1234567890123456789,"f":1.0,"e":2E+2,"s":"x","m":1.50}',
    );
  });

  it('stores a bulk update and an upsert without rounding', async () => {
    await call(
      'POST',
      '/_bulk',
      '{"update":{"_index":"bytes","_id":"3"}}\n{"doc":{"big":9007199254740993},"doc_as_upsert":true}\n',
    );
    expect(await call('GET', '/bytes/_source/3')).toBe('{"big":9007199254740993}');
  });
});
