// A dedicated index is read and written without a tenant filter, so its name must
// be one partition's alone. The class: any template, any two (logical index,
// partition) pairs that render the same name: both must be refused.
import {
  type IndexName,
  type PartitionId,
  type Placement,
  parseClusterId,
  parseIndexName,
  parsePartitionId,
} from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { InMemoryPlacementTable } from '../placement/in-memory-placement-table.js';
import { ReferenceTenancy } from '../tenancy/reference-tenancy.js';
import { harness } from '../testing/proxy.fixture.js';
import { sharedByAnother } from './dedicated-name.js';

const render = (template: string, index: string, partition: string) =>
  template.replaceAll('{index}', index).replaceAll('{partition}', partition);

const TEMPLATES = [
  '{index}-{partition}',
  '{partition}-{index}',
  '{index}_{partition}',
  'tenant-{partition}-{index}',
  '{index}{partition}',
  '{index}-{partition}-{index}',
  '{index}.{partition}',
];

/** Every string over `alphabet` of length 1 to `max`. */
function strings(alphabet: readonly string[], max: number): string[] {
  let level = [''];
  const out: string[] = [];
  for (let n = 0; n < max; n++) {
    level = level.flatMap((s) => alphabet.map((c) => s + c));
    out.push(...level);
  }
  return out;
}

const isValid = (parse: (s: string) => unknown, s: string) => {
  try {
    parse(s);
    return true;
  } catch {
    return false;
  }
};
const INDEXES = strings(['a', 'b', '-', '_', '.'], 3).filter(
  (s) => !s.startsWith('_') && isValid(parseIndexName, s),
);
const PARTITIONS = strings(['a', 'b', '-', '_'], 3).filter((s) => isValid(parsePartitionId, s));

describe('dedicated index names', () => {
  it.each(TEMPLATES)(
    '%s: every name two pairs render is refused (exhaustive over short names)',
    (template) => {
      const pairs = new Map<string, number>();
      for (const index of INDEXES)
        for (const partition of PARTITIONS) {
          const name = render(template, index, partition);
          if (isValid(parseIndexName, name)) pairs.set(name, (pairs.get(name) ?? 0) + 1);
        }
      const collisions = [...pairs].filter(([, n]) => n > 1);
      // Every template here but the last two has collisions among these short names.
      if (TEMPLATES.indexOf(template) < TEMPLATES.length - 2) expect(collisions.length).toBeGreaterThan(0);
      for (const [name] of collisions) expect(sharedByAnother(template, name as IndexName), name).toBe(true);
    },
  );

  it.each([
    ['{index}-{partition}', 'orders-a-b'],
    ['{partition}-{index}', 'a-b-orders'],
    ['{index}_{partition}', 'orders_a_b'],
  ])('refuses %s rendering %s (another pair renders it too)', (template, name) => {
    expect(sharedByAnother(template, name as IndexName)).toBe(true);
  });

  it.each([
    ['{index}-{partition}', 'orders-acme'],
    ['{index}.{partition}', 'orders-a.b'],
    ['{index}.{partition}', 'orders.v2.acme'],
    ['tenant-{partition}', 'tenant-a-b'],
    // No `{partition}`: one partition's own name, from its own placement entry.
    ['acme-{index}', 'acme-orders'],
  ])('keeps %s rendering %s (one pair only)', (template, name) => {
    expect(sharedByAnother(template, name as IndexName)).toBe(false);
  });

  it('through the pipeline: neither side of a colliding pair reaches the index', async () => {
    const dedicated: Placement = {
      mode: 'DedicatedIndex',
      cluster: parseClusterId('default'),
      indexTemplate: '{index}-{partition}',
    };
    const placements = new InMemoryPlacementTable({ fallback: dedicated });
    const h = harness({ tenancy: new ReferenceTenancy({ placements }) });
    const as = (tenant: string) => ({
      principal: { id: `app-${tenant}`, tenant: parsePartitionId(tenant) as PartitionId },
    });
    const write = await h.send('PUT', '/orders/_doc/1', { ...as('a-b'), body: { v: 'secret-of-a-b' } });
    const read = await h.send('GET', '/orders-a/_doc/1', as('b'));
    const search = await h.send('POST', '/orders-a/_search', { ...as('b'), body: {} });
    for (const r of [write, read, search]) {
      expect(r.status).toBe(404);
      expect(r.body).toEqual({ error: 'placement_missing', retryable: false });
    }
    expect(h.upstream.ops).toEqual([]);
    // Names that split one way only still work.
    expect((await h.send('PUT', '/orders/_doc/1', { ...as('acme'), body: { v: 1 } })).status).toBe(201);
  });
});
