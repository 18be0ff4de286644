// Views are kept per partition and logical index while the partition's placement
// is the same; a move (a new placement) gets a fresh view, and no two partitions
// or indexes ever share one.
import { parseClusterId, parseIndexName, parsePartitionId } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { docIdCodec } from '../rewrite/doc-id.js';
import { ReferenceTenancy } from '../tenancy/reference-tenancy.js';
import { ViewCache } from './context.js';

describe('ViewCache', () => {
  const tenancy = new ReferenceTenancy();
  const ids = docIdCodec(tenancy.docIdRule);
  const acme = parsePartitionId('acme');
  const globex = parsePartitionId('globex');
  const orders = parseIndexName('orders');
  const users = parseIndexName('users');

  it('hands out one view per partition and index while the placement holds', () => {
    const cache = new ViewCache();
    const placement = tenancy.placementOf(acme).placement;
    const first = cache.get(acme, placement, orders, ids);
    expect(cache.get(acme, placement, orders, ids)).toBe(first);
    expect(cache.get(globex, tenancy.placementOf(globex).placement, orders, ids).inject).not.toEqual(
      first.inject,
    );
    expect(cache.get(acme, placement, users, ids).logical).toBe('users');
    expect(first.partition).toBe('acme');
  });

  it('builds a fresh view once the partition is placed elsewhere', () => {
    const cache = new ViewCache();
    const before = cache.get(acme, tenancy.placementOf(acme).placement, orders, ids);
    const moved = {
      mode: 'DedicatedIndex' as const,
      cluster: parseClusterId('eu-2'),
      indexTemplate: 'acme-{index}',
    };
    const after = cache.get(acme, moved, orders, ids);
    expect(after).not.toBe(before);
    expect(after.physical).toBe('acme-orders');
    expect(after.placement.cluster).toBe('eu-2');
  });
});
